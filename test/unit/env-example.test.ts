import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';

const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
const documented = new Map(
  text
    .split('\n')
    .filter((l) => /^[A-Z][A-Z0-9_]*=/.test(l))
    .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
);

describe('.env.example', () => {
  it('documents every variable the service reads, and nothing it does not', () => {
    expect([...documented.keys()].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });

  it('is itself a valid configuration (copying it as-is starts the service)', () => {
    const c = loadConfig(Object.fromEntries(documented));
    expect(c.sandbox).toBe(true);
    expect(c.embeddedDatabase).toBe(true);
  });

  it('puts a comment above every variable group', () => {
    const lines = text.split('\n');
    lines.forEach((l, i) => {
      if (/^[A-Z]/.test(l) && !/^[A-Z]/.test(lines[i - 1] ?? '')) expect(lines[i - 1]).toMatch(/^#/);
    });
  });
});
