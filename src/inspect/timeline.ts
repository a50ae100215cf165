import { formatDuration } from '../model/duration.js';
import type { Expiry } from '../model/model.js';
import { width as displayWidth, printable } from '../report/terminal-text.js';

/**
 * The idle timeline of one pool -> server path, drawn in plain ASCII: one axis of idle time with a
 * marker for every limit, one row per marker, and a sentence saying which fires first and whether the
 * connection dies silently. Colour is added around characters, never instead of them, so the output
 * without colour is the output with colour minus the SGR codes.
 */

export interface TimelineMarker {
  label: string;
  /** Idle time at which it fires; undefined = never. */
  ms: number | undefined;
  kind: 'pool' | 'keepalive' | 'network' | 'server';
  /** A ping or probe that keeps the connection alive. */
  refreshes: boolean;
  /** A network element: the device in words and what it does when its timer fires. */
  device?: string;
  expiry?: Expiry;
}

/** What a marker does to an idle connection. */
export type MarkerRole = 'kills' | 'retires' | 'refreshes' | 'inert';

export function roleOf(m: TimelineMarker): MarkerRole {
  if (m.refreshes) return 'refreshes';
  if (m.kind === 'network' || m.kind === 'server') return 'kills';
  if (m.kind === 'pool') return 'retires';
  return 'inert';
}

/** Ties go to the killing limit: a ping that races the timer at the same instant is no protection. */
const ROLE_ORDER: Record<MarkerRole, number> = { kills: 0, retires: 1, refreshes: 2, inert: 3 };
const SYMBOL: Record<MarkerRole, string> = { kills: 'x', retires: '#', refreshes: 'o', inert: '.' };
const LEGEND: Record<MarkerRole, string> = { kills: 'closes', retires: 'pool retires', refreshes: 'keeps alive', inert: 'no effect' };

// Raw SGR foreground codes, closed with the default-foreground code (as src/report/stylish.ts does).
const RED = '\u001b[31m';
const GREEN = '\u001b[32m';
const YELLOW = '\u001b[33m';
const FG_RESET = '\u001b[39m';
const ROLE_COLOR: Record<MarkerRole, string | undefined> = { kills: RED, retires: YELLOW, refreshes: GREEN, inert: undefined };

/** Above this max/min ratio a linear axis squeezes the small values into the first column or two. */
const LOG_RATIO = 20;
/** Added to the row of each limit that closes the idle connection first. */
export const FIRST_KILLER = '(closes first)';
/** Columns right of the axis for the "never" column: two blanks, then `--x--` over `never`. */
const NEVER_WIDTH = 7;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const LOG_TICKS = [1, 10, 100, SECOND, 10 * SECOND, MINUTE, 10 * MINUTE, HOUR, 10 * HOUR, DAY, 10 * DAY, 100 * DAY, 1000 * DAY];
const LINEAR_STEPS = [
  1,
  2,
  5,
  10,
  20,
  50,
  100,
  200,
  500,
  SECOND,
  2 * SECOND,
  5 * SECOND,
  10 * SECOND,
  15 * SECOND,
  30 * SECOND,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  5 * DAY,
  10 * DAY,
  30 * DAY,
  100 * DAY,
  365 * DAY,
  1000 * DAY,
  10_000 * DAY,
];

/** A unit after a number (`50 s`, `64 MiB`): kept on the number's line, as the reader scans the pair as one. */
const UNIT_WORD = /^(ms|s|min|h|d|B|KiB|MiB|GiB|TiB)[,;:.)]*$/;

