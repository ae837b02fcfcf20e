import { describe, expect, it } from 'vitest';
import type { SubscriptionOverview, WorkspaceOverview } from '../../commands/workspace-overview.js';
import { HOME_LIMITS, renderHomeView } from '../../src/platforms/slack/home-view.js';
import { HOSTILE_TITLE } from '../presentation/article.js';

function row(index: number, over: Partial<SubscriptionOverview> = {}): SubscriptionOverview {
  return {
    channel: `slack:C${String(index).padStart(6, '0')}`,
    filter: 'everything',
    digest: 0,
    status: 'active',
    origin: 'command',
    pending: 0,
    retrying: 0,
    failures: 0,
    ...over,
  };
}

type AnyBlock = { type: string; text?: { text: string }; elements?: { text?: string | { text: string } }[] };

function mrkdwnTexts(blocks: unknown[]): string[] {
  const out: string[] = [];
  const walk = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record.type === 'mrkdwn' && typeof record.text === 'string') out.push(record.text);
    for (const child of Object.values(record)) walk(child);
  };
  walk(blocks);
  return out;
}

describe('the Slack Home tab view', () => {
  it('a quarantined, a paused and an active subscription each read as such, with the right button', () => {
    const view = renderHomeView(
      {
        subscriptions: [
          row(1, { status: 'quarantined', problem: 'The regex does not compile.' }),
          row(2, { status: 'paused' }),
          row(3, { failures: 7, lastFailure: 'channel_not_found' }),
        ],
        feeds: [],
      },
      { canManage: true },
    );
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('*quarantined*, nothing is posted: The regex does not compile.');
    expect(text).toContain('*paused*');
    expect(text).toContain('failures: 5+, last: channel_not_found');
    const actions = (view.blocks as AnyBlock[]).filter((block) => block.type === 'actions');
    expect(actions.map((block) => block.elements?.map((element) => (element.text as { text: string }).text))).toEqual([
      ['Pause'],
      ['Resume'],
      ['Pause', 'Retry failed posts'],
    ]);
    expect(text).toContain('None of your own yet');
  });

  it('60 subscriptions and 300 hostile feeds stay within 100 blocks and the text limits, cut with "and N more"', () => {
    const overview: WorkspaceOverview = {
      subscriptions: Array.from({ length: 60 }, (_, index) =>
        row(index, {
          filter: HOSTILE_TITLE.slice(0, 1_000),
          lastPost: { at: '2026-12-01T09:00:00Z', title: HOSTILE_TITLE, articleId: 'x' },
          failures: 1,
          lastFailure: HOSTILE_TITLE,
        }),
      ),
      feeds: Array.from({ length: 300 }, (_, index) => ({
        id: `f${index}`,
        line: `f${index}  ${HOSTILE_TITLE.slice(0, 300)} <https://feed.example/${index}>`,
        own: index % 2 === 0,
        disabled: false,
      })),
    };
    for (const canManage of [true, false]) {
      const view = renderHomeView(overview, { canManage, notice: { text: HOSTILE_TITLE, tone: 'error' } });
      expect(view.blocks.length).toBeLessThanOrEqual(HOME_LIMITS.blocks);
      const text = JSON.stringify(view.blocks);
      expect(text).toMatch(/…and \d+ more subscriptions/);
      expect(text).toMatch(/…and \d+ more feed lines/);
      for (const block of view.blocks as AnyBlock[]) {
        if (block.type === 'section') expect(block.text!.text.length).toBeLessThanOrEqual(3_000);
        if (block.type === 'header') expect(block.text!.text.length).toBeLessThanOrEqual(150);
      }
      for (const chunk of mrkdwnTexts(view.blocks)) {
        expect(chunk.length).toBeLessThanOrEqual(3_000);
        // Our own channel links and date tokens are the only markup; nothing from content survives as one.
        const rest = chunk.replace(/<#C\d{6}>/g, '').replace(/<!date\^[^>]+>/g, '');
        expect(rest).not.toMatch(/<[!@#]/);
        expect(rest).not.toMatch(/@(channel|here|everyone)\b/);
      }
      expect(JSON.stringify(view)).not.toMatch(/\\ud83d(?!\\ude00)/i);
      // Members see the same rows, without a single button.
      expect(view.blocks.some((block) => block.type === 'actions')).toBe(canManage);
    }
  });

  it('a stored channel id that is not a Slack id is shown as text, never as markup', () => {
    const view = renderHomeView(
      { subscriptions: [row(1, { channel: 'slack:<!channel>' })], feeds: [] },
      { canManage: false },
    );
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('slack:&lt;!channel&gt;');
    expect(text).not.toContain('<#');
  });
});
