import type { Span } from '../../model/span.js';
import { convert, describe } from './constant-ops.js';
import { isConstant, unknown, type Val, type VEnv } from './eval-value.js';

/*
 * Environment lookups (issue 17): the value is "from environment X, default D". Each library's own rules
 * for the default and the conversion are applied here, so that `default` is what the code gets when the
 * variable is unset and `cast` is what is applied to the variable's text when it is set:
 * - os: `os.environ["X"]` (no default: KeyError when unset), `os.environ.get("X", d)`, `os.getenv("X", d)`,
 *   `os.environ.setdefault("X", d)`; without `d` the default is None. No conversion: the value is the text.
 * - django-environ (`env = environ.Env()`): `env("X", cast=None, default=NOTSET, parse_default=False)`
 *   casts to the default's type when no cast is given (smart cast); `env.str/int/float/bool("X", default)`.
 *   The default is returned as given unless `parse_default=True` (django.md).
 * - python-decouple: `config("X", default=..., cast=...)` applies the cast to the default too; `cast=bool`
 *   reads 1/yes/true/on and 0/no/false/off/'' (decouple 3.6).
 */

export type Cast = 'int' | 'float' | 'str' | 'bool';

/** Arguments of a call, by position and by keyword, as the evaluator passes them. */
export interface CallArgs {
  args: Val[];
  kwargs: Map<string, Val>;
  /** `*x` / `**x` that could not be expanded: then an argument not listed may still be given. */
  hasUnpacked: boolean;
}

function arg(a: CallArgs, index: number, name: string): Val | undefined {
  return a.kwargs.get(name) ?? a.args[index];
}

const BUILTIN_CASTS: Record<string, Cast> = {
  'builtins.int': 'int',
  'builtins.float': 'float',
  'builtins.str': 'str',
  'builtins.bool': 'bool',
};

function castOf(v: Val | undefined): Cast | 'other' | undefined {
  if (!v) return undefined;
  if (v.kind === 'ref' && BUILTIN_CASTS[v.name]) return BUILTIN_CASTS[v.name];
  return 'other';
}

function variableName(a: CallArgs, span: Span): string | Val {
  const name = arg(a, 0, 'key') ?? a.kwargs.get('var') ?? a.kwargs.get('option');
  if (name?.kind === 'str') return name.value;
  return unknown(name ? `an environment variable named by ${describe(name)}` : 'an environment lookup without a variable name', span);
}

const OS_LOOKUPS = new Set(['os.getenv', 'os.environ.get', 'os.environ.setdefault']);

/** `os.environ["X"]` */
export function environSubscript(key: Val, span: Span): Val {
  if (key.kind !== 'str') return unknown(`an environment variable named by ${describe(key)}`, span);
  return { kind: 'env', name: key.value, via: 'os.environ[...]', span };
}

/**
 * The value of a call that reads the environment, or undefined when `callee` is not such a lookup.
 * `callee` is the resolved callee (`os.getenv`, `environ.Env.int`, `decouple.config`), with `()` for a
 * call of an object made by a call (`environ.Env()` for `env("X")`, `decouple.AutoConfig()`); `env` for
 * a name `env` imported from a module not in the tree. `instance` is the object the method belongs to,
 * for django-environ's scheme check.
 */
export function environmentCall(callee: string, a: CallArgs, span: Span, instance?: Val): Val | undefined {
  if (OS_LOOKUPS.has(callee)) {
    const name = variableName(a, span);
    if (typeof name !== 'string') return name;
    const given = arg(a, 1, 'default');
    if (!given && a.hasUnpacked) return unknown('an environment lookup with unexpanded arguments', span);
    const env: VEnv = { kind: 'env', name, via: callee, span, default: given ?? { kind: 'none', span } };
    return env;
  }
  const djangoEnviron = /^(?:environ\.Env|env)(?:\(\)|\.(str|int|float|bool))$/.exec(callee);
  if (djangoEnviron) return djangoEnvironCall(djangoEnviron[1], a, span, instance);
  if (callee === 'decouple.config' || callee === 'decouple.AutoConfig()' || callee === 'decouple.Config()') return decoupleCall(a, span);
  return undefined;
}

