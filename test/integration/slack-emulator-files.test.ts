import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebClient } from '@slack/web-api';
import { SlackEmulator } from '../../src/sandbox/slack-emulator.js';

/**
 * The emulator's file upload, driven by the real WebClient.filesUploadV2
 * (files.getUploadURLExternal → POST bytes → files.completeUploadExternal),
 * and what it refuses as Slack does.
 */
let slack: SlackEmulator;
let web: WebClient;
beforeAll(async () => {
  slack = new SlackEmulator({ users: [{ id: 'U0ASKER01', name: 'asker', tz: 'UTC' }], rateLimits: false });
  await slack.start();
  web = new WebClient(slack.botToken, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
});
afterAll(async () => slack?.stop());

describe('files.uploadV2 against the emulator', () => {
  it('uploads two files into a DM; the message carries them and the bytes can be downloaded', async () => {
    const dm = await web.conversations.open({ users: 'U0ASKER01' });
    const res = await web.filesUploadV2({
      channel_id: dm.channel!.id!,
      initial_comment: 'Your export',
      file_uploads: [
        { file: Buffer.from('# Record\n中文 ok\n'), filename: 'r.md', title: 'Record' },
        { file: Buffer.from('{"a":1}\n'), filename: 'r.json' },
      ],
    } as never);
    expect(res.ok).toBe(true);
    const msg = slack.messages('U0ASKER01').at(-1)!;
    expect(msg.text).toBe('Your export');
    expect((msg.files as Array<{ name: string; title: string }>).map((f) => [f.name, f.title])).toEqual([
      ['r.md', 'Record'],
      ['r.json', 'r.json'],
    ]);
    const md = slack.files().find((f) => f.name === 'r.md')!;
    expect(md.content!.toString('utf8')).toBe('# Record\n中文 ok\n');
    const dl = await fetch(`${slack.url}/files/${md.id}/r.md`);
    expect(await dl.text()).toBe('# Record\n中文 ok\n');
  });

  it('refuses completing a file whose bytes never arrived, a missing filename, and a wrong length', async () => {
    const got = await web.files.getUploadURLExternal({ filename: 'x.txt', length: 5 });
    await expect(web.files.completeUploadExternal({ files: [{ id: got.file_id! }] })).rejects.toMatchObject({ data: { error: 'file_not_found' } });
    await expect(web.files.getUploadURLExternal({ filename: '', length: 5 })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    const wrong = await fetch(got.upload_url!, { method: 'POST', body: 'toolong' });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('length mismatch');
  });
});
