import { setMaxListeners } from 'node:events';
import type { Deps } from '../deps.js';
import { baseDeps } from '../db/urgent.js';
import { RateBudgets, type SendBudgets } from './rate-budget.js';
import type { PlatformClients } from './sender.js';

export interface PlatformSenders extends PlatformClients {
  budgets: SendBudgets;
  /** Aborted when the process stops: waits end, platform calls are cut, rows go back to pending. */
  stopping?: AbortController;
}

const cache = new WeakMap<object, PlatformSenders>();

/** Platform clients (chosen at the composition root: deps.makeSenders) and budgets for these deps, made once. */
export function platformSenders(urgentOrBase: Deps): PlatformSenders {
  // The crisis path's copy of the deps (db/urgent.ts) shares its process's senders: one stop signal ends every wait.
  const deps = baseDeps(urgentOrBase);
  let s = cache.get(deps);
  if (!s) {
    const stopping = new AbortController();
    // Every send waiting for its turn listens for the stop: a batch and the urgent sends are more than Node's default 10.
    setMaxListeners(0, stopping.signal);
    s = { ...deps.makeSenders(deps), budgets: new RateBudgets(deps.redis, deps.config), stopping };
    cache.set(deps, s);
  }
  return s;
}

/**
 * Shutdown, once the graceful part of the deadline is spent: end in-process
 * waits and cut platform calls still waiting for an answer. Each interrupted
 * row goes back to pending (claim released); a send the platform already
 * answered is recorded (or journaled) as usual.
 */
export function interruptSends(deps: Deps): void {
  const s = cache.get(baseDeps(deps));
  if (!s) return;
  s.stopping?.abort();
  s.telegram?.abort();
  s.slack?.abort();
}
