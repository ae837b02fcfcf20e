import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyFilter } from '../../src/domain/subscription.js';
import { homeOpenedBody } from '../fakes/slack/home-events.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    appToken: 'xapp-test-app-token',
    execute: async () => ({ kind: 'text', tone: 'info', text: 'ok' }),
  });
  await h.stores.subscriptions.putSubscription({
    channel: 'slack:C700',
    space: 'slack:team:T111',
    filter: { ...emptyFilter(), include: ['harbour'] },
    digest: 0,
    paused: true,
    origin: 'command',
    createdAt: '2026-12-01T00:00:00.000Z',
  });
});
afterAll(async () => h?.close());

describe('the Home tab over Socket Mode', () => {
  it('an events_api envelope with app_home_opened is acked and publishes the workspace view', async () => {
    h.fake.sendEnvelope({
      envelope_id: 'env-home-1',
      type: 'events_api',
      accepts_response_payload: false,
      payload: JSON.parse(homeOpenedBody({ userId: 'U700', teamId: 'T111' })),
    });
    const ack = await h.fake.waitFor(() =>
      h.fake.socketMessages.find((message) => message.envelope_id === 'env-home-1'),
    );
    expect(ack).toMatchObject({ envelope_id: 'env-home-1' });
    const call = await h.fake.waitFor(() => h.fake.callsTo('views.publish')[0]);
    expect(call.params.user_id).toBe('U700');
    const text = JSON.stringify(h.fake.homeViews.get('U700')?.blocks);
    expect(text).toContain('<#C700>');
    expect(text).toContain('*paused*');
    expect(text).toContain('Filter: harbour');
  });
});
