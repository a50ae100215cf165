import type { RuleOption } from '../engine/define-rule.js';
import type { Severity } from '../engine/finding.js';
import type { Engine } from '../model/model.js';
import type { Span } from '../model/span.js';

/** A value read from connlint.config.yaml, with the span of the value (for findings and errors). */
export interface Declared<T> {
  value: T;
  span: Span;
}

export type RuleSetting = 'off' | Severity;

/** A rule the config may name under `rules:`, with the options it accepts (a rule's `id` and `options`, or a fixed finding id with none). */
export interface RuleSpec {
  id: string;
  options: Record<string, RuleOption>;
}

/**
 * One entry of `overrides:` (ESLint's overrides, Ruff's per-file-ignores): rule severities for findings in
 * files matching any of `files` (globs relative to the scanned root, as `include`/`exclude`).
 */
export interface Override {
  files: string[];
  /** Severity by rule id; only ids of known rules. */
  rules: Record<string, Declared<RuleSetting>>;
  /** The list item, for messages. */
  span: Span;
}

/** connlint.config.yaml after validation; every declared value keeps its span. */
export interface Config {
  /** Path of the config file relative to the scanned root (or as given with --config), if one was read. */
  path?: string;
  network: {
    /** `network.idleTimeout`, in milliseconds. */
    idleTimeout?: Declared<number>;
    /** `network.profile` (one id or a list), each a known profile id. */
    profiles: Array<Declared<string>>;
  };
  database?: {
    /** `database.profile`: a known server profile id (src/interpreters/mysql/server-profiles.ts), engine and version agreeing with it. */
    profile?: Declared<string>;
    engine?: Declared<Engine>;
    version?: Declared<string>;
    /**
     * Server variables for a server whose config is not in the repository, by canonical name
     * (`wait_timeout`), value as written (number of seconds or option-file text such as `64M`).
     */
    variables: Record<string, Declared<string>>;
    span: Span;
  };
  /**
   * Pool-to-server mapping: a pool whose file path matches `pool` (a glob) talks to the server whose
   * root is `server` (a path), or to the declared `database` when `server` is `database`.
   */
  links: Array<{ pool: string; server: string; span: Span }>;
  /** Which server flavour and version reads the repository's option files (decides the option groups). */
  optionFiles?: {
    flavor?: Declared<'mysql' | 'mariadb'>;
    version?: Declared<string>;
  };
  /** Container paths mapped to repository directories, for absolute `!include` paths (`/etc/mysql/conf.d` -> `docker/mysql/conf.d`). */
  mounts: Record<string, Declared<string>>;
  /**
   * How many copies of an application run at once (replicas, workers), by a glob of the pool's file path or a pool's
   * name: `services/api/**: 4`. Each pool counts once per instance against the server's `max_connections`; default 1.
   */
  instances: Record<string, Declared<number>>;
  /** Declared library versions (`hikaricp: 6.3.0`). */
  libraries: Record<string, Declared<string>>;
  /** Severity by rule id; only ids of known rules. */
  rules: Record<string, Declared<RuleSetting>>;
  /** Rule options (`rules.<id>.options`) of known rules: only names the rule declares, each of the declared type and range. */
  ruleOptions: Record<string, Record<string, number | boolean | string>>;
  include: string[];
  exclude: string[];
  /** `overrides:` in file order; the last one matching a finding's file and naming its rule wins (config/overrides.ts). */
  overrides?: Override[];
}

export function emptyConfig(): Config {
  return {
    network: { profiles: [] },
    links: [],
    mounts: {},
    instances: {},
    libraries: {},
    rules: {},
    ruleOptions: {},
    include: [],
    exclude: [],
  };
}
