/**
 * How long a test waits for work that happens after the answer (a job, a listener after its ack):
 * the options for `expect.poll(…)` and `vi.waitUntil(…)`, one per kind of test world.
 */

/** The Slack and Telegram integration worlds (test/integration/*-harness.ts). */
export const SLACK_WAIT = { timeout: 5000, interval: 25 } as const;

/** The end-to-end world (test/e2e/e2e-harness.ts): more moving parts, a little more patience. */
export const E2E_WAIT = { timeout: 10_000, interval: 30 } as const;

/** The fault tests, which run the built service in child processes (test/faults). */
export const FAULT_WAIT = { timeout: 30_000, interval: 25 } as const;
