import { webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackSendWatch } from '../../src/platforms/slack/send-watch.js';
import { FakeSlack } from '../fakes/slack/fake-slack.js';

describe("a Slack post's leave time (the real Web API client against the fake Slack)", () => {
  let slack: FakeSlack;
  const watch = createSlackSendWatch();
  beforeAll(async () => {
    slack = await new FakeSlack({ latency: { ms: 150, jitter: 0 } }).start();
    watch.start();
  });
  afterAll(async () => {
    watch.stop();
    await slack.stop();
  });

  it('is when the request leaves the client, not when it was handed over (the client queues it)', async () => {
    // One request at a time: the post to C2 waits in the client's queue while C1's is answered.
    const client = new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      maxRequestConcurrency: 1,
      fetch: watch.fetch,
    });
    const events: string[] = [];
    const cancelFirst = watch.expect('C1', () => events.push('C1 left'));
    const cancelSecond = watch.expect('C2', () => events.push('C2 left'));
    const first = client.chat.postMessage({ channel: 'C1', text: 'one' }).then(() => events.push('C1 answered'));
    events.push('C2 handed over');
    const second = client.chat.postMessage({ channel: 'C2', text: 'two' }).then(() => events.push('C2 answered'));
    await Promise.all([first, second]);
    cancelFirst();
    cancelSecond();
    expect(events).toEqual(['C2 handed over', 'C1 left', 'C1 answered', 'C2 left', 'C2 answered']);
    expect(slack.callsTo('chat.postMessage').map((call) => call.params.channel)).toEqual(['C1', 'C2']);
  });

  it('tells only the channel awaited, only for chat.postMessage, and nothing once cancelled', async () => {
    const client = new webApi.WebClient('xoxb-test', {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 0 },
      fetch: watch.fetch,
    });
    let left = 0;
    const cancel = watch.expect('C9', () => (left += 1));
    await client.chat.postMessage({ channel: 'C8', text: 'another channel' });
    await client.chat.update({ channel: 'C9', ts: '1.0', text: 'an edit' });
    expect(left).toBe(0);
    await client.chat.postMessage({ channel: 'C9', text: 'this one' });
    expect(left).toBe(1);
    cancel();
    await client.chat.postMessage({ channel: 'C9', text: 'after cancel' });
    expect(left).toBe(1);
  });
});
