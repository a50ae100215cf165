import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inspectText, timelineMarkers } from '../../src/inspect/inspect-text.js';
import { FIRST_KILLER } from '../../src/inspect/timeline.js';
import { updateMode } from '../fixture-dirs.js';
import { inspectRepo, KEEPALIVE_PLACEHOLDER, pathOf, removeRepos, SHOP, TIE } from './repos.js';

// Compiled to dist/test/inspect/, the snapshots stay in test/inspect/snapshots/. The colour snapshot
// shows ESC as the two characters `\e` so it can be read and reviewed as text. CONNLINT_UPDATE=1
// rewrites them for review (never in CI).
const snapshotFile = (name: string) => new URL(`../../../test/inspect/snapshots/${name}`, import.meta.url);
const mode = updateMode(process.env);
function matchesSnapshot(actual: string, name: string): void {
  if (mode.update) writeFileSync(snapshotFile(name), actual);
  assert.equal(actual, readFileSync(snapshotFile(name), 'utf8'));
}
const docs = readFileSync(new URL('../../../docs/inspect.md', import.meta.url), 'utf8');

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping SGR codes is the point
const SGR = /\u001b\[[0-9;]*m/g;

after(removeRepos);

const HIKARI = 'app/src/main/resources/hikari.properties';
const C3P0 = 'reports/c3p0.properties';

/**
 * SHOP plus what no link mentions: a second MySQL server further away than deploy/mysql/my.cnf, a sysctl
 * tree above no pool and a pool whose engine is unknown.
 */
const SNAPSHOT: Record<string, string> = {
  ...SHOP,
  'archive/old/mysql/my.cnf': '[mysqld]\nwait_timeout = 3600\n',
  'images/batch/etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 120\n',
  'tools/hikari.properties': 'maximumPoolSize=5\n',
};

function text(input: Parameters<typeof inspectText>[0], width = 80, color = false): string {
  return inspectText(input, { color, width });
}

/** The lines of one link block's idle timeline, without their indent: the block whose (wrapped) title names the pool's file. */
function timelineOf(output: string, poolFile: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((l, i) => {
    if (!l.startsWith('pool ')) return false;
    const title = [l];
    for (let j = i + 1; lines[j]?.startsWith('  ') && !lines[j]?.startsWith('  link:'); j++) title.push((lines[j] as string).trim());
    return title.join(' ').includes(`, ${poolFile}:`);
  });
  assert.ok(start >= 0, `no link block for ${poolFile}`);
  const from = lines.indexOf('  idle timeline', start) + 1;
  const end = lines.findIndex((l, i) => i >= from && !l.startsWith('    '));
  return lines.slice(from, end).map((l) => l.slice(4));
}

test('snapshot at 80 columns without colour (reviewed by hand)', async () => {
  const { input } = await inspectRepo(SNAPSHOT);
  matchesSnapshot(text(input), 'inspect-text-80.txt');
});

test('snapshot at 80 columns with colour (reviewed by hand; ESC written as \\e)', async () => {
  const { input } = await inspectRepo(SNAPSHOT);
  matchesSnapshot(text(input, 80, true).replaceAll('\u001b', '\\e'), 'inspect-text-80-color.txt');
});

test('without colour the output is plain ASCII and colour adds only SGR codes', async () => {
  for (const files of [SNAPSHOT, TIE]) {
    const { input } = await inspectRepo(files);
    for (const width of [40, 60, 80, 120]) {
      const plain = text(input, width);
      assert.ok(
        [...plain].every((c) => c === '\n' || (c >= ' ' && c <= '~')),
        `ASCII at ${width}`,
      );
      assert.equal(text(input, width, true).replace(SGR, ''), plain);
      for (const line of plain.split('\n')) assert.ok(line.length <= width, `${width}: ${line}`);
    }
  }
});

test('secrets never reach the text', async () => {
  const { input } = await inspectRepo(SNAPSHOT);
  const output = text(input);
  assert.ok(!output.includes('hunter2'));
  assert.ok(!output.includes('s3cret'));
});

test('the markers are the path elements, labels as the path has them; unknown values are left off the timeline', async () => {
  const repo = await inspectRepo(SHOP);
  const path = pathOf(repo, HIKARI);
  const { markers, unknown } = timelineMarkers(path);
  assert.deepStrictEqual(markers, [
    {
      label: 'network idle timeout 4 min',
      ms: 240_000,
      kind: 'network',
      refreshes: false,
      device: 'the declared network idle timeout',
      expiry: 'unknown',
    },
    { label: 'tcp_keepalive_time 5 min', ms: 300_000, kind: 'keepalive', refreshes: true },
    { label: 'wait_timeout 10 min', ms: 600_000, kind: 'server', refreshes: false },
    { label: 'maxLifetime 30 min', ms: 1_800_000, kind: 'pool', refreshes: false },
    { label: 'idleTimeout never', ms: undefined, kind: 'pool', refreshes: false },
  ]);
  assert.deepStrictEqual(unknown, [
    `keepaliveTime ('${KEEPALIVE_PLACEHOLDER}' is a placeholder filled in outside HikariCP (build or deployment), so its value is not known here)`,
  ]);
  const output = text(repo.input);
  const timeline = timelineOf(output, HIKARI);
  assert.ok(!timeline.slice(0, -3).some((l) => l.includes('keepaliveTime')), 'no keepaliveTime row on the axis');
  assert.match(timeline.join('\n'), /not on the timeline \(value unknown\): keepaliveTime \('\$\{KEEPALIVE_MS\}' is a/);
});

test('a pgjdbc pool: the driver leaves TCP keepalive off, so the kernel keepalive is drawn as no effect', async () => {
  const repo = await inspectRepo(SHOP);
  const tcp = timelineMarkers(pathOf(repo, C3P0)).markers.find((m) => m.kind === 'keepalive');
  assert.deepStrictEqual(tcp, { label: 'tcp_keepalive_time 2 h (off in the driver)', ms: 7_200_000, kind: 'keepalive', refreshes: false });
  const output = text(repo.input);
  assert.match(output, /driver: pgjdbc tcpKeepAlive defaults to false \(knowledge README, section 4\),\n\s+so these settings do not apply/);
  assert.ok(timelineOf(output, C3P0)[1]?.includes('.'), 'the inert marker on the axis');
});

test('a pool with no sysctl tree: Linux defaults, 2 h', async () => {
  const repo = await inspectRepo({ 'svc/hikari.properties': 'jdbcUrl=jdbc:mysql://db/svc\n' });
  const tcp = timelineMarkers(pathOf(repo, 'svc/hikari.properties')).markers.find((m) => m.kind === 'keepalive');
  assert.deepStrictEqual(tcp, { label: 'tcp_keepalive_time 2 h (Linux default)', ms: 7_200_000, kind: 'keepalive', refreshes: true });
  const output = text(repo.input);
  assert.match(output, /\n {2}os keepalive: Linux defaults \(no scanned sysctl tree applies\)\n/);
  assert.match(output, /\n {4}net\.ipv4\.tcp_keepalive_time {2}2 h {2}Linux default\n/);
  assert.match(output, /\n {2}network: no idle timeout declared\n/);
});

test('host choice: the nearest sysctl tree above the pool, or the only one', async () => {
  const repo = await inspectRepo({
    'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 600\n',
    'images/batch/etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 120\n',
    'images/batch/app/hikari.properties': 'jdbcUrl=jdbc:mysql://db/batch\n',
  });
  const output = text(repo.input);
  assert.match(output, /\n {2}os keepalive: host:images\/batch, the nearest sysctl tree above the pool\n/);
  assert.match(output, /\n {2}host host:\. \(1 file\): net\.ipv4\.tcp_keepalive_time 10 min/);
  assert.equal(
    timelineMarkers(pathOf(repo, 'images/batch/app/hikari.properties')).markers.find((m) => m.kind === 'keepalive')?.ms,
    120_000,
  );
  const only = await inspectRepo({
    'images/batch/etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 120\n',
    'web/hikari.properties': 'jdbcUrl=jdbc:mysql://db/web\n',
  });
  assert.match(text(only.input), /\n {2}os keepalive: host:images\/batch, the only sysctl tree scanned\n/);
});

test('two network devices at the same time that expire differently: both marked, and the text says which is not known', async () => {
  const repo = await inspectRepo(TIE);
  const output = text(repo.input);
  assert.match(
    output,
    /profile aws-nat-gateway at connlint\.config\.yaml:2: AWS NAT gateway, 350 s,\n\s+on expiry rst-next \(fires first\)/,
  );
  assert.match(
    output,
    /profile aws-gwlb at connlint\.config\.yaml:2: AWS Gateway Load Balancer,\n\s+350 s, on expiry silent \(fires first\)/,
  );
  assert.match(output, /2 devices fire at the same time and expire differently; which one forgets\n\s+the flow first is not known/);
  const timeline = timelineOf(output, 'app/hikari.properties');
  assert.deepStrictEqual(
    timeline.filter((l) => l.includes(FIRST_KILLER)).map((l) => l.trim()),
    [`^ aws-gwlb idle timeout 350 s ${FIRST_KILLER}`, `^ aws-nat-gateway idle timeout 350 s ${FIRST_KILLER}`],
  );
  const sentences = timeline
    .slice(timeline.findIndex((l) => l.startsWith('first:')))
    .join(' ')
    .replace(/ {2,}/g, ' ');
  assert.equal(
    sentences,
    'first: aws-gwlb idle timeout 350 s and aws-nat-gateway idle timeout 350 s, at the same time -> the network drops the flow, ' +
      'so the connection dies silently; the pool still lends it until maxLifetime 30 min ' +
      'on expiry: it is not known which device forgets the flow first, so either can happen: AWS Gateway Load Balancer: drops the ' +
      'flow silently, so the next query hangs until TCP gives up (silent); or AWS NAT gateway: answers the next packet with a reset (rst-next)',
  );
});

test('a kernel probe before the network but not before wait_timeout: wait_timeout closes first', async () => {
  const repo = await inspectRepo({
    'connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\n',
    'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 120\n',
    'my.cnf': '[mysqld]\nwait_timeout = 600\n',
    'hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nmaxLifetime=1800000\nkeepaliveTime=0\n',
  });
  const timeline = timelineOf(text(repo.input, 200), 'hikari.properties');
  assert.deepStrictEqual(
    timeline.filter((l) => l.includes(FIRST_KILLER)).map((l) => l.trim()),
    [`^ wait_timeout 10 min ${FIRST_KILLER}`],
  );
  assert.deepStrictEqual(timeline.slice(-2), [
    "first: tcp_keepalive_time 2 min -> TCP keepalive probes reset the network's idle timers, not the server's",
    'then: wait_timeout 10 min -> the server closes the connection, so the connection dies silently; the pool still lends it until maxLifetime 30 min',
  ]);
});

test('a pool ping before every limit: nothing closes first', async () => {
  const repo = await inspectRepo({
    'connlint.config.yaml': 'network:\n  profile: aws-nat-gateway\nlibraries:\n  hikaricp: 6.2.1\n',
    'hikari.properties': 'jdbcUrl=jdbc:mysql://db/app\nkeepaliveTime=120000\n',
  });
  const timeline = timelineOf(text(repo.input, 200), 'hikari.properties');
  assert.ok(!timeline.some((l) => l.includes(FIRST_KILLER)));
  assert.equal(
    timeline.at(-1),
    "first: keepaliveTime 2 min -> the pool's ping resets the server and network idle timers; the connection never dies silently while idle",
  );
});

test('an empty repository says so', async () => {
  const { input } = await inspectRepo({ 'README.md': '# nothing here\n' });
  assert.equal(
    text(input),
    'connlint inspect: 0 links, 0 servers, 0 pools, 0 hosts\n\nnot on any link\n  network: no idle timeout declared\n',
  );
});

test('no link at all: the network elements are listed on their own', async () => {
  const { input } = await inspectRepo({
    'connlint.config.yaml': 'network:\n  idleTimeout: 300s\n  profile: aws-nat-gateway\n',
    'etc/sysctl.conf': 'net.ipv4.tcp_keepalive_time = 600\n',
  });
  assert.equal(
    text(input),
    [
      'connlint inspect: 0 links, 0 servers, 0 pools, 1 host',
      'config: connlint.config.yaml',
      '',
      'not on any link',
      '  host host:. (1 file): net.ipv4.tcp_keepalive_time 10 min (set at',
      '    etc/sysctl.conf:1)',
      '  network: idle timeout at connlint.config.yaml:2: 5 min, on expiry unknown',
      '  network: profile aws-nat-gateway at connlint.config.yaml:3: AWS NAT gateway,',
      '    350 s, on expiry rst-next',
      '',
    ].join('\n'),
  );
});

test("docs/inspect.md: the timelines shown are connlint's own output", async () => {
  const blocks = [...docs.slice(docs.indexOf('## Reading the idle timeline')).matchAll(/^```\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  assert.equal(blocks.length, 2);
  const { lint } = await import('../../src/engine/run.js');
  const run = await lint({ cwd: fileURLToPath(new URL('../../../fixtures/demo', import.meta.url)), paths: [] });
  const shop = timelineOf(text({ model: run.model }), 'shop/src/main/resources/hikari.properties');
  const shown = shop.slice(
    0,
    shop.findIndex((l) => l.startsWith('not on the timeline')),
  );
  assert.equal(blocks[0], `${shown.join('\n')}\n`);
  const tie = await inspectRepo(TIE);
  assert.equal(blocks[1], `${timelineOf(text(tie.input), 'app/hikari.properties').join('\n')}\n`);
});

test('option-file clients: the groups each reads, its server and every option, secrets masked', async () => {
  const { input } = await inspectRepo({
    'my.cnf':
      '[client]\nuser = app\npassword = hunter2\nmax_allowed_packet = 100000\n[mysql]\nmax_allowed_packet = 1G\n[mysqld]\nwait_timeout = 600\n',
  });
  const out = text(input);
  assert.equal(out.includes('hunter2'), false);
  assert.deepEqual(out.slice(out.indexOf('option-file clients')).split('\n'), [
    'option-file clients',
    '  client client:my.cnf (mysql, reads [mysql] [client]; server mysql:my.cnf)',
    '    max_allowed_packet  1 GiB   set at my.cnf:6, replacing my.cnf:4',
    '    password            "****"  set at my.cnf:3',
    '    user                "app"   set at my.cnf:2',
    '',
  ]);
});
