import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeDiscord } from '../fakes/discord/fake-discord.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';
import { replicaToken, senderOf } from './support.js';

/**
 * The limits the scale tests and bench:fanout rely on are the fakes' own: they must really refuse.
 * The windows here are a minute long, so a loaded machine that spreads these few requests over more
 * than a second cannot let one slip into a fresh window; the counting is the same at any length.
 */
const WINDOW_MS = 60_000;

describe('the fakes enforce the limits the scale tests count', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  it('fake Slack: past the workspace rate a post gets 429 with Retry-After, whatever its channel', async () => {
    const slack = await new FakeSlack({
      postLimit: { perChannel: 1, windowMs: WINDOW_MS },
      workspaceLimit: { limit: 3, windowMs: WINDOW_MS },
    }).start();
    closers.push(() => slack.stop());
    const post = (channel: string) =>
      fetch(`${slack.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-test' },
        body: JSON.stringify({ channel, text: 'hi' }),
      });
    // A second post to one channel is the per-channel 429, and it does not use up the workspace's budget.
    const statuses = [];
    for (const channel of ['C1', 'C1', 'C2', 'C3', 'C4']) statuses.push((await post(channel)).status);
    expect(statuses).toEqual([200, 429, 200, 200, 429]);
    expect(slack.overLimit).toBe(1);
    expect(slack.workspaceOverLimit).toBe(1);
    const refused = await post('C5');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  it("fake Discord: every replica's token is the same bot, one global window, and says who sent", async () => {
    const discord = await createFakeDiscord({
      globalLimit: { limit: 4, windowMs: WINDOW_MS },
      replicaTokens: [replicaToken(0), replicaToken(1)],
    });
    closers.push(() => discord.close());
    const get = (token: string) =>
      fetch(`${discord.apiUrl}/v10/users/@me`, { headers: { authorization: `Bot ${token}` } });
    const statuses = [];
    for (const token of [replicaToken(0), replicaToken(1), replicaToken(0), discord.token, replicaToken(1)])
      statuses.push((await get(token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    expect(discord.state.globalOverLimit).toBe(1);
    expect(discord.requests.map(senderOf)).toEqual([0, 1, 0, -1, 1]);
    expect((await get('someone-else')).status).toBe(401);
  });

  it('fake Discord: a bunch its own loop read late is not taken for a burst the client sent', async () => {
    const discord = await createFakeDiscord({ globalLimit: { limit: 4, windowMs: 1_000 } });
    closers.push(() => discord.close());
    // A client in another process sends 4 requests, then 4 more 1.1 s later: within 4 a second. This
    // process (the fake's) is stuck meanwhile, as on a loaded machine, and reads all 8 at once.
    const client = `
      const get = () => fetch(process.argv[1], { headers: { authorization: 'Bot ' + process.argv[2] } });
      const batch = () => Promise.all([get(), get(), get(), get()]).then((answers) => answers.map((a) => a.status));
      console.log('ready');
      setTimeout(() => {
        const first = batch();
        setTimeout(async () => {
          const second = batch();
          console.log(JSON.stringify([...(await first), ...(await second)]));
        }, 1_100);
      }, 300);`;
    const child = spawn(process.execPath, ['-e', client, `${discord.apiUrl}/v10/users/@me`, discord.token]);
    const lines = createInterface({ input: child.stdout });
    const statuses = await new Promise<number[]>((resolve, reject) => {
      child.on('error', reject);
      lines.on('line', (line) => {
        if (line !== 'ready') return resolve(JSON.parse(line) as number[]);
        const until = Date.now() + 2_500;
        while (Date.now() < until) {
          // The loop does not turn: the client's requests wait in their sockets.
        }
      });
    });
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
    expect(discord.state.globalOverLimit).toBe(0);
  });
});
