/**
 * TypeORM's `ormconfig.yml` / `ormconfig.yaml` (read by 0.2.0–0.3.13; ConnectionOptionsYmlReader.ts
 * @0.2.0, @0.2.45, @0.3.13): js-yaml loads the file, and each top-level key is a connection name whose
 * value is that connection's options, `Object.assign({ name: key }, value)` — so a `name:` written inside
 * wins over the key:
 * ```yaml
 * default:
 *   type: mysql
 *   extra: { connectionLimit: 10 }
 * ```
 * A top-level list gives connections named "0", "1" ... the same way. js-yaml's `load` throws on a
 * file with several documents, and on duplicate keys and syntax errors (reported by `parseYaml`).
 */
import type { Problem } from '../../model/problem.js';
import type { Span } from '../../model/span.js';
import type { YamlFile } from '../../parsers/yaml.js';
import type { JsProperty, JsValue } from '../js/value.js';
import { yamlToJsValue } from '../js/yaml-value.js';

/** One connection's options with its name added as the reader adds it. */
function named(name: string, value: JsValue, keySpan: Span): JsValue {
  const nameProp: JsProperty = { key: 'name', value: { kind: 'string', value: name, span: keySpan }, span: keySpan, keySpan };
  if (value.kind !== 'object') return { kind: 'object', properties: [nameProp], span: value.span };
  if (value.properties.some((p) => p.key === 'name')) return value;
  return { ...value, properties: [nameProp, ...value.properties] };
}

/**
 * The connections of an ormconfig.yml as one array of options objects (for `typeormPools`), or why there
 * are none. `problems` are those `parseYaml` reported: with any error js-yaml fails, and nothing is read.
 */
export function ymlConnections(
  file: YamlFile,
  parseProblems: readonly Problem[],
): { connections?: JsValue; reason?: string; problems: Problem[] } {
  const problems: Problem[] = [];
  if (parseProblems.some((p) => p.severity === 'error'))
    return { reason: 'the file is not valid YAML for js-yaml, so TypeORM fails to load it', problems };
  const second = file.documents[1];
  if (second) {
    const span = file.spanAt(second.doc.range[0], second.doc.range[0] + 3);
    problems.push({
      severity: 'error',
      span,
      message: `${file.path} holds more than one YAML document, and TypeORM's reader (js-yaml's load) accepts only one: it fails to load the file`,
    });
    return { reason: 'more than one YAML document', problems };
  }
  const doc = file.documents[0];
  if (!doc?.root) return { reason: 'the file is empty, so it gives no connections', problems };
  const root = yamlToJsValue(file, doc.root, file.spanOf(doc.root));
  if (root.kind === 'object')
    return {
      connections: { kind: 'array', items: root.properties.map((p) => named(p.key, p.value, p.keySpan)), span: root.span },
      problems,
    };
  if (root.kind === 'array')
    return { connections: { kind: 'array', items: root.items.map((v, i) => named(String(i), v, v.span)), span: root.span }, problems };
  return { reason: 'the top level is not a mapping of connection names to options', problems };
}
