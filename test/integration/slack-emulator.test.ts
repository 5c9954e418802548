import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { App, LogLevel } from '@slack/bolt';
import { ErrorCode, WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { SlackEmulator, type SlackEmulatorOptions } from '../../src/sandbox/slack-emulator.js';
import { SlackAppDriver, signSlackRequest, verifySlackSignature } from '../../src/sandbox/slack-signing.js';

const users = [
  { id: 'U0WORKER1', name: 'wendy', real_name: 'Wendy Worker', tz: 'Europe/Kyiv' },
  { id: 'U0SUPER01', name: 'sam', real_name: 'Sam Supervisor', tz: 'America/New_York' },
];
const channels = [{ id: 'C0INTAKE1', name: 'intake' }];

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function emulator(opts: SlackEmulatorOptions = {}) {
  const slack = new SlackEmulator({ users, channels, ...opts });
  await slack.start();
  cleanups.push(() => slack.stop());
  const client = new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
  return { slack, client };
}

const platformError = async (p: Promise<unknown>) => {
  const err = (await p.catch((e: unknown) => e)) as WebAPIPlatformError;
  expect(err.code).toBe(ErrorCode.PlatformError);
  return err.data;
};

describe('SlackEmulator with the real WebClient', () => {
  it('authenticates, posts to channels, DMs and threads, and reads history', async () => {
    const { slack, client } = await emulator();
    expect(await client.auth.test()).toMatchObject({
      ok: true,
      user_id: slack.identity.botUserId,
      bot_id: slack.identity.botId,
      team_id: slack.identity.teamId,
    });
    const bad = new WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
    expect(await platformError(bad.auth.test())).toMatchObject({ ok: false, error: 'invalid_auth' });

    const waiting = slack.waitForMessage('C0INTAKE1', (m) => m.text === 'New intake C-2026-0001');
    const parent = await client.chat.postMessage({
      channel: 'C0INTAKE1',
      text: 'New intake C-2026-0001',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*New intake*' } }],
    });
    expect(parent).toMatchObject({ ok: true, channel: 'C0INTAKE1', message: { text: 'New intake C-2026-0001', bot_id: slack.identity.botId } });
    expect(parent.ts).toMatch(/^\d+\.\d{6}$/);
    expect((await waiting).ts).toBe(parent.ts);
    const reply = await client.chat.postMessage({ channel: 'C0INTAKE1', text: 'assigned', thread_ts: parent.ts! });
    const history = await client.conversations.history({ channel: 'C0INTAKE1' });
    expect(history.messages).toHaveLength(1);
    expect(history.messages?.[0]).toMatchObject({ ts: parent.ts, reply_count: 1, latest_reply: reply.ts });
    const replies = await client.conversations.replies({ channel: 'C0INTAKE1', ts: parent.ts! });
    expect(replies.messages?.map((m) => m.text)).toEqual(['New intake C-2026-0001', 'assigned']);

    const dm = await client.chat.postMessage({ channel: 'U0WORKER1', text: 'You were assigned C-2026-0001' });
    const opened = await client.conversations.open({ users: 'U0WORKER1' });
    expect(dm.channel).toMatch(/^D/);
    expect(opened.channel?.id).toBe(dm.channel);
    expect(slack.dmWith('U0WORKER1').map((m) => m.text)).toEqual(['You were assigned C-2026-0001']);

    const updated = await client.chat.update({ channel: 'C0INTAKE1', ts: parent.ts!, text: 'Intake C-2026-0001 (assigned)' });
    expect(updated.message?.text).toBe('Intake C-2026-0001 (assigned)');
    expect(slack.messages('C0INTAKE1')[0]?.edits[0]?.text).toBe('New intake C-2026-0001');
    await client.chat.delete({ channel: 'C0INTAKE1', ts: reply.ts! });
    expect(slack.thread('C0INTAKE1', parent.ts!)).toHaveLength(1);
    expect(await client.chat.postEphemeral({ channel: 'C0INTAKE1', user: 'U0WORKER1', text: 'only you' })).toMatchObject({ ok: true });
    expect(slack.ephemerals({ user: 'U0WORKER1' })[0]?.text).toBe('only you');

    const info = await client.users.info({ user: 'U0WORKER1' });
    expect(info.user).toMatchObject({ id: 'U0WORKER1', tz: 'Europe/Kyiv', real_name: 'Wendy Worker' });
    expect([7200, 10800]).toContain(info.user?.tz_offset);
    expect((await client.users.list({})).members?.map((m) => m.id)).toEqual(expect.arrayContaining(['U0WORKER1', 'U0SUPER01']));
  });

  it('returns Slack error bodies for limits and failures', async () => {
    const { slack, client } = await emulator();
    expect(await platformError(client.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toMatchObject({ error: 'channel_not_found' });
    expect(await platformError(client.chat.postMessage({ channel: 'C0INTAKE1', text: 'x'.repeat(40_001) }))).toMatchObject({ error: 'msg_too_long' });
    const blocks = await platformError(
      client.chat.postMessage({ channel: 'C0INTAKE1', text: 't', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] }),
    );
    expect(blocks).toMatchObject({
      error: 'invalid_blocks',
      response_metadata: { messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] },
    });
    expect(await platformError(client.apiCall('chat.postMessagez', { channel: 'C0INTAKE1' }))).toMatchObject({ error: 'unknown_method' });
    slack.failChannel('U0SUPER01', 'is_archived');
    expect(await platformError(client.chat.postMessage({ channel: 'U0SUPER01', text: 'x' }))).toMatchObject({ error: 'is_archived' });
    expect(await platformError(client.users.info({ user: 'U0GHOST' }))).toMatchObject({ error: 'user_not_found' });
    // JSON bodies with a Bearer token are accepted too
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C0INTAKE1', text: 'json' }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C0INTAKE1' });
    expect(slack.stats.errors).toBe(6);
  });

  it('rate-limits chat.postMessage per channel with 429 + Retry-After', async () => {
    const { slack, client } = await emulator({ rateLimits: { perChannel: { limit: 2, windowMs: 1000 } } });
    await client.chat.postMessage({ channel: 'C0INTAKE1', text: '1' });
    await client.chat.postMessage({ channel: 'C0INTAKE1', text: '2' });
    const err = (await client.chat.postMessage({ channel: 'C0INTAKE1', text: '3' }).catch((e: unknown) => e)) as WebAPIRateLimitedError;
    expect(err.code).toBe(ErrorCode.RateLimitedError);
    expect(err.retryAfter).toBe(1);
    await client.chat.postMessage({ channel: 'U0WORKER1', text: 'other channel is fine' });
    const raw = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      body: new URLSearchParams({ token: slack.botToken, channel: 'C0INTAKE1', text: '4' }),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('1');
    expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect(slack.stats.rateLimited).toBe(2);
  });

  it('enforces trigger_id validity for views and keeps view stacks and App Home', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const { slack, client } = await emulator({ now: () => now });
    const modal = {
      type: 'modal' as const,
      title: { type: 'plain_text' as const, text: 'Note' },
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
    };
    expect(await platformError(client.views.open({ trigger_id: '1.2.abc', view: modal }))).toMatchObject({ error: 'invalid_trigger_id' });
    const stale = slack.issueTrigger('U0WORKER1');
    now += 3000;
    expect(await platformError(client.views.open({ trigger_id: stale, view: modal }))).toMatchObject({ error: 'expired_trigger_id' });
    const fresh = slack.issueTrigger('U0WORKER1');
    const opened = await client.views.open({ trigger_id: fresh, view: { ...modal, callback_id: 'note' } });
    expect(await platformError(client.views.open({ trigger_id: fresh, view: modal }))).toMatchObject({ error: 'exchanged_trigger_id' });
    const pushed = await client.views.push({ trigger_id: slack.issueTrigger('U0WORKER1'), view: modal });
    expect(slack.openViews('U0WORKER1').map((v) => v.id)).toEqual([opened.view?.id, pushed.view?.id]);
    expect(pushed.view).toMatchObject({ root_view_id: opened.view?.id, previous_view_id: opened.view?.id });
    expect(await platformError(client.views.update({ view_id: opened.view!.id!, hash: 'stale', view: modal }))).toMatchObject({ error: 'hash_conflict' });
    const up = await client.views.update({
      view_id: opened.view!.id!,
      hash: opened.view!.hash!,
      view: { ...modal, title: { type: 'plain_text', text: 'Note v2' } },
    });
    expect(up.view?.hash).not.toBe(opened.view?.hash);
    expect(
      await platformError(
        client.views.open({ trigger_id: slack.issueTrigger('U0WORKER1'), view: { ...modal, title: { type: 'plain_text', text: 'x'.repeat(25) } } }),
      ),
    ).toMatchObject({ error: 'invalid_arguments' });

    await client.views.publish({ user_id: 'U0WORKER1', view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'My cases: 3' } }] } });
    expect(slack.homeView('U0WORKER1')?.blocks).toHaveLength(1);
  });
});

