/**
 * How connlint.config.yaml's schema is compiled, at build time (src/dev/compile-config-schema.ts) and, when that output
 * is missing, at run time (load-config.ts): one set of options so both validate alike. `validateSchema: false`: the
 * shipped schema is checked against the meta-schema by a test, not on every run.
 */
export const ajvOptions = { allErrors: true, verbose: true, allowUnionTypes: true, validateSchema: false } as const;