function glueUnits(words: string[]): string[] {
  const out: string[] = [];
  for (const word of words) {
    const previous = out[out.length - 1];
    if (previous !== undefined && UNIT_WORD.test(word) && /^\(?\d+(\.\d+)?$/.test(previous)) out[out.length - 1] = `${previous} ${word}`;
    else out.push(word);
  }
  return out;
}

/** Greedy word wrap to `width` with a hanging indent; a word longer than a line is cut, so no line is wider. */
export function wrapText(text: string, width: number, hang: string): string[] {
  const max = Math.max(1, width);
  if (displayWidth(hang) * 2 >= max) hang = '';
  const lines: string[] = [];
  let line = '';
  const push = () => {
    lines.push(line);
    line = hang;
  };
  for (const word of glueUnits(text.split(' '))) {
    let rest = [...word];
    const sep = line === '' || line === hang ? '' : ' ';
    if (displayWidth(line) + sep.length + rest.length <= max) {
      line += sep + word;
      continue;
    }
    if (line !== '' && line !== hang) push();
    while (displayWidth(line) + rest.length > max) {
      const room = Math.max(1, max - displayWidth(line));
      line += rest.slice(0, room).join('');
      rest = rest.slice(room);
      push();
    }
    line += rest.join('');
  }
  if (line !== '' && line !== hang) lines.push(line);
  return lines.map((l) => l.trimEnd());
}

/** One output line as cells, so colour never counts toward the width and nothing is drawn past it. */
class Row {
  private readonly cells: Array<{ ch: string; color: string | undefined }>;

  constructor(readonly width: number) {
    this.cells = Array.from({ length: width }, () => ({ ch: ' ', color: undefined }));
  }

  put(col: number, text: string, color?: string): void {
    let i = col;
    for (const ch of text) {
      if (i >= 0 && i < this.width) this.cells[i] = { ch, color };
      i++;
    }
  }

  charAt(col: number): string {
    return this.cells[col]?.ch ?? ' ';
  }

  render(useColor: boolean): string {
    let end = this.cells.length;
    while (end > 0 && this.cells[end - 1]?.ch === ' ') end--;
    let out = '';
    let current: string | undefined;
    for (const cell of this.cells.slice(0, end)) {
      const color = useColor ? cell.color : undefined;
      if (color !== current) {
        if (current) out += FG_RESET;
        if (color) out += color;
        current = color;
      }
      out += cell.ch;
    }
    if (current) out += FG_RESET;
    return out;
  }
}

interface Scale {
  log: boolean;
  col(ms: number): number;
  ticks: Array<{ ms: number; label: string }>;
}

/** Linear from 0 to a bit past the largest value, or log from a round value below the smallest. */
export function timelineScale(values: number[], axisLength: number): Scale {
  const lastMarkerCol = Math.max(0, axisLength - 2);
  const span = Math.max(1, axisLength - 1);
  const positive = values.filter((v) => v > 0);
  const max = Math.max(0, ...values);
  const min = positive.length > 0 ? Math.min(...positive) : 0;
  if (positive.length >= 2 && max / min > LOG_RATIO) {
    const below = LOG_TICKS.filter((t) => t <= min / 1.5);
    const lo = below.length > 0 ? (below[below.length - 1] as number) : min / 10;
    const hi = max * 1.3;
    const range = Math.log(hi / lo);
    return {
      log: true,
      col: (ms) => (ms <= lo ? 0 : Math.min(lastMarkerCol, Math.round((Math.log(ms / lo) / range) * span))),
      ticks: [lo, ...LOG_TICKS.filter((t) => t > lo && t <= hi)].map((t) => ({ ms: t, label: formatDuration(t) })),
    };
  }
  const hi = max > 0 ? max * 1.1 : HOUR;
  const maxTicks = Math.max(1, Math.floor(axisLength / 10));
  const step = LINEAR_STEPS.find((s) => hi / s <= maxTicks) ?? hi;
  const ticks: Scale['ticks'] = [];
  for (let t = 0; t <= hi; t += step) ticks.push({ ms: t, label: t === 0 ? '0' : formatDuration(t) });
  return {
    log: false,
    col: (ms) => Math.min(lastMarkerCol, Math.max(0, Math.round((ms / hi) * span))),
    ticks,
  };
}

function isFiniteMarker(m: TimelineMarker): m is TimelineMarker & { ms: number } {
  return m.ms !== undefined && Number.isFinite(m.ms);
}

/** Finite markers by time (ties: the killing limit first), then the ones that never fire, in input order. */
export function orderMarkers(markers: TimelineMarker[]): { finite: Array<TimelineMarker & { ms: number }>; never: TimelineMarker[] } {
  const finite = markers
    .map((m, i) => ({ m, i }))
    .filter((x): x is { m: TimelineMarker & { ms: number }; i: number } => isFiniteMarker(x.m))
    .sort((a, b) => a.m.ms - b.m.ms || ROLE_ORDER[roleOf(a.m)] - ROLE_ORDER[roleOf(b.m)] || a.i - b.i)
    .map((x) => x.m);
  return { finite, never: markers.filter((m) => !isFiniteMarker(m)) };
}

/**
 * Does `m`, firing before `killer`, keep `killer` from ever firing? Pool retirement closes the
 * connection first; a pool ping is a real query and resets every timer; a TCP keepalive probe resets
 * middlebox state but never the server's wait_timeout (knowledge README, section 1).
 */
function forestalls(m: TimelineMarker & { ms: number }, killer: TimelineMarker & { ms: number }): boolean {
  if (m.ms >= killer.ms) return false;
  const role = roleOf(m);
  if (role === 'retires') return true;
  if (role === 'refreshes') return m.kind !== 'keepalive' || killer.kind === 'network';
  return false;
}

export interface TimelineVerdict {
  /** The earliest finite marker. */
  first?: TimelineMarker;
  /**
   * The server or network limits that close the idle connection before anything retires or refreshes
   * it: the earliest such one and every other one at the same instant (which of those acts first is not
   * known). Empty when the connection never dies silently while idle.
   */
  killers: TimelineMarker[];
  /** The pool retirement that comes after the killers: until then the pool lends a dead connection. */
  lentUntil?: TimelineMarker;
  sentences: string[];
}

/** What a device does to the flow when its idle timer fires (network-idle-timeouts.md, "Expiry"). */
const EXPIRY: Record<Expiry, string> = {
  silent: 'drops the flow silently, so the next query hangs until TCP gives up',
  'rst-next': 'answers the next packet with a reset',
  'rst-both': 'sends a reset to both ends',
  close: 'closes the connection',
  unknown: 'what it does then is not known',
};

function names(markers: TimelineMarker[]): string {
  const labels = markers.map((m) => m.label);
  const list = labels.length <= 2 ? labels.join(' and ') : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
  return markers.length > 1 ? `${list}, at the same time` : list;
}

function killClause(killers: TimelineMarker[]): string {
  const network = killers.some((k) => k.kind === 'network');
  const server = killers.some((k) => k.kind === 'server');
  const what = [network ? 'the network drops the flow' : '', server ? 'the server closes the connection' : ''].filter((w) => w !== '');
  return what.join(' and ');
}

/**
 * What the network killers do on expiry, said honestly when several fire at the same instant and expire
 * differently: which device forgets the flow first is not known, so either consequence can happen.
 */
function expirySentence(killers: TimelineMarker[]): string | undefined {
  const devices = killers.filter((k) => k.kind === 'network' && k.expiry !== undefined);
  if (devices.length === 0) return undefined;
  const each = devices.map((k) => `${k.device ?? k.label}: ${EXPIRY[k.expiry as Expiry]} (${k.expiry})`);
  const kinds = new Set(devices.map((k) => k.expiry));
  if (kinds.size > 1) return `on expiry: it is not known which device forgets the flow first, so either can happen: ${each.join('; or ')}`;
  return `on expiry: ${each.join('; ')}`;
}

export function timelineVerdict(markers: TimelineMarker[]): TimelineVerdict {
  const { finite } = orderMarkers(markers);
  const first = finite[0];
  if (!first) return { killers: [], sentences: ['first: nothing on this path fires, so idle connections are neither closed nor pinged'] };
  const alive = finite.filter((k) => roleOf(k) === 'kills' && !finite.some((m) => m !== k && forestalls(m, k)));
  const killers = alive.filter((k) => k.ms === alive[0]?.ms);
  const at = killers[0];
  const lentUntil = at ? finite.find((m) => roleOf(m) === 'retires' && m.ms > at.ms) : undefined;
  const death = at
    ? `${killClause(killers)}, so the connection dies silently; ${
        lentUntil ? `the pool still lends it until ${lentUntil.label}` : 'nothing in the pool retires it, so the pool keeps lending it'
      }`
    : '';
  const expiry = expirySentence(killers);
  const base = { first, killers, ...(lentUntil ? { lentUntil } : {}) };
  if (at && killers.includes(first)) return { ...base, sentences: [`first: ${names(killers)} -> ${death}`, ...(expiry ? [expiry] : [])] };

  let effect: string;
  const role = roleOf(first);
  if (role === 'retires') {
    const next = finite.find((m) => roleOf(m) === 'kills');
    effect = `the pool retires the connection${next ? ` before ${next.label}` : ''}`;
  } else if (role === 'refreshes') {
    effect =
      first.kind === 'keepalive'
        ? "TCP keepalive probes reset the network's idle timers, not the server's"
        : "the pool's ping resets the server and network idle timers";
  } else {
    effect = 'it has no effect on an idle connection';
  }
  if (!at) return { ...base, sentences: [`first: ${first.label} -> ${effect}; the connection never dies silently while idle`] };
  return { ...base, sentences: [`first: ${first.label} -> ${effect}`, `then: ${names(killers)} -> ${death}`, ...(expiry ? [expiry] : [])] };
}

/** The timeline as lines no wider than `width` (the axis line exactly `width` wide). */
export function drawTimeline(markers: TimelineMarker[], options: { color: boolean; width: number }): string[] {
  const width = Math.max(1, Math.floor(options.width));
  const clean = markers.map((m) => ({ ...m, label: printable(m.label) }));
  const { finite, never } = orderMarkers(clean);
  const verdict = timelineVerdict(clean);
  const neverWidth = never.length > 0 && width >= NEVER_WIDTH + 10 ? NEVER_WIDTH : 0;
  const axisLength = width - neverWidth;
  const neverCol = width - 3;
  const scale = timelineScale(
    finite.map((m) => m.ms),
    axisLength,
  );
  const colOf = (m: TimelineMarker): number => (isFiniteMarker(m) ? scale.col(m.ms) : neverWidth > 0 ? neverCol : axisLength - 1);

  // Title and legend.
  const title = new Row(width);
  const titleText = `idle time (${scale.log ? 'log' : 'linear'} scale)`;
  title.put(0, titleText);
  const present = (['kills', 'retires', 'refreshes', 'inert'] as const).filter((r) => clean.some((m) => roleOf(m) === r));
  const entryWidth = (r: MarkerRole) => 2 + displayWidth(LEGEND[r]);
  const roles: MarkerRole[] = [];
  let legendLength = 0;
  for (const r of present) {
    const next = legendLength + (roles.length > 0 ? 2 : 0) + entryWidth(r);
    if (displayWidth(titleText) + 2 + next > width) break;
    roles.push(r);
    legendLength = next;
  }
  let at = width - legendLength;
  for (const r of roles) {
    title.put(at, SYMBOL[r], ROLE_COLOR[r]);
    title.put(at + 2, LEGEND[r]);
    at += entryWidth(r) + 2;
  }

  // Axis and tick labels.
  const axis = new Row(width);
  const labels = new Row(width);
  axis.put(0, `|${'-'.repeat(Math.max(0, axisLength - 2))}>`.slice(0, axisLength));
  let labelEnd = -2;
  for (const tick of scale.ticks) {
    const c = scale.col(tick.ms);
    const len = displayWidth(tick.label);
    let start = c === 0 ? 0 : c - Math.floor(len / 2);
    if (start + len > axisLength) start = axisLength - len;
    if (start < 0 || start <= labelEnd + 1) continue;
    labels.put(start, tick.label);
    labelEnd = start + len - 1;
    if (c > 0 && c < axisLength - 1) axis.put(c, '+');
  }
  if (neverWidth > 0) {
    axis.put(axisLength + 2, '-----');
    labels.put(neverCol - 2, 'never');
  }
  const shown = new Map<number, MarkerRole>();
  for (const m of [...finite, ...never]) {
    const c = colOf(m);
    const role = roleOf(m);
    const held = shown.get(c);
    if (held !== undefined && ROLE_ORDER[held] <= ROLE_ORDER[role]) continue;
    shown.set(c, role);
    axis.put(c, SYMBOL[role], ROLE_COLOR[role]);
  }

  // One row per marker, the label beside a caret under its column; a label too long for either side
  // is wrapped onto further rows on the roomier side, so no text is ever cut off. The limits that kill
  // the idle connection first say so on their row.
  const rows: Row[] = [];
  for (const m of [...finite, ...never]) {
    const c = Math.min(colOf(m), width - 1);
    const color = ROLE_COLOR[roleOf(m)];
    const label = verdict.killers.includes(m) ? `${m.label} ${FIRST_KILLER}` : m.label;
    const len = displayWidth(label);
    const right = width - (c + 2);
    const left = c - 1;
    const onRight = len <= right || (len > left && right >= left);
    const parts = len <= Math.max(right, left) ? [label] : wrapText(label, Math.max(1, onRight ? right : left), '');
    parts.forEach((part, i) => {
      const row = new Row(width);
      if (i === 0) row.put(c, '^', color);
      row.put(onRight ? c + 2 : c - 1 - displayWidth(part), part, color);
      rows.push(row);
    });
  }

  const sentences = verdict.sentences.flatMap((s) => wrapText(s, width, '  '));
  return [title, axis, labels, ...rows].map((r) => r.render(options.color)).concat(sentences);
}
