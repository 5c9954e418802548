import { afterEach, describe, expect, it } from 'vitest';
import { FAULT_WAIT } from '../helpers/waits.js';
import { alive, childrenOf, FaultWorld, type Expected, type Proc } from './fault-world.js';

/**
 * SIGTERM under load, as operators and supervisors send it: to the whole
 * process group (Ctrl-C in a terminal, systemd's default KillMode), to the
 * `npm` process (npm as a container's PID 1, or a supervisor holding npm's
 * pid), and to the node process itself. Sends are in flight when the signal
 * comes (the platform answers slowly). Whatever the target, the service must
 * exit 0 within SHUTDOWN_TIMEOUT_MS, leave no process behind, and leave every
 * row sent or back to pending (no live claim) — and a worker started after it
 * sends each remaining message once: nothing twice, nothing lost.
 */
// Production's default. A busy CI machine can lag an event loop by seconds: a shorter budget would cut
// calls whose answers are already on their way (in doubt: the one window no code can close).
const SHUTDOWN_TIMEOUT_MS = 8000;
let world: FaultWorld | undefined;
// dist/ is built once for the whole run by test/global-setup.ts (concurrent builds would clobber each other).
afterEach(async () => {
  await world?.close();
  world = undefined;
});

async function afterStop(w: FaultWorld, expected: Expected, p: Proc, nodePid: number, signalledAt: number): Promise<void> {
  const exit = await p.exited;
  expect(exit).toMatchObject({ code: 0, signal: null });
  expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
  expect(p.out()).toMatch(/"msg":"stopped"/);
  expect(p.out()).not.toMatch(/did not stop in time/);
  expect(alive(nodePid)).toBe(false); // no orphan: the node process ended with npm
  // Every row ends sent, or pending with no claim left behind (the next worker can take it at once).
  const states = await w.ledgerStates(expected);
  expect(states.filter((r) => !(r.status === 'sent' || (r.status === 'pending' && r.claimToken === null)))).toEqual([]);
  expect(w.report(expected).duplicates).toBe(0);

  // A fresh worker at a normal pace sends the rest: each message exactly once.
  w.tg.answerDelayMs = 0;
  w.slack.answerDelayMs = 0;
  const next = w.start({ via: 'node', entry: 'workers', built: true });
  await next.waitFor(/workers started/);
  await w.waitAllSent(expected, 40_000);
  expect(w.report(expected)).toMatchObject({ lost: 0, duplicates: 0 });
}

describe('SIGTERM under load', () => {
  it.each([
    { target: 'the process group of `npm run start:workers` (Ctrl-C, systemd)', how: 'group' as const },
    { target: 'the npm process of `npm run start:prod:workers`', how: 'npm' as const },
    { target: 'the node process (`node dist/workers/main.js`)', how: 'node' as const },
  ])(
    'to $target: exit 0 in time, no orphan, every row sent or pending, nothing twice',
    async ({ how }) => {
      const w = (world = await FaultWorld.create({ SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) }));
      w.tg.answerDelayMs = 800;
      w.slack.answerDelayMs = 800;
      const p =
        how === 'node'
          ? w.start({ via: 'node', entry: 'workers', built: true })
          : w.start({ via: 'npm', script: how === 'group' ? 'start:workers' : 'start:prod:workers' }, { detached: how === 'group' });
      await p.waitFor(/workers started/);
      const nodePid = how === 'node' ? p.pid : childrenOf(p.pid)[0]!;
      expect(nodePid).toBeGreaterThan(0);
      const expected = await w.seed(20, { firstDueInMs: 300, spreadMs: 1000 });
      await expect.poll(() => w.sentCount(expected) >= 3, FAULT_WAIT).toBeTruthy(); // under load: some sent, more in flight

      const signalledAt = Date.now();
      process.kill(how === 'group' ? -p.pid : p.pid, 'SIGTERM');
      // The signal reached the service itself (through npm, when npm got it)...
      await p.waitFor(/"signal":"SIGTERM","msg":"stopping"/, SHUTDOWN_TIMEOUT_MS);
      // ...and a repeated one during the drain (an impatient Ctrl-C, a supervisor re-sending) is absorbed, not fatal.
      // (Signals that arrive together coalesce into one, so the repeat is sent once the drain has begun.)
      process.kill(how === 'group' ? -p.pid : p.pid, how === 'node' ? 'SIGINT' : 'SIGTERM');
      await afterStop(w, expected, p, nodePid, signalledAt);
      expect(p.out()).toMatch(/already stopping; signal absorbed/);
    },
    90_000,
  );

  it('to the npm process of `npm run start:prod:app`: the app stops answering, exits 0 in time, and npm leaves no node behind', async () => {
    const w = (world = await FaultWorld.create({ SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) }));
    const p = w.start({ via: 'npm', script: 'start:prod:app' });
    await p.waitFor(/http server listening/);
    const url = /"url":"(http:\/\/[^"]+)"/.exec(p.out())![1]!;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const nodePid = childrenOf(p.pid)[0]!;
    const signalledAt = Date.now();
    process.kill(p.pid, 'SIGTERM');
    const exit = await p.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.at - signalledAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(alive(nodePid)).toBe(false);
    await expect(fetch(`${url}/readyz`)).rejects.toThrow();
  }, 60_000);

  it('while the platform takes longer than the whole shutdown to answer: in-flight sends are cut and go back to pending, none is sent twice', async () => {
    const w = (world = await FaultWorld.create({ SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) }));
    w.tg.answerDelayMs = 20_000; // longer than SHUTDOWN_TIMEOUT_MS and than PLATFORM_HTTP_TIMEOUT_MS (8 s here)
    w.slack.answerDelayMs = 20_000;
    const p = w.start({ via: 'node', entry: 'workers', built: true });
    await p.waitFor(/workers started/);
    const expected = await w.seed(12, { firstDueInMs: 300, spreadMs: 500 });
    // Wait until sends are held by the slow platform (claimed rows).
    await expect.poll(async () => (await w.ledgerStates(expected)).filter((r) => r.claimToken !== null).length >= 6, FAULT_WAIT).toBeTruthy();
    const signalledAt = Date.now();
    process.kill(p.pid, 'SIGTERM');
    await afterStop(w, expected, p, p.pid, signalledAt);
    expect(p.out()).toMatch(/interrupting them/);
  }, 90_000);
});
