import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Invocation } from '../../src/domain/invocation.js';
import { NewsdeskError } from '../../src/domain/errors.js';
import { createHttpServer } from '../../src/http/server.js';
import { createSlackAdapter } from '../../src/platforms/slack/adapter.js';
import { startHarness, type Harness } from './harness.js';
import { capturingLogger } from '../support/logger.js';

const invocations: Invocation[] = [];
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    appToken: 'xapp-test-app-token',
    execute: async (inv) => {
      invocations.push(inv);
      return {
        kind: 'articles',
        heading: 'Latest news',
        cards: [{ id: 'sock1', title: 'Over the socket' }],
        actions: ['summary'],
      };
    },
  });
});
afterAll(async () => h.close());

describe('Slack Socket Mode against a fake apps.connections.open and WebSocket', () => {
  it('opens the connection with the app token at our API URL, and serves no HTTP route', async () => {
    const open = h.fake.callsTo('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.authorization).toBe('Bearer xapp-test-app-token');
    expect(h.fake.connectedSockets).toBe(1);
    const http = await fetch(h.eventsUrl, { method: 'POST', body: 'x' });
    expect(http.status).toBe(404);
  });

  it('acks a slash_commands envelope over the socket, then answers on response_url', async () => {
    const responseUrl = h.fake.responseUrl('socket-1');
    h.fake.sendEnvelope({
      envelope_id: 'env-0001',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'legacy',
        team_id: 'T111',
        team_domain: 'fake',
        channel_id: 'C900',
        channel_name: 'news',
        user_id: 'U900',
        user_name: 'socketeer',
        command: '/news',
        text: 'latest 1',
        api_app_id: 'A111',
        response_url: responseUrl,
        trigger_id: '1.2.3',
      },
    });
    const ack = await h.fake.waitFor(() => h.fake.socketMessages.find((message) => message.envelope_id === 'env-0001'));
    // An empty ack payload: the answer itself goes through response_url.
    expect(ack).toEqual({ envelope_id: 'env-0001', payload: {} });
    const response = await h.fake.waitFor(() => h.fake.responses.find((entry) => entry.path === '/response/socket-1'));
    expect(invocations).toEqual([
      {
        command: 'news',
        sub: 'latest',
        args: { count: '1' },
        user: { platform: 'slack', id: 'U900', name: 'socketeer', canManage: false },
        channel: 'slack:C900',
        space: 'slack:team:T111',
        typed: true,
      },
    ]);
    expect(response.body).toMatchObject({ response_type: 'ephemeral' });
    expect(JSON.stringify(response.body)).toContain('Over the socket');
  });

  it('a rejected app token stops start-up with a config error naming SLACK_APP_TOKEN', async () => {
    h.fake.on('apps.connections.open', () => ({ ok: false, error: 'invalid_auth' }));
    const { log } = capturingLogger();
    const adapter = createSlackAdapter({
      botToken: 'xoxb-test-token',
      appToken: 'xapp-wrong',
      apiUrl: h.fake.apiUrl,
      http: createHttpServer({ log }),
      adminUserIds: [],
      stores: h.stores,
      log,
      execute: async () => ({ kind: 'text', tone: 'info', text: '' }),
    });
    try {
      const err = await adapter.start().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(err).toBeInstanceOf(NewsdeskError);
      expect((err as NewsdeskError).code).toBe('config');
      expect((err as NewsdeskError).message).toContain('SLACK_APP_TOKEN was rejected by Slack (invalid_auth)');
    } finally {
      h.fake.on('apps.connections.open');
      await adapter.stop();
    }
  });
});