describe('SlackAppDriver against a real Bolt App', () => {
  const signingSecret = 'emulator-signing-secret';

  async function boltApp() {
    const { slack, client } = await emulator();
    const seen = { retryNums: [] as Array<number | undefined>, submissions: 0 };
    const app = new App({
      token: slack.botToken,
      signingSecret,
      botId: slack.identity.botId,
      botUserId: slack.identity.botUserId,
      clientOptions: { slackApiUrl: slack.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    app.command('/case', async ({ ack, body, client: c }) => {
      await ack();
      await c.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'case_note',
          private_metadata: JSON.stringify({ caseRef: body.text }),
          title: { type: 'plain_text', text: 'Log a note' },
          submit: { type: 'plain_text', text: 'Save' },
          blocks: [
            {
              type: 'input',
              block_id: 'note',
              label: { type: 'plain_text', text: 'Note' },
              element: { type: 'plain_text_input', action_id: 'text', multiline: true },
            },
            {
              type: 'input',
              block_id: 'kind',
              label: { type: 'plain_text', text: 'Kind' },
              element: {
                type: 'static_select',
                action_id: 'pick',
                options: [
                  { text: { type: 'plain_text', text: 'Phone' }, value: 'phone' },
                  { text: { type: 'plain_text', text: 'Visit' }, value: 'visit' },
                ],
              },
            },
          ],
        },
      });
    });
    app.view('case_note', async ({ ack, view, body, client: c }) => {
      seen.submissions++;
      const text = view.state.values.note?.text?.value ?? '';
      if (text.length < 5) return ack({ response_action: 'errors', errors: { note: 'Please write at least 5 characters' } });
      await ack();
      const { caseRef } = JSON.parse(view.private_metadata) as { caseRef: string };
      await c.chat.postMessage({ channel: body.user.id, text: `Saved ${view.state.values.kind?.pick?.selected_option?.value} note for ${caseRef}` });
    });
    app.action('assign_me', async ({ ack, body, respond }) => {
      await ack();
      await respond({ replace_original: true, text: `Assigned to <@${body.user.id}>` });
    });
    app.event('app_home_opened', async ({ event, client: c, context }) => {
      seen.retryNums.push(context.retryNum);
      await c.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Hello <@${event.user}>` } }] },
      });
    });
    app.message(async ({ message, say }) => {
      if ('text' in message) await say(`You said: ${message.text}`);
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    cleanups.push(() => app.stop() as Promise<void>);
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const driver = new SlackAppDriver({ appUrl, signingSecret, emulator: slack });
    return { slack, client, driver, seen };
  }

  it('signs like Slack', () => {
    const h = signSlackRequest('s3cret', 'a=b', 1_700_000_000);
    expect(h['x-slack-signature']).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(verifySlackSignature('s3cret', 'a=b', { signature: h['x-slack-signature'], timestamp: '1700000000' }, { nowSec: 1_700_000_100 })).toBe(true);
    expect(verifySlackSignature('s3cret', 'a=c', { signature: h['x-slack-signature'], timestamp: '1700000000' }, { nowSec: 1_700_000_100 })).toBe(false);
    expect(verifySlackSignature('s3cret', 'a=b', { signature: h['x-slack-signature'], timestamp: '1700000000' }, { nowSec: 1_700_000_301 })).toBe(false);
  });

  it('slash command opens a modal; submission errors, then succeeds', async () => {
    const { slack, driver, seen } = await boltApp();
    const opened = slack.waitForCall('views.open');
    const cmd = await driver.slashCommand({ command: '/case', text: 'C-2026-0042', userId: 'U0WORKER1', channelId: 'C0INTAKE1' });
    expect(cmd).toMatchObject({ status: 200, body: '' });
    expect((await opened).ok).toBe(true);
    const [modal] = slack.openViews('U0WORKER1');
    expect(modal).toMatchObject({ callback_id: 'case_note', private_metadata: '{"caseRef":"C-2026-0042"}' });

    const rejected = await driver.viewSubmission('U0WORKER1', modal!.id, { note: { text: 'hi' }, kind: { pick: 'phone' } });
    expect(rejected).toMatchObject({ status: 200, body: { response_action: 'errors', errors: { note: 'Please write at least 5 characters' } } });
    expect(slack.openViews('U0WORKER1')).toHaveLength(1);

    const saved = slack.waitForMessage('U0WORKER1', (m) => m.text.startsWith('Saved'));
    const ok = await driver.viewSubmission('U0WORKER1', modal!.id, { note: { text: 'Called the client' }, kind: { pick: 'visit' } });
    expect(ok.status).toBe(200);
    expect((await saved).text).toBe('Saved visit note for C-2026-0042');
    expect(slack.openViews('U0WORKER1')).toHaveLength(0);
    expect(seen.submissions).toBe(2);
  });

  it('block action replaces the original message through response_url', async () => {
    const { slack, client, driver } = await boltApp();
    const posted = await client.chat.postMessage({
      channel: 'C0INTAKE1',
      text: 'New intake',
      blocks: [
        {
          type: 'actions',
          block_id: 'intake_actions',
          elements: [{ type: 'button', action_id: 'assign_me', value: 'C-2026-0042', text: { type: 'plain_text', text: 'Assign me' } }],
        },
      ],
    });
    const replaced = slack.waitForMessage('C0INTAKE1', (m) => m.text.startsWith('Assigned'), { includeUpdates: true });
    const res = await driver.blockAction('U0SUPER01', { channel: 'C0INTAKE1', ts: posted.ts! }, 'assign_me');
    expect(res.status).toBe(200);
    expect((await replaced).ts).toBe(posted.ts);
    expect(slack.responseUrlPosts[0]?.body).toMatchObject({ replace_original: true, text: 'Assigned to <@U0SUPER01>' });
  });

  it('events: url_verification, app_home_opened with retry headers, message.im', async () => {
    const { slack, driver, seen } = await boltApp();
    expect(await driver.urlVerification('chal-123')).toMatchObject({ status: 200, body: { challenge: 'chal-123' } });
    const published = slack.waitForCall('views.publish');
    const ev = await driver.appHomeOpened('U0WORKER1', { retryNum: 1, retryReason: 'http_timeout' });
    expect(ev.status).toBe(200);
    expect(ev.event_id).toMatch(/^Ev/);
    await published;
    expect(slack.homeView('U0WORKER1')?.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'Hello <@U0WORKER1>' } }]);
    expect(seen.retryNums).toEqual([1]);

    const answer = slack.waitForMessage('U0WORKER1', (m) => m.user === slack.identity.botUserId);
    await driver.directMessage('U0WORKER1', 'status?');
    expect((await answer).text).toBe('You said: status?');
    expect(slack.dmWith('U0WORKER1').map((m) => m.text)).toEqual(['status?', 'You said: status?']);
  });

  it('rejects bad signatures and stale timestamps with 401', async () => {
    const { driver, slack } = await boltApp();
    expect((await driver.slashCommand({ command: '/case', userId: 'U0WORKER1' }, { badSignature: true })).status).toBe(401);
    expect((await driver.slashCommand({ command: '/case', userId: 'U0WORKER1' }, { staleTimestamp: true })).status).toBe(401);
    expect(slack.calls.filter((c) => c.method === 'views.open')).toHaveLength(0);
  });
});
