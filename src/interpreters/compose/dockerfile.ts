/**
 * The image a Dockerfile builds on: its last `FROM` (the stage `docker build` produces), followed back
 * through stage names (`FROM base AS final` ... `FROM final`), with `ARG` defaults declared before the
 * first `FROM` substituted (`FROM mysql:${VERSION}`). Enough to tell that a Compose service built from
 * a folder runs a MySQL or MariaDB server; what later instructions (COPY, RUN) change is not read.
 * Grammar (Dockerfile reference): parser directives (`# escape=`) at the top, `#` comment lines,
 * a line ending with the escape character continues on the next, instructions are case-insensitive,
 * `FROM [--platform=...] image [AS name]`.
 */
import { interpolate, knownText } from './interpolate.js';

export interface BaseImage {
  /** The image, ARG defaults substituted; undefined when it depends on a build argument without a default. */
  image?: string;
  /** The `FROM` line as written. */
  written: string;
  /** 1-based line of that `FROM`. */
  line: number;
}

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

function instructions(text: string): Instruction[] {
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  let escapeChar = '\\';
  let i = 0;
  // Parser directives: `# directive=value` lines before anything else.
  for (; i < lines.length; i++) {
    const m = /^#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(lines[i] as string);
    if (!m) break;
    if ((m[1] as string).toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escapeChar = m[2];
  }
  const out: Instruction[] = [];
  let current: { text: string; line: number } | undefined;
  for (; i < lines.length; i++) {
    const raw = lines[i] as string;
    const trimmed = raw.trim();
    if (trimmed.startsWith('#') || (current === undefined && trimmed === '')) continue;
    const continues = trimmed.endsWith(escapeChar);
    const body = continues ? trimmed.slice(0, -1) : trimmed;
    if (current) current.text += ` ${body}`;
    else current = { text: body, line: i + 1 };
    if (continues) continue;
    const m = /^(\S+)\s*([\s\S]*)$/.exec(current.text.trim());
    if (m) out.push({ keyword: (m[1] as string).toUpperCase(), args: m[2] as string, line: current.line });
    current = undefined;
  }
  return out;
}

/** The base image of the stage a Dockerfile builds; undefined when it has no FROM. Never throws. */
export function baseImage(text: string): BaseImage | undefined {
  const args = new Map<string, string>();
  const stages: Array<{ image: string; name?: string; line: number; written: string }> = [];
  for (const ins of instructions(text)) {
    if (ins.keyword === 'ARG' && stages.length === 0) {
      for (const decl of ins.args.split(/\s+/)) {
        const eq = decl.indexOf('=');
        if (eq > 0) args.set(decl.slice(0, eq), decl.slice(eq + 1).replace(/^["']|["']$/g, ''));
      }
      continue;
    }
    if (ins.keyword !== 'FROM') continue;
    const words = ins.args.split(/\s+/).filter((w) => w !== '' && !w.startsWith('--'));
    const image = words[0];
    if (!image) continue;
    const name = words[1]?.toUpperCase() === 'AS' ? words[2]?.toLowerCase() : undefined;
    stages.push({ image, ...(name ? { name } : {}), line: ins.line, written: `FROM ${ins.args}` });
  }
  let stage = stages[stages.length - 1];
  for (let hops = 0; stage && hops < stages.length; hops++) {
    const from = stage.image.toLowerCase();
    const earlier = stages.find((s) => s.name === from && s !== stage);
    if (!earlier) break;
    stage = earlier;
  }
  if (!stage) return undefined;
  const i = interpolate(stage.image, (name) => (args.has(name) ? { value: args.get(name) as string } : undefined));
  const image = knownText(i);
  return { ...(image !== undefined ? { image } : {}), written: stage.written, line: stage.line };
}

export interface CopiedFiles {
  keyword: 'COPY' | 'ADD';
  /** Sources as written, relative to the build context (globs kept). */
  sources: string[];
  /** The destination in the image as written. */
  dest: string;
  /** 1-based line of the instruction. */
  line: number;
}

/** The words of a COPY/ADD: the JSON array form, else whitespace-separated; flags (`--chown=`, `--link`) dropped. */
function copyWords(args: string): { words: string[]; fromStage: boolean } {
  let words: string[] | undefined;
  const json = /^((?:--\S+\s+)*)(\[[\s\S]*\])\s*$/.exec(args.trim());
  if (json) {
    try {
      const parsed: unknown = JSON.parse(json[2] as string);
      if (Array.isArray(parsed) && parsed.every((w) => typeof w === 'string')) words = [...(json[1] as string).split(/\s+/), ...parsed];
    } catch {
      words = undefined;
    }
  }
  words ??= args.split(/\s+/);
  words = words.filter((w) => w !== '');
  const fromStage = words.some((w) => /^--from=/i.test(w));
  return { words: words.filter((w) => !w.startsWith('--')), fromStage };
}

/**
 * The files the COPY and ADD instructions of the built stage (and the stages it is built FROM) take from the build
 * context; copies from another stage (`--from=`) and URLs are left out. Never throws.
 */
export function copiedFiles(text: string): CopiedFiles[] {
  const stages: Array<{ image: string; name?: string; copies: CopiedFiles[] }> = [];
  for (const ins of instructions(text)) {
    if (ins.keyword === 'FROM') {
      const words = ins.args.split(/\s+/).filter((w) => w !== '' && !w.startsWith('--'));
      const name = words[1]?.toUpperCase() === 'AS' ? words[2]?.toLowerCase() : undefined;
      stages.push({ image: (words[0] ?? '').toLowerCase(), ...(name ? { name } : {}), copies: [] });
      continue;
    }
    if (ins.keyword !== 'COPY' && ins.keyword !== 'ADD') continue;
    const stage = stages[stages.length - 1];
    if (!stage) continue;
    const { words, fromStage } = copyWords(ins.args);
    if (fromStage || words.length < 2) continue;
    const sources = words.slice(0, -1).filter((w) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(w));
    if (sources.length === 0) continue;
    stage.copies.push({ keyword: ins.keyword, sources, dest: words[words.length - 1] as string, line: ins.line });
  }
  const out: CopiedFiles[] = [];
  let stage = stages[stages.length - 1];
  for (let hops = 0; stage && hops <= stages.length; hops++) {
    out.unshift(...stage.copies);
    const from = stage.image;
    const current: typeof stage = stage;
    stage = stages.find((s) => s.name === from && s !== current);
  }
  return out;
}
