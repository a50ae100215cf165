import { execFileSync } from 'node:child_process';
import { type PyFStringPart, type PyParseStats, parsePython, walkExpressions } from '../../src/parsers/python.js';

/**
 * CPython's own parser (`ast`) as the oracle of the Python differential tests: for each source, the
 * constants and f-strings of its tree with their positions, or the syntax error. Test-only: connlint
 * itself never runs Python. Positions are as `ast` gives them (lines 1-based, columns in UTF-8 bytes).
 */
export const MISSING_PYTHON = 'python3 not found: it is needed by this test only (apt-get install python3)';

export type OracleValue =
  | { t: 'int'; v: string }
  | { t: 'float' | 'complex'; v: string }
  | { t: 'str'; v: string }
  | { t: 'bytes'; v: number[] }
  | { t: 'bool'; v: boolean }
  | { t: 'none' | 'ellipsis' }
  | { t: 'fstring'; v: OracleFStringPart[] };

/** An f-string part: literal text, or a field with its conversion (`s`, `r`, `a`, or '' for none) and format spec. */
export type OracleFStringPart = ['text', string] | ['field', string, OracleFStringPart[] | null];

export interface OracleLiteral {
  line: number;
  col: number;
  endLine: number;
  endCol: number;
  value: OracleValue;
}

export type OracleResult = { ok: true; literals: OracleLiteral[] } | { ok: false; error: string; line: number | null };

const SCRIPT = `
import ast, json, struct, sys, warnings
warnings.simplefilter('ignore')

def fbits(x):
    return struct.pack('>d', x).hex()

def parts(joined):
    out = []
    for v in joined.values:
        if isinstance(v, ast.Constant):
            out.append(['text', v.value])
        else:
            conv = '' if v.conversion == -1 else chr(v.conversion)
            out.append(['field', conv, parts(v.format_spec) if v.format_spec is not None else None])
    return out

def value(node):
    v = node.value
    if v is None: return {'t': 'none'}
    if v is Ellipsis: return {'t': 'ellipsis'}
    if isinstance(v, bool): return {'t': 'bool', 'v': v}
    if isinstance(v, int): return {'t': 'int', 'v': str(v)}
    if isinstance(v, float): return {'t': 'float', 'v': fbits(v)}
    if isinstance(v, complex): return {'t': 'complex', 'v': fbits(v.imag)}
    if isinstance(v, str): return {'t': 'str', 'v': v}
    if isinstance(v, bytes): return {'t': 'bytes', 'v': list(v)}
    raise TypeError(type(v))

def literals(tree):
    out = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.JoinedStr):
            out.append((node, {'t': 'fstring', 'v': parts(node)}))
            continue
        if isinstance(node, ast.Constant):
            out.append((node, value(node)))
        stack.extend(ast.iter_child_nodes(node))
    return [{'line': n.lineno, 'col': n.col_offset, 'endLine': n.end_lineno, 'endCol': n.end_col_offset, 'value': v} for n, v in out]

results = []
for source in json.load(sys.stdin):
    try:
        tree = ast.parse(source.encode('utf-8', 'surrogatepass'))
        results.append({'ok': True, 'literals': literals(tree)})
    except (SyntaxError, ValueError, MemoryError, RecursionError) as e:
        results.append({'ok': False, 'error': type(e).__name__ + ': ' + str(getattr(e, 'msg', e)), 'line': getattr(e, 'lineno', None)})
sys.stdout.write(json.dumps(results))
`;

