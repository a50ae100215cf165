/**
 * Profile expressions of `spring.config.activate.on-profile` (and the legacy `spring.profiles`):
 * `prod`, `prod | staging`, `!dev`, `prod & (eu | us)`, or a list of them, which matches when any
 * matches (spring-boot.md, `spring.config.activate.on-profile`; Spring's `Profiles.of` grammar).
 */

type Node = { kind: 'name'; name: string } | { kind: 'not'; of: Node } | { kind: 'and' | 'or'; of: Node[] };

function tokens(text: string): string[] {
  return text
    .split(/([()&|!])/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** Parses one expression; undefined when malformed (Spring throws, so the document is not read). */
function parse(text: string): Node | undefined {
  const list = tokens(text);
  let at = 0;
  const unit = (): Node | undefined => {
    const t = list[at++];
    if (t === undefined) return undefined;
    if (t === '!') {
      const of = unit();
      return of ? { kind: 'not', of } : undefined;
    }
    if (t === '(') {
      const inner = sequence();
      if (list[at++] !== ')') return undefined;
      return inner;
    }
    if (t === ')' || t === '&' || t === '|') return undefined;
    return { kind: 'name', name: t };
  };
  const sequence = (): Node | undefined => {
    const first = unit();
    if (!first) return undefined;
    const of = [first];
    let op: '&' | '|' | undefined;
    while (list[at] === '&' || list[at] === '|') {
      const next = list[at] as '&' | '|';
      // Spring refuses `a & b | c` without parentheses ("Malformed profile expression").
      if (op && op !== next) return undefined;
      op = next;
      at++;
      const operand = unit();
      if (!operand) return undefined;
      of.push(operand);
    }
    return op ? { kind: op === '&' ? 'and' : 'or', of } : first;
  };
  const node = sequence();
  return node && at === list.length ? node : undefined;
}

function evaluate(node: Node, active: ReadonlySet<string>): boolean {
  switch (node.kind) {
    case 'name':
      return active.has(node.name);
    case 'not':
      return !evaluate(node.of, active);
    case 'and':
      return node.of.every((n) => evaluate(n, active));
    case 'or':
      return node.of.some((n) => evaluate(n, active));
  }
}

/** Does any of the expressions match the active profiles? Undefined when one is malformed. */
export function matchesProfiles(expressions: readonly string[], active: ReadonlySet<string>): boolean | undefined {
  const nodes = expressions.map(parse);
  if (nodes.some((n) => n === undefined)) return undefined;
  return nodes.some((n) => evaluate(n as Node, active));
}

/** Every profile name an expression mentions (negated ones included: they are profiles too). */
export function profileNames(expression: string): string[] {
  return tokens(expression).filter((t) => !/^[()&|!]$/.test(t));
}

/** A comma-separated profile list (`prod, live`) as names, blanks dropped. */
export function splitProfiles(text: string): string[] {
  return text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
}
