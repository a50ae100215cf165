/**
 * YAML with positions, for every YAML format (connlint.config.yaml, Spring Boot, Compose, Kubernetes ...):
 * the `yaml` package composes the documents; this module adds what a linter needs on top of it and
 * what the package leaves to the caller:
 * - spans (1-based line and column, end exclusive) for any node, a byte-order mark not counted;
 * - every document of a multi-document file (`---`), each with its index;
 * - guards that turn hostile input into a problem with a location, never a crash or a hang: nesting
 *   depth (the package composes recursively), alias expansion ("billion laughs"), document count;
 * - problems the package does not report while composing: a key repeated in one mapping, an alias
 *   with no anchor before it, an alias inside the node it names;
 * - the neutral entries (`Entry`) that format modules hand to interpreters.
 */
import { type Alias, Composer, type Document, isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Node, Parser } from 'yaml';
import type { Entry } from '../model/entry.js';
import { fileSpan, type Span } from '../model/span.js';
import type { ParseProblem } from './parse-result.js';

/** An over-estimate of nesting, far above any real file and far below what overflows the stack. */
export const MAX_NESTING = 200;
/** Values reached through aliases in one file, far beyond any real file ("billion laughs" bound). */
export const MAX_ALIASED_NODES = 10_000;
/** Documents read from one file; the rest are reported, not read (each costs memory even when empty). */
export const MAX_DOCUMENTS = 10_000;

export interface YamlDocument {
  /** Position in the file, from 0. */
  index: number;
  /** The `yaml` package's document; node ranges are offsets into `YamlFile.text`. Its errors are in the problems already. */
  doc: Document.Parsed;
  /** The top node with an alias resolved; null when nothing is written in the document (comments aside). */
  root: Node | null;
}

export interface YamlFile {
  path: string;
  /** The text that was parsed: the input without a byte-order mark (editors do not count it as a column). */
  text: string;
  lines: LineCounter;
  /** Every document in order; an empty text is one empty document; none when the text was too deeply nested to read. */
  documents: YamlDocument[];
  /** The node an alias stands for (the last anchor of its name before it); any other node itself; null otherwise. */
  resolve(node: unknown): Node | null;
  /** A node's span; a block collection ends at the end of its last child, before trailing comments and blank lines. */
  spanOf(node: Node): Span;
  /** The span of `text` from offset `start` to `end` (exclusive), trailing white space left out. */
  spanAt(start: number, end: number): Span;
  /**
   * How a mapping key is named: a scalar by its text as YAML reads it (quotes removed, escapes applied,
   * `8.0` stays "8.0"), an alias by the node it names, a collection by its first 40 characters of source.
   */
  keyName(key: unknown): string;
}

/** Never throws. `path` is how the file is named in spans. */
export function parseYaml(path: string, input: string): { file: YamlFile; problems: ParseProblem[] } {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines.addNewLine(i + 1);
  const file = newFile(path, text, lines);
  const problems: ParseProblem[] = [];
  const problem = (message: string, span: Span) => problems.push({ message, span, severity: 'error' });

  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    problem(`nested more than ${MAX_NESTING} levels deep; not read`, spanAt(file, deep, deep + 1));
    return { file, problems };
  }
  // uniqueKeys off: the package checks it in quadratic time; indexing below reports repeated keys instead.
  const composer = new Composer({ uniqueKeys: false });
  for (const doc of composer.compose(new Parser().parse(text), true, text.length)) {
    if (file.documents.length === MAX_DOCUMENTS) {
      const start = doc.range[0];
      problem(`more than ${MAX_DOCUMENTS} YAML documents; the rest are not read`, spanAt(file, start, start + 3));
      break;
    }
    // The yaml package quotes the offending token (`Unexpected scalar token in YAML stream: "s3cret"`):
    // the span already points at it, and a token can be a secret, so the quote is left out.
    for (const e of doc.errors) {
      const message = e.message.replace(/:\s*"[\s\S]*"\s*$/, '');
      problem(`invalid YAML: ${lowerFirst(message)}`, spanAt(file, e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)));
    }
    indexDocument(file, doc.contents, new Map(), new Set(), problem);
    const root = file.resolve(doc.contents);
    const isEmpty = isScalar(root) && root.value === null && root.range?.[0] === root.range?.[1];
    file.documents.push({ index: file.documents.length, doc, root: isEmpty ? null : root });
  }
  const expansion = expand(file);
  if (expansion.exceededAt)
    problem(`invalid YAML: aliases expand to more than ${MAX_ALIASED_NODES} values`, file.spanOf(expansion.exceededAt));
  problems.sort((a, b) => a.span.line - b.span.line || a.span.column - b.span.column);
  return { file, problems };
}

