import type { Deps } from '../../deps.js';
import type { DeliveryKindName } from './names.js';
import type { DeliveryKindOf } from './registry.js';

export type { Outbound } from './registry.js';

/** One delivery kind (`*.kind.ts`, in the feature that owns it); listed in src/catalogue.ts. */
export type DeliveryKind<K extends DeliveryKindName = DeliveryKindName> = DeliveryKindOf<Deps, K>;

/** Keeps the kind's name as a literal, so the catalogue can check it against its key. */
export function deliveryKind<K extends DeliveryKindName>(k: DeliveryKind<K>): DeliveryKind<K> {
  return k;
}