function djangoEnvironCall(method: string | undefined, a: CallArgs, span: Span, instance?: Val): Val {
  const name = variableName(a, span);
  if (typeof name !== 'string') return name;
  // `environ.Env(DEBUG=(bool, False))` declares a cast and default for DEBUG that connlint does not read.
  if (instance?.kind === 'call' && instance.kwargs.some((k) => k.name === name)) {
    return unknown(`${name}: its cast and default come from the Env(...) scheme`, span);
  }
  if (a.hasUnpacked) return unknown('an environment lookup with unexpanded arguments', span);
  const via = method ? `env.${method}` : 'env';
  let cast: Cast | 'other' | undefined = method as Cast | undefined;
  let given: Val | undefined;
  if (method) {
    given = arg(a, 1, 'default');
  } else {
    given = arg(a, 2, 'default');
    cast = castOf(arg(a, 1, 'cast'));
    // Smart cast: with no cast, the default's type is the cast (django-environ's `smart_cast`).
    if (!cast && given && given.kind !== 'none') {
      cast =
        given.kind === 'int'
          ? 'int'
          : given.kind === 'float'
            ? 'float'
            : given.kind === 'str'
              ? 'str'
              : given.kind === 'bool'
                ? 'bool'
                : 'other';
    }
  }
  if (cast === 'other') return unknown(`${via}(${JSON.stringify(name)}) with a cast connlint does not apply`, span);
  const env: VEnv = { kind: 'env', name, via, span };
  if (cast && cast !== 'str') env.cast = cast;
  else if (cast === 'str') env.cast = 'str';
  if (given) {
    const parse = a.kwargs.get('parse_default');
    env.default =
      parse?.kind === 'bool' && parse.value && cast && given.kind === 'str' ? castDefault(cast, given, span, 'django-environ') : given;
  }
  return env;
}

const DECOUPLE_BOOLEANS: Record<string, boolean> = {
  '1': true,
  yes: true,
  true: true,
  on: true,
  '0': false,
  no: false,
  false: false,
  off: false,
  '': false,
};

function decoupleCall(a: CallArgs, span: Span): Val {
  const name = variableName(a, span);
  if (typeof name !== 'string') return name;
  if (a.hasUnpacked) return unknown('an environment lookup with unexpanded arguments', span);
  const cast = castOf(arg(a, 2, 'cast'));
  if (cast === 'other') return unknown(`decouple config(${JSON.stringify(name)}) with a cast connlint does not apply`, span);
  const env: VEnv = { kind: 'env', name, via: 'decouple.config', span };
  if (cast) env.cast = cast;
  const given = arg(a, 1, 'default');
  if (given) env.default = cast ? castDefault(cast, given, span, 'decouple') : given;
  return env;
}

/** A default run through the library's cast (decouple always, django-environ with parse_default). */
function castDefault(cast: Cast, given: Val, span: Span, library: 'decouple' | 'django-environ'): Val {
  if (cast === 'bool' && library === 'decouple') {
    const text =
      given.kind === 'str'
        ? given.value.toLowerCase()
        : given.kind === 'bool'
          ? String(given.value)
          : given.kind === 'int'
            ? given.value.toString()
            : undefined;
    if (text === undefined) return unknown(`the default ${describe(given)} cast to bool`, given.span);
    const b = DECOUPLE_BOOLEANS[text];
    return b === undefined
      ? unknown(`decouple raises ValueError for the default ${describe(given)} with cast=bool`, given.span)
      : { kind: 'bool', value: b, span: given.span };
  }
  if (!isConstant(given)) return unknown(`the default ${describe(given)} cast to ${cast}`, given.span);
  const r = convert(cast, given, given.span);
  return 'raises' in r ? unknown(`${cast}(${describe(given)}) of the default raises ${r.raises}`, span) : r;
}

/** `int(env)`, `float(env)`, `str(env)`: the conversion applies to the variable's text and to the default. */
export function castEnvironment(to: Cast, env: VEnv, span: Span): Val {
  if (to === 'bool') return unknown(`bool() of environment variable ${env.name} (true for any non-empty text)`, span);
  if (env.cast && env.cast !== 'str' && env.cast !== to)
    return unknown(`${to}() of environment variable ${env.name} already read as ${env.cast}`, span);
  const out: VEnv = { ...env, cast: to, span };
  if (env.default) {
    if (env.default.kind === 'none' && to !== 'str') {
      // int(None) raises TypeError: unset means a crash, not a default (str(None) is 'None').
      delete out.default;
    } else if (isConstant(env.default)) {
      const r = convert(to, env.default, env.default.span);
      out.default = 'raises' in r ? unknown(`${to}() of the default ${describe(env.default)} raises ${r.raises}`, env.default.span) : r;
    } else {
      out.default = unknown(`${to}() of ${describe(env.default)}`, env.default.span);
    }
  }
  return out;
}
