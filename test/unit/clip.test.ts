import { describe, expect, it } from 'vitest';
import { clip } from '../../src/lib/clip.js';

const brokenSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('clip (the one clip of the service)', () => {
  it('leaves text within the limit alone', () => {
    expect(clip('hello', 5)).toBe('hello');
    expect(clip('', 3)).toBe('');
  });

  it('cuts to at most max characters, ending with an ellipsis', () => {
    expect(clip('abcdefgh', 5)).toBe('abcd…');
    expect(clip('我'.repeat(10), 4)).toBe('我我我…');
  });

  it('never splits an emoji at the cut: a surrogate pair is kept whole or left out', () => {
    // 'abc' + 😀 (two UTF-16 units) + 'def': the cut at 5 would fall inside the emoji.
    const out = clip('abc😀def', 5);
    expect(out).toBe('abc…');
    expect(out).not.toMatch(brokenSurrogate);
    expect(clip('abc😀def', 6)).toBe('abc😀…');
  });

  it('keeps composed emoji (family, flag, skin tone) whole', () => {
    for (const e of ['👨‍👩‍👧‍👦', '🇬🇧', '👍🏽']) {
      const s = `ab${e}${e}cd`;
      for (let max = 2; max < s.length; max++) {
        const out = clip(s, max);
        expect(out.length).toBeLessThanOrEqual(max);
        expect(out.endsWith('…')).toBe(true);
        const kept = out.slice(0, -1);
        expect(s.startsWith(kept)).toBe(true);
        // What is kept is whole graphemes: the rest of the string starts at a grapheme boundary.
        expect(['ab', `ab${e}`, `ab${e}${e}`, `ab${e}${e}c`, 'a', '']).toContain(kept);
      }
    }
  });

  it('a long run of emoji stays within the limit and ends on a whole emoji', () => {
    const out = clip('😀'.repeat(3000), 3000);
    expect(out.length).toBeLessThanOrEqual(3000);
    expect(out.endsWith('😀…')).toBe(true);
    expect(out).not.toMatch(brokenSurrogate);
  });
});
