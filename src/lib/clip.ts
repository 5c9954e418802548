const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `s` cut to at most `max` UTF-16 code units (the strictest way a platform
 * counts "characters"), ending with '…' when something was cut. The cut
 * falls between graphemes, so it never splits an emoji, a surrogate pair, a
 * flag or a letter with its combining marks. The one clip of the service.
 */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const room = max - 1;
  let out = '';
  for (const { segment } of graphemes.segment(s)) {
    if (out.length + segment.length > room) break;
    out += segment;
  }
  return `${out}…`;
}
