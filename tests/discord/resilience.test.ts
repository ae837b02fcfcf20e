import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Invocation } from '../../src/domain/invocation.js';
import { textReply, type Reply } from '../../src/domain/reply.js';
import { startHarness, type Harness } from './harness.js';

/** Slow for `sub === 'latest'` with `count === '9'`, an error for `count === '8'`, quick otherwise. */
async function scripted(inv: Invocation): Promise<Reply> {
  if (inv.args.count === '9') {
    await sleep(3200);
    return textReply('slow answer');
  }
  if (inv.args.count === '8') {
    await sleep(2000);
    return textReply('slow failure', 'error');
  }
  return textReply(`quick ${inv.args.count ?? ''}`.trim());
}

describe('Discord deadlines and gateway trouble', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('start() fails with a config error when Discord rejects the token', async () => {
    const { createFakeDiscord } = await import('../fakes/discord/fake-discord.js');
    const fake = await createFakeDiscord({ token: 'the-real-one' });
    try {
      const failed = await startHarness({ fake, token: 'wrong' }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(failed).toMatchObject({ code: 'config', message: expect.stringContaining('DISCORD_TOKEN') });
    } finally {
      await fake.close();
    }
  });

  it('defers a slow command inside 3 s, then edits the reply', async () => {
    h = await startHarness({ execute: scripted });
    const record = h.fake.command('latest', { count: 9 });
    const answer = await h.fake.answer(record, 10_000);
    expect(answer.deferred).toBe(true);
    const deferredAt = record.callbacks[0]!.at - record.createdAt;
    // The fake refuses callbacks after 3 s (10062), so answering at all proves the deadline was met.
    expect(deferredAt).toBeLessThan(3000);
    expect(record.callbacks).toHaveLength(1);
    expect(record.originalEdits[0]).toMatchObject({ content: 'slow answer', allowed_mentions: { parse: [] } });
    expect(record.original?.content).toBe('slow answer');
  });

  it('a slow error after a public defer is sent privately and the placeholder removed', async () => {
    h = await startHarness({ execute: scripted });
    const record = h.fake.command('latest', { count: 8 });
    const answer = await h.fake.answer(record, 10_000);
    expect(answer.deferred).toBe(true);
    expect(answer.data).toMatchObject({ flags: 64 });
    expect(String(answer.data.content)).toContain('slow failure');
    await h.fake.until(() => record.originalDeleted, 5000, 'the placeholder to be deleted');
  });

  it('logs an expired interaction (10062) and keeps serving', async () => {
    h = await startHarness({ execute: scripted });
    const expired = h.fake.command('latest', { count: 1 }, { expired: true });
    await h.fake.until(
      () => h!.logs.find((line) => line.msg === 'interaction expired before it was answered'),
      5000,
      'the expiry log',
    );
    expect(expired.callbacks).toHaveLength(0);
    const line = h.logs.find((l) => l.msg === 'interaction expired before it was answered');
    expect(line).toMatchObject({ level: 40, discordCode: 10062, interactionId: expired.id });
    const next = await h.fake.answer(h.fake.command('latest', { count: 2 }));
    expect(next.data.content).toBe('quick 2');
  });

  it('resumes after a disconnect, answers what arrived meanwhile, and never handles one interaction twice', async () => {
    h = await startHarness({ execute: scripted });
    const first = h.fake.command('latest', { count: 1 });
    await h.fake.answer(first);
    expect(h.fake.gateway.count(h.fake.gateway.OP.identify)).toBe(1);

    // Drop the socket; Discord replays everything on resume, including the interaction already answered.
    h.fake.gateway.drop(4000, { replayEverything: true });
    const during = h.fake.command('latest', { count: 3 });
    await h.fake.until(() => h!.fake.gateway.count(h!.fake.gateway.OP.resume) === 1 || undefined, 8000, 'RESUME');
    const answer = await h.fake.answer(during);
    expect(answer.data.content).toBe('quick 3');

    await h.fake.until(
      () => h!.logs.find((l) => l.msg === 'duplicate interaction ignored' && l.interactionId === first.id),
      5000,
      'dedupe',
    );
    expect(h.fake.gateway.count(h.fake.gateway.OP.identify)).toBe(1);
    expect(h.calls.filter((inv) => inv.args.count === '1')).toHaveLength(1);
    expect(first.callbacks).toHaveLength(1);
    const callbacks = h.fake.requests.filter((r) => r.path.startsWith(`/interactions/${first.id}/`));
    expect(callbacks).toHaveLength(1);

    // A plain re-delivery of the same id (same payload) is dropped too.
    h.fake.command('latest', { count: 1 }, { id: first.id });
    await h.fake.until(
      () => h!.logs.filter((l) => l.msg === 'duplicate interaction ignored').length >= 2 || undefined,
      5000,
      'second dedupe',
    );
    expect(h.calls.filter((inv) => inv.args.count === '1')).toHaveLength(1);
  });
});
