import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README and docs/ are read in any clone: a relative link must point to a
 * file inside the repository (issue 19: the README sent readers to
 * ../shared/CASEWORK.md, outside it).
 */
const root = resolve(__dirname, '../..');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

function relativeLinks(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!.split('#')[0]!;
    if (!target || /^[a-z]+:/i.test(target)) continue;
    out.push(target);
  }
  return out;
}

describe('documentation links', () => {
  it.each(pages)('%s links only to files inside the repository', (page) => {
    const broken = relativeLinks(readFileSync(join(root, page), 'utf8')).filter((link) => {
      const target = resolve(dirname(join(root, page)), link);
      return relative(root, target).startsWith('..') || !existsSync(target);
    });
    expect(broken).toEqual([]);
  });

  it("the README links to the project's own account of casework", () => {
    expect(relativeLinks(readFileSync(join(root, 'README.md'), 'utf8'))).toContain('docs/casework.md');
  });
});
