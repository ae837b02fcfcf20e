import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSeenEvents } from '../../src/platforms/slack/redeliveries.js';
import type { FakeSharedFile } from '../fakes/slack/fake-files.js';
import { homeOpenedBody } from '../fakes/slack/home-events.js';
import { postSigned } from '../fakes/slack/sign.js';
import { pollUntil } from '../support/poll.js';
import { SIGNING_SECRET, startHarness, type Harness } from './harness.js';
import { startStoreHarness } from './store-harness.js';

const opml = (host: string) => `<?xml version="1.0"?>
<opml version="2.0"><head><title>Reader</title></head><body>
  <outline text="One" xmlUrl="https://${host}/rss"/><outline text="Two" xmlUrl="https://${host}/atom"/>
</body></opml>`;

const DROPPED = 'slack event delivered again; already handled, dropped';

function droppedLine(h: Harness, eventId: string): Record<string, unknown> | undefined {
  return h.lines.find((line) => line.msg === DROPPED && line.eventId === eventId);
}

/** A DM with the bot sharing an OPML file, as the Events API body Slack signs and sends. */
function sharedInDm(eventId: string, file: Pick<FakeSharedFile, 'id' | 'name'>): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: 'T1',
    api_app_id: 'A111',
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    event: {
      type: 'message',
      subtype: 'file_share',
      channel: 'DUA',
      channel_type: 'im',
      user: 'UA',
      text: '',
      files: [{ id: file.id, name: file.name }],
      ts: '1700000001.000100',
      event_ts: '1700000001.000100',
    },
  });
}

describe('Slack over HTTP: an event Slack delivers again is handled once', () => {
  let h: Harness;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ h, close } = await startStoreHarness({ adminUserIds: ['UA'] }));
  }, 30_000);
  afterAll(async () => close?.());

  const send = (rawBody: string, headers?: Record<string, string>) =>
    postSigned(h.eventsUrl, { signingSecret: SIGNING_SECRET, rawBody, contentType: 'application/json', headers });
  const reports = () =>
    h.fake
      .callsTo('chat.postMessage')
      .filter((call) => call.params.channel === 'DUA')
      .map((call) => String(call.params.text ?? JSON.stringify(call.params.blocks)));

  it('a shared OPML file retried with X-Slack-Retry-Num is imported once; another event_id still is', async () => {
    const first = h.fake.fileHost.shareFile({ name: 'reader.opml', content: opml('once.example') });
    const body = sharedInDm('EvRETRY1', first);
    expect((await send(body)).status).toBe(200);
    await h.fake.waitFor(() => reports().length === 1);

    // The very same delivery again, as Slack retries it when our ack was late.
    const retry = await send(body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(200);
    // Either the redelivery is dropped (the debug line) or it is imported a second time (a second report).
    await pollUntil(() => Boolean(droppedLine(h, 'EvRETRY1')) || reports().length > 1, 'the redelivery to be seen');
    expect(droppedLine(h, 'EvRETRY1')).toMatchObject({ level: 20, retryNum: 1, retryReason: 'http_timeout' });

    const second = h.fake.fileHost.shareFile({ name: 'more.opml', content: opml('twice.example') });
    expect((await send(sharedInDm('EvRETRY2', second))).status).toBe(200);
    await h.fake.waitFor(() => reports().length >= 2);

    expect(reports()).toHaveLength(2);
    expect(reports()[0]).toContain('Added 2, already here 0');
    expect(reports()[1]).toContain('+ https://twice.example/rss');
    expect(first.downloads).toHaveLength(1);
    expect(second.downloads).toHaveLength(1);
  });

  it('a retry of an event whose first delivery never reached the bot is handled', async () => {
    const file = h.fake.fileHost.shareFile({ name: 'late.opml', content: opml('late.example') });
    const before = reports().length;
    // The first attempt met a 503 (start-up) or a replica that died: only the retry arrives.
    const retry = await send(sharedInDm('EvRETRY3', file), {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_error',
    });
    expect(retry.status).toBe(200);
    await h.fake.waitFor(() => reports().length > before);
    expect(reports().at(-1)).toContain('+ https://late.example/rss');
    expect(file.downloads).toHaveLength(1);
    expect(droppedLine(h, 'EvRETRY3')).toBeUndefined();
  });
});

describe('Slack Socket Mode: an envelope redelivered with retry_attempt is acked and handled once', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      appToken: 'xapp-test-app-token',
      execute: async () => ({ kind: 'text', tone: 'info', text: 'ok' }),
    });
  });
  afterAll(async () => h?.close());

  const envelope = (envelopeId: string, body: string, retry?: { attempt: number; reason: string }) => ({
    envelope_id: envelopeId,
    type: 'events_api',
    accepts_response_payload: false,
    retry_attempt: retry?.attempt ?? 0,
    retry_reason: retry?.reason ?? '',
    payload: JSON.parse(body),
  });
  const acked = (envelopeId: string) =>
    h.fake.waitFor(() => h.fake.socketMessages.find((message) => message.envelope_id === envelopeId));
  const published = (user: string) => h.fake.callsTo('views.publish').filter((call) => call.params.user_id === user);

  it('the Home tab is published once for the redelivery, and again for a new event_id', async () => {
    const opened = homeOpenedBody({ userId: 'U801', teamId: 'T111' });
    const eventId = String(JSON.parse(opened).event_id);
    h.fake.sendEnvelope(envelope('env-r1', opened));
    await acked('env-r1');
    await h.fake.waitFor(() => published('U801').length === 1);

    // Slack sends the same envelope again when it missed the ack.
    h.fake.sendEnvelope(envelope('env-r1-again', opened, { attempt: 1, reason: 'timeout' }));
    expect(await acked('env-r1-again')).toMatchObject({ envelope_id: 'env-r1-again' });
    await pollUntil(() => Boolean(droppedLine(h, eventId)) || published('U801').length > 1, 'the redelivery');
    expect(droppedLine(h, eventId)).toMatchObject({ retryNum: 1, retryReason: 'timeout' });

    h.fake.sendEnvelope(envelope('env-r2', homeOpenedBody({ userId: 'U801', teamId: 'T111' })));
    await acked('env-r2');
    await h.fake.waitFor(() => published('U801').length >= 2);
    expect(published('U801')).toHaveLength(2);
  });
});

describe('the memory of seen event ids', () => {
  it('answers true once per id, and true again once the window has passed', () => {
    let now = 0;
    const seen = createSeenEvents({ windowMs: 1_000, max: 100, now: () => now });
    expect(seen.firstSighting('Ev1')).toBe(true);
    expect(seen.firstSighting('Ev1')).toBe(false);
    expect(seen.firstSighting('Ev2')).toBe(true);
    now = 999;
    expect(seen.firstSighting('Ev1')).toBe(false);
    now = 1_000;
    expect(seen.firstSighting('Ev1')).toBe(true);
    // Ev2 aged out with it; only the fresh Ev1 is left.
    expect(seen.size).toBe(1);
  });

  it('holds at most `max` ids, forgetting the oldest first', () => {
    const seen = createSeenEvents({ windowMs: 60_000, max: 3, now: () => 0 });
    for (let i = 0; i < 1_000; i++) seen.firstSighting(`Ev${i}`);
    expect(seen.size).toBe(3);
    expect(seen.firstSighting('Ev999')).toBe(false);
    expect(seen.firstSighting('Ev997')).toBe(false);
    expect(seen.firstSighting('Ev0')).toBe(true);
  });
});
