import type { DeliveryRow } from '../ledger.js';
import type { Outbound } from '../outbound.js';
import type { DeliveryKindName } from './names.js';

export type { Outbound } from '../outbound.js';

type RenderResult = Outbound | { skip: string };

/**
 * A delivery kind over the service's dependencies `D` (always src/deps.ts's
 * Deps; a parameter here only so that Deps can hold the registry without an
 * import cycle). Features use `DeliveryKind` and `deliveryKind()` from kind.ts.
 */
export interface DeliveryKindOf<D, K extends DeliveryKindName = DeliveryKindName> {
  kind: K;
  /**
   * Goes out without waiting for earlier messages to the same recipient (a crisis page must not
   * queue behind the on-call person's reminders, nor the emergency reply behind a client's).
   * The platform's rate limits still apply.
   */
  urgent?: boolean;
  render(deps: D, row: DeliveryRow): Promise<RenderResult>;
  /**
   * Several rows of this kind to one recipient, each rendered, as ONE message (a crisis page listing every
   * crisis waiting for that person: delivery/combine.ts). `parts` are in due order, the first at least; each
   * part keeps its own buttons. Only urgent kinds are combined.
   */
  combine?(parts: ReadonlyArray<{ row: DeliveryRow; out: Outbound }>): Outbound;
  /** After a successful send: e.g. remember the Slack ts of a posted card. */
  afterSent?(deps: D, row: DeliveryRow, sent: { externalRef: string; channelRef?: string }): Promise<void>;
}

/**
 * The renderers the sender looks a row's kind up in, by name. Built from the
 * catalogue at the composition root (src/catalogue.ts) and handed to delivery/
 * through Deps (`deps.deliveryKinds`): delivery/ never imports a feature's or
 * a platform's kinds itself.
 */
export type DeliveryKindRegistry<D> = ReadonlyMap<string, DeliveryKindOf<D>>;
