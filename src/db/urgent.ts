import type { Database, Db } from './client.js';

/**
 * The same dependencies, but on the crisis path's own connections (Database.urgent, DB_URGENT_POOL_MAX): a
 * bulkhead. Under load the main pool has a queue (B7: 20–100 queries waiting for 20 connections while a
 * reminder burst and 200 intakes run), and a crisis recorded or paged through it waited seconds in that
 * queue. Used for recording a crisis (telegram/, intake/) and for sending urgent rows (delivery/send-now.ts);
 * the page steps that follow a crisis run on it too. Without an urgent pool (PGlite) `deps` come back as they are.
 * One copy per deps (so caches keyed by deps see one object), and it names the deps it came from (baseDeps).
 */
const BASE = Symbol('urgentDepsOf');
const copies = new WeakMap<object, object>();

export function urgentDeps<D extends { db: Db; database: Database }>(deps: D): D {
  const urgent = deps.database.urgent;
  if (!urgent || deps.db === urgent) return deps;
  let copy = copies.get(deps) as D | undefined;
  if (!copy) {
    copy = { ...deps, db: urgent, [BASE]: deps };
    copies.set(deps, copy);
  }
  return copy;
}

/** The deps an urgent copy was made from (itself otherwise): what per-process caches (the platform senders) are keyed by. */
export function baseDeps<D extends object>(deps: D): D {
  return (deps as D & { [BASE]?: D })[BASE] ?? deps;
}