/**
 * Every scalar leaf of every document as an Entry:
 * - `key`: the dotted path (`spring.datasource.hikari.max-lifetime`), sequence items as `list[0]`; a key
 *   that itself holds a dot is joined as it is, as Spring Boot flattens keys;
 * - `text`: the scalar as YAML reads it before typing (`30m`, `true`, `1800000`, `8.0`; quotes removed,
 *   escapes applied); null for a YAML null (`~`, `null`, nothing);
 * - `raw`: the source text (quotes included); null when nothing is written;
 * - spans where the text is written: a value reached through an alias points at its anchored node;
 * - `document`: the document's index.
 * Entries come in document order, repeated keys included (which one wins differs by program). Aliases
 * are followed within the same bound that `parseYaml` reports on; empty collections and top-level
 * scalars give no entry. Never throws.
 */
export function yamlEntries(file: YamlFile): Entry[] {
  const entries: Entry[] = [];
  expand(file, (leaf, document) => {
    const value = file.resolve(leaf.at);
    const written = isScalar(value) && value.range && value.range[1] > value.range[0] ? value : null;
    const keySpan = leaf.key ? file.spanOf(leaf.key) : leaf.at ? file.spanOf(leaf.at) : fileSpan(file.path);
    const valueSpan = written ? file.spanOf(written) : keySpan;
    // The entry ends where its value is written at this place: the alias, or the value itself.
    const end = isAlias(leaf.at) ? file.spanOf(leaf.at) : valueSpan;
    const span = isAfter(end, keySpan) ? { ...keySpan, endLine: end.endLine, endColumn: end.endColumn } : keySpan;
    const isNull = !isScalar(value) || value.value === null || value.value === undefined;
    entries.push({
      key: leaf.path,
      text: isNull ? null : (value.source ?? String(value.value)),
      raw: written?.range ? file.text.slice(written.range[0], offsetAfter(file, written)) : null,
      keySpan,
      valueSpan,
      span,
      document,
      ...(leaf.throughAlias ? { referenced: true as const } : {}),
    });
  });
  return entries;
}

function newFile(path: string, text: string, lines: LineCounter): YamlFile & { aliases: WeakMap<Alias, Node> } {
  const aliases = new WeakMap<Alias, Node>();
  const file: YamlFile & { aliases: WeakMap<Alias, Node> } = {
    path,
    text,
    lines,
    documents: [],
    aliases,
    resolve: (node) => (isAlias(node) ? (aliases.get(node) ?? null) : isNode(node) ? node : null),
    spanOf: (node) => (node.range ? spanAt(file, node.range[0], endOffset(node)) : fileSpan(path)),
    spanAt: (start, end) => spanAt(file, start, end),
    keyName: (key) => {
      const node = file.resolve(key);
      if (isScalar(node)) return node.source ?? String(node.value ?? '');
      if (!node?.range) return '';
      return text.slice(node.range[0], node.range[1]).trim().slice(0, 40);
    },
  };
  return file;
}

// ---------------------------------------------------------------- guards

/**
 * Where the nesting estimate passes MAX_NESTING, if it does. The yaml package composes recursively,
 * and a few thousand levels overflow the stack, which V8 can turn into a fatal abort that no catch
 * sees. Counts every column of indentation and of `- `/`? ` prefixes, and every open bracket (even
 * in quotes and comments), so it never under-counts.
 */
function tooDeepAt(text: string): number | undefined {
  let flow = 0;
  let block = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      atLineStart = true;
      block = 0;
      continue;
    }
    if (atLineStart) {
      const next = text.charCodeAt(i + 1);
      // space; or '-' / '?' followed by space or tab
      if (c === 32 || ((c === 45 || c === 63) && (next === 32 || next === 9))) {
        block++;
        if (block + flow > MAX_NESTING) return i;
        continue;
      }
      atLineStart = false;
    }
    // '[' '{' and ']' '}'
    if (c === 91 || c === 123) {
      flow++;
      if (block + flow > MAX_NESTING) return i;
    } else if ((c === 93 || c === 125) && flow > 0) {
      flow--;
    }
  }
  return undefined;
}

/**
 * One pass over a document in source order, aliases not followed: records what each alias names (the
 * last anchor of that name before it, as YAML defines it; the package's own Alias.resolve searches the
 * whole document on every call), and reports repeated keys and aliases that name nothing or their own
 * container. Recursion is bounded by tooDeepAt.
 */
