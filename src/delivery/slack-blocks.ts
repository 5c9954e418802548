/**
 * The few Block Kit shapes the delivery kinds use (section + buttons), so the
 * kinds stay short. Button values carry ids only; the listeners re-check
 * everything against PostgreSQL.
 */
export interface SlackButton {
  text: string;
  actionId: string;
  value: string;
  style?: 'primary' | 'danger';
}

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

export function section(text: string): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } };
}

export function buttons(blockId: string, list: SlackButton[]): Record<string, unknown> {
  return {
    type: 'actions',
    block_id: blockId,
    elements: list.map((b) => ({
      type: 'button',
      text: { type: 'plain_text', text: clip(b.text, 75), emoji: true },
      action_id: b.actionId,
      value: b.value,
      ...(b.style ? { style: b.style } : {}),
    })),
  };
}

/**
 * Slack mrkdwn needs &, < and > escaped in any text we did not write ourselves:
 * otherwise `<!channel>`, `<@U…>` or `<http://evil.example|my bank>` in a client's
 * words become a ping or a disguised link. The one escaper for blocks and the
 * plain `text` fallback alike (Slack parses both; the fallback is the notification).
 */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
