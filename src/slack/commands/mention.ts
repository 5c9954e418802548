/**
 * Slack escapes mentions in command text as `<@U123|name>` (the manifest sets
 * should_escape). `userOf` also takes a bare user id (U…/W…); `mentionOf` only
 * a mention.
 */
const USER = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$|^([UW][A-Z0-9]{2,})$/;
const MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

export function userOf(token: string | undefined): string | null {
  if (!token) return null;
  const m = USER.exec(token.trim());
  return m ? (m[1] ?? m[2])! : null;
}

export function mentionOf(token: string): string | null {
  return MENTION.exec(token)?.[1] ?? null;
}