/** Runs CPython's `ast` over every source, in one process. Undefined when python3 is not installed. */
export function pythonAst(sources: string[]): OracleResult[] | undefined {
  try {
    const out = execFileSync('python3', ['-c', SCRIPT], { input: JSON.stringify(sources), maxBuffer: 1 << 30, timeout: 300_000 });
    return JSON.parse(out.toString('utf8')) as OracleResult[];
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** Converts a UTF-8 byte column of one line into a UTF-16 column (both 0-based). */
export function utf16Column(line: string, byteColumn: number): number {
  let bytes = 0;
  let i = 0;
  while (i < line.length && bytes < byteColumn) {
    const cp = line.codePointAt(i) as number;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    i += cp > 0xffff ? 2 : 1;
  }
  return i;
}

/** Literal as the test compares it: positions as connlint's spans (1-based, UTF-16 columns, end exclusive). */
export interface ComparedLiteral {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  value: OracleValue;
}

/** Lines as CPython and connlint count them (\n, \r\n, \r), a leading byte-order mark left out. */
export function sourceLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
}

/** The oracle's literals with connlint's columns, sorted by position. */
export function oracleLiterals(text: string, literals: OracleLiteral[]): ComparedLiteral[] {
  const lines = sourceLines(text);
  // A byte-order mark is not part of line 1 for CPython nor for connlint's spans.
  const col = (line: number, byteCol: number) => utf16Column(lines[line - 1] ?? '', byteCol) + 1;
  return sortLiterals(
    literals.map((l) => ({
      line: l.line,
      column: col(l.line, l.col),
      endLine: l.endLine,
      endColumn: col(l.endLine, l.endCol),
      value: l.value,
    })),
  );
}

export function sortLiterals(ls: ComparedLiteral[]): ComparedLiteral[] {
  return ls.sort((a, b) => a.line - b.line || a.column - b.column || a.endLine - b.endLine || a.endColumn - b.endColumn);
}

export function floatBits(x: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return [...new Uint8Array(view.buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function fstringParts(parts: PyFStringPart[]): OracleFStringPart[] {
  return parts.map((p) => (p.kind === 'text' ? ['text', p.value] : ['field', p.conversion ?? '', p.spec ? fstringParts(p.spec) : null]));
}

/**
 * What connlint's parser extracts, in the oracle's shape: every constant and f-string (the inside of an
 * f-string is compared as its parts), sorted by position. Strings with a `\N{...}` escape, which connlint
 * keeps undecoded, are listed in `namedEscapes` (their positions) instead.
 */
export function connlintLiterals(
  path: string,
  text: string,
  stats?: PyParseStats,
): { literals: ComparedLiteral[]; namedEscapes: string[]; result: ReturnType<typeof parsePython> } {
  const result = parsePython(path, text, stats);
  const literals: ComparedLiteral[] = [];
  const namedEscapes: string[] = [];
  walkExpressions(result.doc.body, (e) => {
    const pos = { line: e.span.line, column: e.span.column, endLine: e.span.endLine, endColumn: e.span.endColumn };
    switch (e.kind) {
      case 'int':
        literals.push({ ...pos, value: { t: 'int', v: e.value.toString() } });
        break;
      case 'float':
        literals.push({ ...pos, value: { t: 'float', v: floatBits(e.value) } });
        break;
      case 'complex':
        literals.push({ ...pos, value: { t: 'complex', v: floatBits(e.imag) } });
        break;
      case 'str':
        if (e.namedEscape) namedEscapes.push(`${pos.line}:${pos.column}`);
        else literals.push({ ...pos, value: { t: 'str', v: e.value } });
        break;
      case 'bytes':
        literals.push({ ...pos, value: { t: 'bytes', v: [...e.value] } });
        break;
      case 'bool':
        literals.push({ ...pos, value: { t: 'bool', v: e.value } });
        break;
      case 'none':
        literals.push({ ...pos, value: { t: 'none' } });
        break;
      case 'ellipsis':
        literals.push({ ...pos, value: { t: 'ellipsis' } });
        break;
      case 'fstring':
        if (e.namedEscape) namedEscapes.push(`${pos.line}:${pos.column}`);
        else literals.push({ ...pos, value: { t: 'fstring', v: fstringParts(e.parts) } });
        return false;
    }
    return true;
  });
  return { literals: sortLiterals(literals), namedEscapes, result };
}

/** The oracle's literals, less those at the given positions (`line:column`). */
export function withoutPositions(literals: ComparedLiteral[], positions: string[]): ComparedLiteral[] {
  const skip = new Set(positions);
  return literals.filter((l) => !skip.has(`${l.line}:${l.column}`));
}
