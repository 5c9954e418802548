import type { DeliveryKind } from './kind.js';

/**
 * Every delivery kind the sender knows, one file each (`*.kind.ts`, in the
 * feature that owns it). Add one import and one entry per kind.
 */
const KINDS: DeliveryKind[] = [
];

export const DELIVERY_KINDS: ReadonlyMap<string, DeliveryKind> = new Map(KINDS.map((k) => [k.kind, k]));
