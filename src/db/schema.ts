/**
 * The system of record. Every appointment, follow-up, reminder and escalation
 * is a row here first; Redis only holds schedules that can be rebuilt from it.
 * Columns ending in `_enc` hold AES-GCM envelopes (src/lib/crypto.ts), never plain text.
 * Enumerations are CHECK constraints so a bad value can never be stored.
 */

export * from './schema/common.js';
export * from './schema/people.js';
export * from './schema/cases.js';
export * from './schema/operations.js';
export * from './schema/lifecycle.js';
export * from './schema/handover.js';
export * from './schema/referrals.js';
