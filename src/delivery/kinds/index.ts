import type { DeliveryKind } from './kind.js';
import { withdrawalNoticeKind } from '../../clients/withdrawal-notice.kind.js';

/**
 * Every delivery kind the sender knows, one file each (`*.kind.ts`, in the
 * feature that owns it). Add one import and one entry per kind.
 */
const KINDS: DeliveryKind[] = [
  withdrawalNoticeKind,
];

export const DELIVERY_KINDS: ReadonlyMap<string, DeliveryKind> = new Map(KINDS.map((k) => [k.kind, k]));
