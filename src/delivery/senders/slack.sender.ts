import { WebClient, ErrorCode, type WebAPIPlatformError, type WebAPIRateLimitedError, type WebAPIHTTPError } from '@slack/web-api';
import type { Outbound } from '../outbound.js';
import { InterruptedSendError, PermanentSendError, RateLimitedSendError, TransientSendError } from '../send-errors.js';

export type SlackOutbound = Extract<Outbound, { channel: 'slack' }>;

/** Slack errors that no retry can fix: the message is marked failed with the error as its reason. */
const PERMANENT = new Set([
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'user_not_found',
  'users_not_found',
  'account_inactive',
  'user_disabled',
  'cannot_dm_bot',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'missing_scope',
  'msg_too_long',
  'invalid_blocks',
  'no_text',
  'restricted_action',
  'team_access_not_granted',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'not_enabled',
]);

/**
 * Sends to Slack with the Web API client. The client's own retry and
 * rate-limit waiting are switched off: the send service decides (shared
 * budgets across processes, BullMQ backoff), so a 429 surfaces here at once.
 * A user id (U…/W…) is opened as a DM first (conversations.open). An
 * outbound with `update` edits an earlier message (chat.update); one with
 * `home` publishes a user's App Home (views.publish), one with `files` uploads
 * them (files.uploadV2, the text as the comment): all count against the
 * same budgets and get the same 429 handling as a post.
 */
export class SlackSender {
  private readonly api: WebClient;
  private readonly stopping = new AbortController();

  /** timeoutMs (PLATFORM_HTTP_TIMEOUT_MS) stays well under the claim lease. */
  constructor(token: string, slackApiUrl?: string, timeoutMs = 10_000) {
    const stopping = this.stopping.signal;
    this.api = new WebClient(token, {
      ...(slackApiUrl ? { slackApiUrl: slackApiUrl.endsWith('/') ? slackApiUrl : `${slackApiUrl}/` } : {}),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout: timeoutMs,
      // The client's own signal is its timeout; ours adds "this process is shutting down".
      fetch: (input, init) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, stopping]) : stopping }),
    });
  }

  /** Shutdown: cut every call still waiting for Slack (the caller puts the row back to pending). */
  abort(): void {
    this.stopping.abort();
  }

  async send(msg: SlackOutbound): Promise<{ externalRef: string; channelRef: string }> {
    if (this.stopping.signal.aborted) throw new InterruptedSendError();
    try {
      if (msg.home) {
        await this.api.views.publish({ user_id: msg.to, view: { type: 'home', blocks: msg.blocks ?? [] } });
        return { externalRef: `home:${msg.to}`, channelRef: msg.to };
      }
      if (msg.update) {
        const res = await this.api.chat.update({ channel: msg.to, ts: msg.update.ts, text: msg.text, ...(msg.blocks ? { blocks: msg.blocks } : {}) });
        return { externalRef: res.ts ?? msg.update.ts, channelRef: res.channel ?? msg.to };
      }
      let channel = msg.to;
      if (/^[UW][A-Z0-9]+$/.test(channel)) {
        const opened = await this.api.conversations.open({ users: channel });
        if (!opened.channel?.id) throw new TransientSendError('slack_open_returned_no_channel');
        channel = opened.channel.id;
      }
      if (msg.files) {
        // One upload (three calls); a retry uploads again, and only the last call shares the files.
        const res = (await this.api.filesUploadV2({
          channel_id: channel,
          initial_comment: msg.text,
          file_uploads: msg.files.map((f) => ({ file: f.content, filename: f.filename, title: f.title })),
        })) as { files?: Array<{ files?: Array<{ id?: string }> }> };
        const ids = (res.files ?? [])
          .flatMap((x) => x.files ?? [])
          .map((f) => f.id)
          .filter(Boolean);
        return { externalRef: `files:${ids.join(',')}`, channelRef: channel };
      }
      const res = await this.api.chat.postMessage({
        channel,
        text: msg.text,
        ...(msg.blocks ? { blocks: msg.blocks } : {}),
        ...(msg.threadTs ? { thread_ts: msg.threadTs } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      if (!res.ts) throw new TransientSendError('slack_post_returned_no_ts');
      return { externalRef: res.ts, channelRef: res.channel ?? channel };
    } catch (err) {
      if (this.stopping.signal.aborted) throw new InterruptedSendError();
      throw classifySlackError(err, msg.to);
    }
  }
}

export function classifySlackError(err: unknown, to: string): Error {
  if (err instanceof TransientSendError || err instanceof PermanentSendError) return err;
  const code = (err as { code?: string }).code;
  if (code === ErrorCode.RateLimitedError) {
    return new RateLimitedSendError(Math.max(1, (err as WebAPIRateLimitedError).retryAfter) * 1000, `slack ${to}`);
  }
  if (code === ErrorCode.PlatformError) {
    const e = (err as WebAPIPlatformError).data.error;
    if (e === 'ratelimited') return new RateLimitedSendError(1000, `slack ${to}`);
    return PERMANENT.has(e) ? new PermanentSendError(`slack_${e}`) : new TransientSendError(`slack_${e}`);
  }
  if (code === ErrorCode.HTTPError) {
    const status = (err as WebAPIHTTPError).statusCode;
    if (status === 429) return new RateLimitedSendError(1000, `slack ${to}`);
    return status >= 500 ? new TransientSendError(`slack_http_${status}`) : new PermanentSendError(`slack_http_${status}`);
  }
  return new TransientSendError('slack_network_error');
}
