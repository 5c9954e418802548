import { z } from 'zod';

/**
 * The one check for an id that came from outside (a button value, modal
 * metadata, a command argument, a job payload) before it reaches a uuid column:
 * PostgreSQL rejects anything else with an error instead of finding nothing.
 * Any version: 8-4-4-4-12 hexadecimal digits.
 */
export const UUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const UUID = new RegExp(`^${UUID_PATTERN}$`, 'i');

export const isUuid = (value: string): boolean => UUID.test(value);

/** The same check in a zod schema (payloads, modal metadata, form input). */
export const zUuid = (message?: string) => z.string().refine(isUuid, message);
