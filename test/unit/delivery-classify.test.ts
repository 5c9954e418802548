import { describe, expect, it } from 'vitest';
import { TelegramError } from 'telegraf';
import { classifyTelegramError } from '../../src/telegram/telegram.sender.js';
import { classifySlackError } from '../../src/delivery/senders/slack.sender.js';
import { PermanentSendError, RateLimitedSendError, TransientSendError } from '../../src/delivery/send-errors.js';
import { describeFailure } from '../../src/slack/kinds/failure-notice.kind.js';
import { policyFromConfig } from '../../src/escalations/escalation-config.js';
import { loadConfig, type ConfigError } from '../../src/config.js';

const tgError = (code: number, description: string, parameters?: Record<string, unknown>) =>
  new TelegramError({ ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) } as never);

describe('platform errors are classified so the sender knows whether to wait, retry or give up', () => {
  it('Telegram', () => {
    const rl = classifyTelegramError(tgError(429, 'Too Many Requests: retry after 7', { retry_after: 7 }), 1);
    expect(rl).toBeInstanceOf(RateLimitedSendError);
    expect((rl as RateLimitedSendError).retryAfterMs).toBe(7000);
    expect(classifyTelegramError(tgError(403, 'Forbidden: bot was blocked by the user'), 1)).toEqual(new PermanentSendError('client_blocked_bot'));
    expect(classifyTelegramError(tgError(400, 'Bad Request: chat not found'), 1)).toEqual(new PermanentSendError('telegram_chat_not_found'));
    expect(classifyTelegramError(tgError(502, 'Bad Gateway'), 1)).toBeInstanceOf(TransientSendError);
    expect(classifyTelegramError(new Error('ECONNRESET'), 1)).toBeInstanceOf(TransientSendError);
  });

  it('Slack', () => {
    const rl = classifySlackError({ code: 'slack_webapi_rate_limited_error', retryAfter: 3 }, 'C1');
    expect((rl as RateLimitedSendError).retryAfterMs).toBe(3000);
    for (const e of ['channel_not_found', 'is_archived', 'not_in_channel']) {
      expect(classifySlackError({ code: 'slack_webapi_platform_error', data: { ok: false, error: e } }, 'C1')).toEqual(new PermanentSendError(`slack_${e}`));
    }
    expect(classifySlackError({ code: 'slack_webapi_platform_error', data: { ok: false, error: 'internal_error' } }, 'C1')).toBeInstanceOf(TransientSendError);
    expect(classifySlackError({ code: 'slack_webapi_http_error', statusCode: 503 }, 'C1')).toBeInstanceOf(TransientSendError);
  });

  it('failure reasons read as plain words for the worker', () => {
    expect(describeFailure('client_blocked_bot')).toBe('the client has blocked the bot');
    expect(describeFailure('retries_exhausted:telegram_http_502')).toBe('the platform kept failing; we stopped retrying');
    expect(describeFailure('slack_is_archived')).toBe('the Slack channel is archived');
  });
});

describe('reminder and escalation configuration', () => {
  it('defaults, and single variables override the JSON policy', () => {
    const c = loadConfig({ NODE_ENV: 'test' });
    expect(c.REMINDER_OFFSETS_CLIENT).toEqual(['PT24H', 'PT2H']);
    expect(c.REMINDER_OFFSETS_WORKER).toEqual(['PT24H', 'PT30M']);
    const p = policyFromConfig(
      loadConfig({
        NODE_ENV: 'test',
        QUIET_CASE_DAYS_NORMAL: '10',
        ONCALL_REPEAT_MINUTES: '5',
        ESCALATION_POLICY: JSON.stringify({ quietThresholdsDays: { crisis: 1, high: 3, normal: 20, low: 40 } }),
      }),
    );
    expect(p.quietThresholdsDays).toEqual({ crisis: 1, high: 3, normal: 10, low: 40 });
    expect(p.escalation.crisis.repeatEvery).toBe('PT5M');
    expect(p.escalation.startLevel).toMatchObject({ unassigned_intake: 1, no_show_repeat: 1 });
  });

  it('bad values are refused at start with the variable named', () => {
    const problems = (() => {
      try {
        loadConfig({ NODE_ENV: 'test', REMINDER_OFFSETS_CLIENT: 'PT24H,tomorrow', ESCALATION_POLICY: '[1]', SEND_AHEAD_WINDOW: 'P1M' });
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    })();
    expect(problems.map((p) => p.split(':')[0])).toEqual(['REMINDER_OFFSETS_CLIENT', 'SEND_AHEAD_WINDOW', 'ESCALATION_POLICY']);
    expect(() => policyFromConfig(loadConfig({ NODE_ENV: 'test', ESCALATION_POLICY: '{"escalation":{"levels":[]}}' }))).toThrow(
      /ESCALATION_POLICY is not a valid policy/,
    );
  });
});
