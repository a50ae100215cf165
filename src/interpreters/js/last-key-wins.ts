import type { JsProperty } from './value.js';

/**
 * The properties of a mapping read from a data file (JSON, YAML) where a repeated key's last value wins and takes the
 * place of the last one written, remembering the spans it replaced. Linear in the number of properties, however many
 * keys there are or however often one repeats.
 */
export class LastKeyWins {
  /** Properties in the order written; a replaced one leaves an empty slot. */
  private readonly slots: Array<JsProperty | undefined> = [];
  private readonly at = new Map<string, number>();

  add(property: JsProperty): void {
    const i = this.at.get(property.key);
    if (i !== undefined) {
      const old = this.slots[i] as JsProperty;
      // The replaced property is dropped, so its list is taken over rather than copied.
      const overrides = old.overrides ?? [];
      overrides.push(old.span);
      property.overrides = overrides;
      this.slots[i] = undefined;
    }
    this.at.set(property.key, this.slots.length);
    this.slots.push(property);
  }

  properties(): JsProperty[] {
    return this.slots.filter((p): p is JsProperty => p !== undefined);
  }
}
