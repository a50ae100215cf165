/**
 * Preload (`node --import ./test/safety/no-network.mjs bin/connlint.js ...`) that makes every
 * network and process use throw, so a test run proves connlint reads config files statically
 * (issue 15, "Safe by construction, tested").
 *
 * Each guarded function throws `Error('connlint must not use <module>.<fn>')` and first writes
 * `NO-NETWORK VIOLATION <module>.<fn>` to stderr with a synchronous write, so a violation is seen
 * even when the code under test catches and swallows the error (crash isolation does exactly that).
 *
 * The CommonJS module objects are patched, then `syncBuiltinESMExports()` copies them into the
 * ESM named exports, so `import { spawn } from 'node:child_process'` (bound at link time) gets the
 * guard too. Every guard carries the symbol `Symbol.for('connlint.no-network')`, so the self-test
 * can check that a function is guarded without calling the real one.
 *
 * A name listed as required that is missing makes this module throw at load: a Node upgrade that
 * renames something fails the run loudly instead of leaving a hole.
 */
import { writeSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const require = createRequire(import.meta.url);
const GUARD = Symbol.for('connlint.no-network');
const write = writeSync;

/** @param {string} name */
function guard(name) {
  const guarded = function connlintNoNetwork() {
    try {
      write(2, `NO-NETWORK VIOLATION ${name}\n`);
    } catch {
      // stderr closed: the thrown error still says it.
    }
    const error = new Error(`connlint must not use ${name}`);
    Object.assign(error, { code: 'ERR_CONNLINT_NO_NETWORK' });
    throw error;
  };
  Object.defineProperty(guarded, GUARD, { value: name });
  return guarded;
}

/**
 * Replaces `target[key]` with a guard named `label.key`.
 * @param {object} target @param {string} label @param {string} key @param {boolean} required
 */
function patch(target, label, key, required) {
  const descriptor = Object.getOwnPropertyDescriptor(target, key);
  // Some globals (WebSocket in Node 22) are lazy getters: read them once, replace with a plain value.
  const value = descriptor && ('value' in descriptor ? descriptor.value : descriptor.configurable ? target[key] : undefined);
  if (typeof value !== 'function') {
    if (required) throw new Error(`no-network preload: ${label}.${key} is not a function in Node ${process.version}`);
    return;
  }
  if (value[GUARD]) return;
  const { enumerable, configurable } = descriptor;
  Object.defineProperty(target, key, { value: guard(`${label}.${key}`), writable: true, enumerable, configurable });
}

/** @param {object} target @param {string} label @param {string[]} required @param {string[]} [optional] */
function patchAll(target, label, required, optional = []) {
  for (const key of required) patch(target, label, key, true);
  for (const key of optional) patch(target, label, key, false);
}

/** The resolving functions of a dns module or Resolver prototype: lookup*, reverse, resolve*. */
function dnsNames(target) {
  return Object.getOwnPropertyNames(target).filter((k) => /^(lookup|lookupService|reverse|resolve\w*)$/.test(k));
}

const net = require('node:net');
patchAll(net, 'net', ['connect', 'createConnection', 'createServer']);
patchAll(net.Socket.prototype, 'net.Socket.prototype', ['connect']);
patchAll(net.Server.prototype, 'net.Server.prototype', ['listen']);

const dns = require('node:dns');
const dnsPromises = require('node:dns/promises');
patchAll(dns, 'dns', ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'reverse'], dnsNames(dns));
patchAll(dns.Resolver.prototype, 'dns.Resolver.prototype', ['resolve', 'resolve4', 'reverse'], dnsNames(dns.Resolver.prototype));
for (const [promises, label] of [
  [dnsPromises, 'dns/promises'],
  [dns.promises, 'dns.promises'],
]) {
  patchAll(promises, label, ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'reverse'], dnsNames(promises));
  patchAll(
    promises.Resolver.prototype,
    `${label}.Resolver.prototype`,
    ['resolve', 'resolve4', 'reverse'],
    dnsNames(promises.Resolver.prototype),
  );
}

for (const label of ['http', 'https']) {
  const http = require(`node:${label}`);
  patchAll(http, label, ['request', 'get', 'createServer']);
  // `new Agent()` stays allowed (libraries build one at load); opening a connection through it does not.
  patchAll(http.Agent.prototype, `${label}.Agent.prototype`, ['createConnection']);
}

const http2 = require('node:http2');
patchAll(http2, 'http2', ['connect', 'createServer', 'createSecureServer']);

const tls = require('node:tls');
patchAll(tls, 'tls', ['connect', 'createServer']);

const dgram = require('node:dgram');
patchAll(dgram, 'dgram', ['createSocket']);
patchAll(dgram.Socket.prototype, 'dgram.Socket.prototype', ['bind', 'connect', 'send']);

const childProcess = require('node:child_process');
patchAll(childProcess, 'child_process', ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']);
patchAll(childProcess.ChildProcess.prototype, 'child_process.ChildProcess.prototype', ['spawn']);

// inspector.open listens on a port.
patchAll(require('node:inspector'), 'inspector', ['open']);

// process.execve replaces the process with another program (Node 22.15+ / 23.11+).
patchAll(process, 'process', [], ['execve']);

patchAll(globalThis, 'globalThis', ['fetch'], ['WebSocket', 'EventSource']);

syncBuiltinESMExports();
