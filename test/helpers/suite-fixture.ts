import { afterAll, beforeAll } from 'vitest';

/**
 * Something a test file makes once in beforeAll and closes in afterAll: registers both hooks and
 * returns a stand-in that forwards every property (methods bound) to the real thing once it exists.
 * Vitest runs afterAll hooks in reverse (sequence.hooks 'stack'): register what others use first.
 */
export function useForFile<T extends object>(what: string, make: () => T | Promise<T>, close: (value: T) => unknown, timeoutMs?: number): T {
  let current: T | undefined;
  const made = (): T => {
    if (!current) throw new Error(`${what} is used before its beforeAll made it`);
    return current;
  };
  beforeAll(async () => {
    current = await make();
  }, timeoutMs);
  afterAll(async () => {
    if (current) await close(current);
  });
  return new Proxy({} as T, {
    get(_, key) {
      const value = Reflect.get(made(), key);
      return typeof value === 'function' ? value.bind(made()) : value;
    },
    set: (_, key, value) => Reflect.set(made(), key, value),
  });
}
