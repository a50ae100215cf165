import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drawTimeline, FIRST_KILLER, type TimelineMarker, timelineVerdict, wrapText } from '../../src/inspect/timeline.js';
import { width as displayWidth } from '../../src/report/terminal-text.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping SGR codes is the point
const SGR = /\u001b\[[0-9;]*m/g;
const strip = (s: string) => s.replace(SGR, '');

const pool = (label: string, ms: number | undefined, refreshes = false): TimelineMarker => ({ label, ms, kind: 'pool', refreshes });
const nat: TimelineMarker = { label: 'aws-nat-gateway idle timeout 350 s', ms: 350_000, kind: 'network', refreshes: false };
const waitTimeout: TimelineMarker = { label: 'wait_timeout 8 h', ms: 28_800_000, kind: 'server', refreshes: false };
const linuxKeepalive: TimelineMarker = {
  label: 'tcp_keepalive_time 2 h (Linux default)',
  ms: 7_200_000,
  kind: 'keepalive',
  refreshes: true,
};
const maxLifetime = pool('maxLifetime 30 min', 1_800_000);
const keepaliveTime = pool('keepaliveTime 2 min', 120_000, true);
const idleNever = pool('idleTimeout 10 min', undefined);

test('linear scale: markers sit at ms / (1.1 x max) of the axis', () => {
  // max/min = 3, so linear; axis 0..330 s over 80 columns: col = round(ms / 330000 * 79).
  const lines = drawTimeline(
    [
      { label: 'wait_timeout 5 min', ms: 300_000, kind: 'server', refreshes: false },
      pool('maxLifetime 100 s', 100_000),
      { label: 'network idle timeout 200 s', ms: 200_000, kind: 'network', refreshes: false },
    ],
    { color: false, width: 80 },
  );
  const [title, axis, ticks] = lines;
  assert.match(title ?? '', /^idle time \(linear scale\)/);
  assert.equal(axis?.length, 80);
  assert.equal(axis?.[0], '|');
  assert.equal(axis?.[79], '>');
  assert.equal(axis?.[24], '#'); // 100 s: 23.94
  assert.equal(axis?.[48], 'x'); // 200 s: 47.88
  assert.equal(axis?.[72], 'x'); // 300 s: 71.82
  // 1-minute ticks: 60 s at 14.36, 120 s at 28.73; labels centred on them.
  assert.equal(axis?.[14], '+');
  assert.equal(axis?.[29], '+');
  assert.equal(ticks?.slice(0, 17), '0           1 min');
  assert.equal(lines[3], `${' '.repeat(24)}^ maxLifetime 100 s`);
  assert.equal(lines[4], `${' '.repeat(48)}^ network idle timeout 200 s`);
  // No room right of column 72 for the label, so it ends two columns left of the caret.
  assert.equal(lines[5], `${' '.repeat(72 - 1 - 'wait_timeout 5 min'.length)}wait_timeout 5 min ^`);
});

test('log scale: from the round value below the smallest to 1.3 x the largest, "never" on the right', () => {
  // max/min = 240 > 20. lo = 1 min (largest tick <= 2 min / 1.5), hi = 8 h x 1.3, 73 axis columns:
  // col = round(ln(ms / 60000) / ln(37440000 / 60000) x 72) -> 2 min 7.75, 350 s 19.73, 30 min 38.05, 2 h 53.56, 8 h 69.06.
  const lines = drawTimeline([maxLifetime, idleNever, keepaliveTime, linuxKeepalive, nat, waitTimeout], { color: false, width: 80 });
  const [title, axis, ticks] = lines;
  assert.match(title ?? '', /^idle time \(log scale\)/);
  assert.equal(axis?.length, 80);
  assert.deepStrictEqual(
    [8, 20, 38, 54, 69].map((c) => axis?.[c]),
    ['o', 'x', '#', 'o', 'x'],
  );
  assert.equal(axis?.[72], '>');
  assert.equal(axis?.slice(73), '  --#--');
  assert.equal(ticks?.slice(0, 5), '1 min');
  assert.equal(ticks?.slice(75), 'never');
  // 10 min at 25.76 and 1 h at 45.80 get ticks.
  assert.equal(axis?.[26], '+');
  assert.equal(axis?.[46], '+');
  const never = lines.find((l) => l.includes('idleTimeout 10 min'));
  assert.equal(never, `${' '.repeat(77 - 1 - 'idleTimeout 10 min'.length)}idleTimeout 10 min ^`);
});

test('rows are ordered by time, ties killing limit first, and never-firing markers last', () => {
  const ping = pool('keepaliveTime 350 s', 350_000, true);
  const lines = drawTimeline([idleNever, waitTimeout, ping, maxLifetime, nat], { color: false, width: 100 });
  const order = [
    'aws-nat-gateway idle timeout 350 s',
    'keepaliveTime 350 s',
    'maxLifetime 30 min',
    'wait_timeout 8 h',
    'idleTimeout 10 min',
  ];
  const rows = lines.slice(3, 3 + order.length);
  assert.deepStrictEqual(
    rows.map((r) => order.find((label) => r.includes(label))),
    order,
  );
  // A ping at the same instant as the NAT's timer is no protection.
  assert.deepStrictEqual(timelineVerdict([ping, nat]).killers, [nat]);
});

test('no line is ever wider than the width, and the axis is exactly as wide', () => {
  const sets: TimelineMarker[][] = [
    [maxLifetime, idleNever, keepaliveTime, linuxKeepalive, nat, waitTimeout],
    [pool('a very long label for a pool limit that cannot fit anywhere at all on a narrow terminal', 1000), nat],
    [idleNever],
    [],
    [pool('zero', 0), pool('one ms', 1), waitTimeout],
  ];
  for (const markers of sets) {
    for (const width of [20, 31, 40, 57, 80, 101, 132]) {
      for (const color of [false, true]) {
        const lines = drawTimeline(markers, { color, width });
        for (const line of lines) assert.ok(displayWidth(strip(line)) <= width, `${width}: ${JSON.stringify(line)}`);
        assert.equal(displayWidth(strip(lines[1] ?? '')), width, `axis at ${width}`);
      }
    }
  }
});

test('no colour codes without colour; with colour, the same text plus red, yellow and green', () => {
  const markers = [maxLifetime, idleNever, keepaliveTime, linuxKeepalive, nat, waitTimeout];
  const plain = drawTimeline(markers, { color: false, width: 80 });
  const colored = drawTimeline(markers, { color: true, width: 80 });
  assert.ok(plain.every((l) => !l.includes('\u001b')));
  assert.deepStrictEqual(colored.map(strip), plain);
  const axis = colored[1] ?? '';
  assert.ok(axis.includes('\u001b[31mx\u001b[39m'), 'killing limits in red');
  assert.ok(axis.includes('\u001b[33m#\u001b[39m'), 'pool retirement in yellow');
  assert.ok(axis.includes('\u001b[32mo\u001b[39m'), 'refreshing ones in green');
});

test('a network timeout before any ping or retirement: the connection dies silently', () => {
  const verdict = timelineVerdict([maxLifetime, idleNever, linuxKeepalive, nat, waitTimeout]);
  assert.equal(verdict.first, nat);
  assert.deepStrictEqual(verdict.killers, [nat]);
  assert.equal(verdict.lentUntil, maxLifetime);
  assert.deepStrictEqual(verdict.sentences, [
    'first: aws-nat-gateway idle timeout 350 s -> the network drops the flow, so the connection dies silently; the pool still lends it until maxLifetime 30 min',
  ]);
  const lines = drawTimeline([maxLifetime, idleNever, linuxKeepalive, nat, waitTimeout], { color: false, width: 80 });
  assert.deepStrictEqual(lines.slice(-2), [
    'first: aws-nat-gateway idle timeout 350 s -> the network drops the flow, so the',
    '  connection dies silently; the pool still lends it until maxLifetime 30 min',
  ]);
});

test('a pool ping before every limit: safe', () => {
  const verdict = timelineVerdict([maxLifetime, keepaliveTime, linuxKeepalive, nat, waitTimeout]);
  assert.deepStrictEqual(verdict.killers, []);
  assert.deepStrictEqual(verdict.sentences, [
    "first: keepaliveTime 2 min -> the pool's ping resets the server and network idle timers; the connection never dies silently while idle",
  ]);
});

test('a TCP keepalive probe keeps the network path open but not the server timer', () => {
  const tcp: TimelineMarker = { label: 'tcp_keepalive_time 5 min', ms: 300_000, kind: 'keepalive', refreshes: true };
  const wait15: TimelineMarker = { label: 'wait_timeout 15 min', ms: 900_000, kind: 'server', refreshes: false };
  const dies = timelineVerdict([maxLifetime, tcp, nat, wait15]);
  assert.deepStrictEqual(dies.killers, [wait15]);
  assert.deepStrictEqual(dies.sentences, [
    "first: tcp_keepalive_time 5 min -> TCP keepalive probes reset the network's idle timers, not the server's",
    'then: wait_timeout 15 min -> the server closes the connection, so the connection dies silently; the pool still lends it until maxLifetime 30 min',
  ]);
  const safe = timelineVerdict([maxLifetime, tcp, nat, waitTimeout]);
  assert.deepStrictEqual(safe.killers, []);
  assert.match(safe.sentences.join(' '), /never dies silently/);
});

test('the pool retiring first is safe; nothing retiring at all keeps lending a dead connection', () => {
  assert.deepStrictEqual(timelineVerdict([pool('maxLifetime 5 min', 300_000), nat, waitTimeout]).sentences, [
    'first: maxLifetime 5 min -> the pool retires the connection before aws-nat-gateway idle timeout 350 s; the connection never dies silently while idle',
  ]);
  assert.deepStrictEqual(timelineVerdict([pool('maxLifetime off', undefined), waitTimeout]).sentences, [
    'first: wait_timeout 8 h -> the server closes the connection, so the connection dies silently; nothing in the pool retires it, so the pool keeps lending it',
  ]);
  assert.deepStrictEqual(timelineVerdict([idleNever]).sentences, [
    'first: nothing on this path fires, so idle connections are neither closed nor pinged',
  ]);
});

test('limits that close at the same instant are all first killers; devices that expire differently are said honestly', () => {
  const natGateway: TimelineMarker = { ...nat, device: 'AWS NAT gateway', expiry: 'rst-next' };
  const gwlb: TimelineMarker = {
    label: 'aws-gwlb idle timeout 350 s',
    ms: 350_000,
    kind: 'network',
    refreshes: false,
    device: 'AWS Gateway Load Balancer',
    expiry: 'silent',
  };
  const verdict = timelineVerdict([maxLifetime, natGateway, gwlb, waitTimeout]);
  assert.deepStrictEqual(verdict.killers, [natGateway, gwlb]);
  assert.deepStrictEqual(verdict.sentences, [
    'first: aws-nat-gateway idle timeout 350 s and aws-gwlb idle timeout 350 s, at the same time -> the network drops the flow, so the connection dies silently; the pool still lends it until maxLifetime 30 min',
    'on expiry: it is not known which device forgets the flow first, so either can happen: AWS NAT gateway: answers the next packet with a reset (rst-next); or AWS Gateway Load Balancer: drops the flow silently, so the next query hangs until TCP gives up (silent)',
  ]);
  const rows = drawTimeline([maxLifetime, natGateway, gwlb, waitTimeout], { color: false, width: 100 }).filter((l) => l.includes('^'));
  assert.deepStrictEqual(
    rows.filter((l) => l.includes(FIRST_KILLER)).map((l) => l.trim()),
    [`^ aws-nat-gateway idle timeout 350 s ${FIRST_KILLER}`, `^ aws-gwlb idle timeout 350 s ${FIRST_KILLER}`],
  );
  // The same expiry on both: no doubt about the consequence.
  const nlb: TimelineMarker = {
    ...gwlb,
    label: 'aws-nlb-tcp idle timeout 350 s',
    device: 'AWS Network Load Balancer, TCP listener',
    expiry: 'rst-next',
  };
  assert.equal(
    timelineVerdict([natGateway, nlb]).sentences[1],
    'on expiry: AWS NAT gateway: answers the next packet with a reset (rst-next); AWS Network Load Balancer, TCP listener: answers the next packet with a reset (rst-next)',
  );
  // A network device and the server at the same instant: both named, both consequences.
  const wait350: TimelineMarker = { label: 'wait_timeout 350 s', ms: 350_000, kind: 'server', refreshes: false };
  assert.equal(
    timelineVerdict([natGateway, wait350]).sentences[0],
    'first: aws-nat-gateway idle timeout 350 s and wait_timeout 350 s, at the same time -> the network drops the flow and the server closes the connection, so the connection dies silently; nothing in the pool retires it, so the pool keeps lending it',
  );
});

test('a limit rescued by an earlier ping or retirement is not marked as closing first', () => {
  const rows = drawTimeline([pool('maxLifetime 5 min', 300_000), nat, waitTimeout], { color: false, width: 100 });
  assert.ok(!rows.some((l) => l.includes(FIRST_KILLER)));
  const tcp: TimelineMarker = { label: 'tcp_keepalive_time 5 min', ms: 300_000, kind: 'keepalive', refreshes: true };
  const wait15: TimelineMarker = { label: 'wait_timeout 15 min', ms: 900_000, kind: 'server', refreshes: false };
  const marked = drawTimeline([maxLifetime, tcp, nat, wait15], { color: false, width: 100 }).filter((l) => l.includes(FIRST_KILLER));
  assert.deepStrictEqual(
    marked.map((l) => l.trim()),
    [`^ wait_timeout 15 min ${FIRST_KILLER}`],
  );
});

test('labels with control characters are shown escaped', () => {
  const lines = drawTimeline([pool('max\u001b[2JLifetime 30 min', 1_800_000)], { color: false, width: 80 });
  assert.ok(lines.every((l) => !l.includes('\u001b')));
  assert.ok(lines.some((l) => l.includes('max\\x1b[2JLifetime 30 min')));
});

test('wrapText keeps words whole where it can and cuts only words longer than a line', () => {
  assert.deepStrictEqual(wrapText('one two three four', 9, '  '), ['one two', '  three', '  four']);
  assert.deepStrictEqual(wrapText('abcdefghij', 4, ''), ['abcd', 'efgh', 'ij']);
});

test('a label too long for either side of its caret wraps onto the next row, nothing cut', () => {
  // Linear, 40 columns: 100 s sits at round(100 / 220 x 39) = 18; 20 columns for text right of it (40 - 18 - 2), 17 left.
  // `100 s` stays one word: a number and its unit are never split.
  const label = 'network idle timeout 100 s (a long device name)';
  const lines = drawTimeline(
    [
      { label, ms: 100_000, kind: 'network', refreshes: false },
      { label: 'wait_timeout 200 s', ms: 200_000, kind: 'server', refreshes: false },
    ],
    { color: false, width: 40 },
  );
  assert.equal(lines[1]?.[18], 'x');
  assert.deepStrictEqual(lines.slice(3, 6), [
    `${' '.repeat(18)}^ network idle timeout`,
    `${' '.repeat(20)}100 s (a long device`,
    // The first limit to close the connection says so; the mark wraps with the label.
    `${' '.repeat(20)}name) (closes first)`,
  ]);
});
