import type { Deps } from '../../deps.js';
import type { DeliveryRow } from '../ledger.js';
import type { Outbound } from '../outbound.js';

export type { Outbound } from '../outbound.js';

export type RenderResult = Outbound | { skip: string };

export interface DeliveryKind {
  kind: string;
  /**
   * Goes out without waiting for earlier messages to the same recipient (a crisis page must not
   * queue behind the on-call person's reminders, nor the emergency reply behind a client's).
   * The platform's rate limits still apply.
   */
  urgent?: boolean;
  render(deps: Deps, row: DeliveryRow): Promise<RenderResult>;
  /** After a successful send: e.g. remember the Slack ts of a posted card. */
  afterSent?(deps: Deps, row: DeliveryRow, sent: { externalRef: string; channelRef?: string }): Promise<void>;
}

export function deliveryKind(k: DeliveryKind): DeliveryKind {
  return k;
}