function indexDocument(
  file: YamlFile & { aliases: WeakMap<Alias, Node> },
  node: unknown,
  anchors: Map<string, Node>,
  open: Set<Node>,
  problem: (message: string, span: Span) => void,
): void {
  if (isAlias(node)) {
    const target = anchors.get(node.source);
    if (!target) problem(`invalid YAML: alias *${node.source} has no anchor &${node.source} before it`, file.spanOf(node));
    else if (open.has(target)) problem(`invalid YAML: alias *${node.source} is inside the node it names`, file.spanOf(node));
    else file.aliases.set(node, target);
    return;
  }
  if (!isNode(node)) return;
  if (node.anchor) anchors.set(node.anchor, node);
  if (isSeq(node)) {
    open.add(node);
    for (const item of node.items) indexDocument(file, item, anchors, open, problem);
    open.delete(node);
  } else if (isMap(node)) {
    open.add(node);
    const seen = new Map<string, Node>();
    for (const pair of node.items) {
      indexDocument(file, pair.key, anchors, open, problem);
      indexDocument(file, pair.value, anchors, open, problem);
      const name = file.keyName(pair.key);
      const at = isNode(pair.key) ? pair.key : isNode(pair.value) ? pair.value : node;
      const first = seen.get(name);
      if (!first) seen.set(name, at);
      else {
        const message = `invalid YAML: key ${JSON.stringify(name)} appears twice in one mapping (first on line ${file.spanOf(first).line})`;
        problem(message, file.spanOf(at));
      }
    }
    open.delete(node);
  }
}

/** A scalar or empty value reached by the walk: its path, key as written (none for a sequence item), and the node as written there. */
interface Leaf {
  path: string;
  key: Node | null;
  /** The value as written at this place: the alias when there is one; null when nothing is written. */
  at: Node | null;
  /** Reached through an alias (of the value itself or of a collection around it): the value is written elsewhere. */
  throughAlias: boolean;
}

/**
 * Walks every document following aliases, within one budget for the file: each node reached through an
 * alias costs one. Returns the outermost alias whose expansion ran out of budget. The same walk guards
 * (`parseYaml`) and reads (`yamlEntries`), so both stop at the same place.
 */
function expand(file: YamlFile, onLeaf?: (leaf: Leaf, document: number) => void): { exceededAt?: Node } {
  const state: { budget: number; exceededAt?: Node } = { budget: MAX_ALIASED_NODES };
  const visit = (at: unknown, path: string, key: Node | null, depth: number, document: number, alias: Node | undefined): void => {
    const outer = alias ?? (isAlias(at) ? at : undefined);
    if (outer && --state.budget < 0) {
      state.exceededAt ??= outer;
      return;
    }
    // Aliases can nest a tree deeper than its text; no real file comes near.
    if (depth > MAX_NESTING) return;
    const node = file.resolve(at);
    if (isMap(node)) {
      for (const pair of node.items) {
        const name = file.keyName(pair.key);
        const keyNode = isNode(pair.key) ? pair.key : null;
        visit(pair.value, path === '' ? name : `${path}.${name}`, keyNode, depth + 1, document, outer);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => {
        visit(item, `${path}[${i}]`, null, depth + 1, document, outer);
      });
    } else if (depth > 0 && onLeaf) {
      onLeaf({ path, key, at: isNode(at) ? at : null, throughAlias: outer !== undefined }, document);
    }
  };
  for (const document of file.documents) {
    visit(document.doc.contents, '', null, 0, document.index, undefined);
    if (state.exceededAt) break;
  }
  return state;
}

// ---------------------------------------------------------------- spans

function spanAt(file: YamlFile, start: number, end: number): Span {
  const from = file.lines.linePos(Math.min(start, file.text.length));
  const to = file.lines.linePos(trimmedEnd(file.text, start, Math.min(end, file.text.length)));
  return { path: file.path, line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
}

/** Block collections and block scalars end after their last line break; a span ends at the last character. */
function trimmedEnd(text: string, start: number, end: number): number {
  let at = end;
  while (at > start + 1 && /\s/.test(text.charAt(at - 1))) at--;
  return at;
}

function offsetAfter(file: YamlFile, node: Node): number {
  return trimmedEnd(file.text, node.range?.[0] ?? 0, endOffset(node));
}

/** A block collection's range runs on over trailing comments and blank lines; its last child's does not. */
function endOffset(node: Node): number {
  if ((isMap(node) || isSeq(node)) && !node.flow) {
    const last: unknown = node.items[node.items.length - 1];
    const child = isPair(last) ? (last.value ?? last.key) : last;
    if (isNode(child) && child.range) return endOffset(child);
  }
  return node.range?.[1] ?? 0;
}

function isAfter(end: Span, start: Span): boolean {
  return end.endLine > start.endLine || (end.endLine === start.endLine && end.endColumn >= start.endColumn);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
