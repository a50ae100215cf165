/**
 * Django management commands that run as long-lived processes (django.md, "Long-running processes"):
 * Django closes or checks a connection only when a request starts or ends, so in a command that loops,
 * `CONN_MAX_AGE` (even 0) and `CONN_HEALTH_CHECKS` never run; a connection idle longer than the server's
 * `wait_timeout` fails at its next query unless the command calls `close_old_connections()` (or closes
 * the connection) before using it again. Read from the syntax tree: the loop, its sleep (the evaluated
 * argument gives its length), database use, and any call that renews the connection.
 */
import type { ConnectionHolder } from '../../model/model.js';
import type { Span } from '../../model/span.js';
import type { PyExpr, PyStmt, PySyntaxModule } from '../../parsers/python.js';
import { walkExpressions } from '../../parsers/python.js';
import { spanText } from '../../model/span.js';
import { scalarOf } from '../sqlalchemy/python-scalar.js';
import type { PyCall, PyModule } from '../python/value.js';
import { MANAGEMENT_COMMAND } from './command-path.js';

/** Calls that renew a connection before it is used again (django.md, "Long-running processes"). */
const RENEW = /(?:^|\.)(?:close_old_connections|close_all|close_if_unusable_or_obsolete)$/;
/** Attributes that show the command uses the database (`Model.objects`, `connection.cursor()`, `transaction.atomic`). */
const DB_USE = new Set(['objects', 'cursor', 'atomic']);
const FACT =
  'django.md, Behaviour: Django closes or checks a connection only when a request starts or ends; a management command that keeps running reuses its connection until it is closed';

export function isManagementCommand(path: string): boolean {
  return MANAGEMENT_COMMAND.test(path);
}

/** The dotted text of a callee (`time.sleep`, `connection.close`), when it is a name or attributes of one. */
function dotted(e: PyExpr): string | undefined {
  if (e.kind === 'name') return e.id;
  if (e.kind === 'attribute') {
    const left = dotted(e.object);
    return left === undefined ? undefined : `${left}.${e.attr}`;
  }
  if (e.kind === 'subscript') {
    const left = dotted(e.object);
    return left === undefined ? undefined : `${left}[]`;
  }
  return undefined;
}

/** The outermost `while` loops of a body, functions and classes included. */
function whileLoops(body: PyStmt[], out: Array<Extract<PyStmt, { kind: 'while' }>> = []) {
  for (const s of body) {
    if (s.kind === 'while') {
      out.push(s);
      continue;
    }
    const bodies: PyStmt[][] =
      s.kind === 'if' || s.kind === 'for'
        ? [s.body, s.orelse]
        : s.kind === 'try'
          ? [s.body, ...s.handlers.map((h) => h.body), s.orelse, s.finalbody]
          : s.kind === 'with' || s.kind === 'def' || s.kind === 'class'
            ? [s.body]
            : s.kind === 'other'
              ? s.bodies
              : [];
    for (const b of bodies) whileLoops(b, out);
  }
  return out;
}

function inside(inner: Span, outer: Span): boolean {
  const after = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const before = inner.endLine < outer.endLine || (inner.endLine === outer.endLine && inner.endColumn <= outer.endColumn);
  return after && before;
}

/** Seconds a sleep waits, when its argument is a known number. */
function sleepMs(call: PyCall): number | undefined {
  const arg = call.args[0] ?? call.kwargs.find((k) => k.name === 'secs' || k.name === 'seconds' || k.name === 'delay')?.value;
  const lit = arg ? scalarOf(arg).literal : undefined;
  if (lit?.kind === 'int' || lit?.kind === 'float') return lit.value * 1000;
  return undefined;
}

/** The looping management command of a module, as a holder of the given pools; undefined when the module is not one. */
export function managementCommandHolder(input: {
  path: string;
  syntax: PySyntaxModule;
  module: PyModule;
  text: string;
  pools: string[];
}): ConnectionHolder | undefined {
  const name = MANAGEMENT_COMMAND.exec(input.path)?.[1];
  if (!name) return undefined;
  let usesDb = false;
  let renew: { span: Span; what: string } | undefined;
  walkExpressions(input.syntax.body, (e) => {
    if (e.kind === 'attribute' && DB_USE.has(e.attr)) usesDb = true;
    if (e.kind === 'call' && !renew) {
      const callee = dotted(e.func);
      if (callee && (RENEW.test(callee) || /(?:^|\.)connection\.close$|(?:^|\.)connections\[\]\.close$/.test(callee)))
        renew = { span: e.span, what: `${callee}()` };
    }
  });
  if (!usesDb) return undefined;
  const sleeps = input.module.calls.filter((c) => /(?:^|\.)sleep$/.test(c.callee));
  for (const loop of whileLoops(input.syntax.body)) {
    const waits = sleeps.filter((c) => inside(c.span, loop.span));
    if (waits.length === 0) continue;
    const lengths = waits.map(sleepMs);
    const known = lengths.every((ms) => ms !== undefined);
    const longest = waits[known ? lengths.indexOf(Math.max(...(lengths as number[]))) : lengths.indexOf(undefined)] as PyCall;
    const text = spanText(input.text, longest.span) ?? `${longest.written ?? longest.callee}(...)`;
    return {
      id: `django-command:${input.path}@${loop.span.line}`,
      name: `management command "${name}"`,
      loop: { ...loop.span, endLine: loop.span.line, endColumn: loop.span.column + 5 },
      wait: { span: longest.span, text, ...(known ? { ms: Math.max(...(lengths as number[])) } : {}) },
      ...(renew ? { refresh: renew } : {}),
      pools: input.pools,
      fact: FACT,
    };
  }
  return undefined;
}
