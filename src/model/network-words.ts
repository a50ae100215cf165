import { formatDuration } from './duration.js';
import type { PathElement } from './idle-path.js';
import type { Expiry } from './model.js';
import type { Span } from './span.js';
import { whereFrom } from './values.js';

/**
 * How findings about the declared network say what it does to an idle flow (network-idle-timeouts.md, "Expiry"):
 * shared by the rules that compare a pool's path with the first middlebox to forget the flow.
 */

const CONSEQUENCE: Record<Expiry, string> = {
  silent: 'the flow is dropped silently and the next query on that connection hangs until TCP gives up (15 to 30 min)',
  'rst-next': 'the next packet on that connection gets a reset (ECONNRESET, "Communications link failure")',
  'rst-both': 'both ends get a reset when the timer expires',
  close: 'the middlebox closes the connection',
  unknown: 'the connection breaks on its next use once the network forgets the flow',
};

/** What one device does when its timer fires, as a clause after its name. */
const DEVICE_DOES: Record<Expiry, string> = {
  silent: 'drops the flow silently, so the next query on that connection hangs until TCP gives up (15 to 30 min)',
  'rst-next': 'resets the next packet on that connection (ECONNRESET, "Communications link failure")',
  'rst-both': 'resets both ends when its timer expires',
  close: 'closes the connection',
  unknown: 'forgets the flow, so the connection breaks on its next use',
};

/** Where the first network element(s) to fire are declared: `aws-nat-gateway, connlint.config.yaml:2`. */
export function networkWhere(first: readonly PathElement[]): string {
  return first
    .map((e) => (e.element && e.element.name !== 'network' ? `${e.element.name}, ${whereFrom(e.setting)}` : whereFrom(e.setting)))
    .join('; ');
}

/**
 * What happens when the flow is forgotten. Elements that fire together may expire differently (a NAT
 * gateway that resets and a GWLB that drops silently, both at 350 s): each is named with its own effect.
 */
export function networkConsequence(first: readonly PathElement[]): string {
  const kinds = [...new Set(first.map((e) => e.expiry ?? 'unknown'))];
  if (kinds.length === 1) return CONSEQUENCE[kinds[0] as Expiry];
  const each = first.map((e) => `the ${e.element?.device ?? e.label} ${DEVICE_DOES[e.expiry ?? 'unknown']}`);
  return `whichever device forgets the flow first decides what breaks: ${each.join('; ')}`;
}

/** The declarations of the first elements in connlint.config.yaml, as related locations of a finding. */
export function networkRelated(first: readonly PathElement[], timeoutMs: number): Array<{ span: Span; message: string }> {
  return first.flatMap((e) =>
    e.setting.origin.kind === 'config'
      ? [{ span: e.setting.origin.span, message: `network idle timeout ${formatDuration(timeoutMs)}` }]
      : [],
  );
}
