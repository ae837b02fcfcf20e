import { describe, expect, it } from 'vitest';
import type { Article } from '../../src/domain/article.js';
import { digestReply } from '../../src/domain/cards.js';
import type { Presentation } from '../../src/domain/presentation.js';
import { embedLength } from '../../src/platforms/discord/embed.js';
import { renderDiscord } from '../../src/platforms/discord/render.js';
import { renderSlack } from '../../src/platforms/slack/render.js';
import { HOSTILE_TITLE, testArticle } from './article.js';

const ROLE = '123456789012345678';

function articles(count: number, over: Partial<Article> = {}): Article[] {
  return Array.from({ length: count }, (_, index) =>
    testArticle({
      id: `id${index}`,
      title: `Story ${index} about the coast`,
      url: `https://news.example/story-${index}`,
      images: [{ caption: '', url: `https://img.example/${index}.jpg` }],
      ...over,
    }),
  );
}

const digest = (list: Article[], presentation?: Partial<Presentation>) =>
  digestReply(list, presentation ? { presentation, timezone: 'Europe/Berlin' } : {});

/** Every mrkdwn text of a Slack message, the notification included. */
function slackTexts(message: ReturnType<typeof renderSlack>): string[] {
  const out = [message.text];
  const walk = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (record.type === 'mrkdwn' && typeof record.text === 'string') out.push(record.text);
    for (const child of Object.values(record)) walk(child);
  };
  walk(message.blocks);
  return out;
}

describe('a digest in the subscription look, on Discord', () => {
  it('without a look it is the plain digest of before: heading, one embed each, no images, pings nobody', () => {
    const message = renderDiscord(digest(articles(3)));
    expect(message.content).toBe('**News digest: 3 new articles**');
    expect(message.embeds).toHaveLength(3);
    expect(message.embeds!.some((embed) => embed.image)).toBe(false);
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });

  it('card: an embed per article with its image and the template as text, the role pinged once', () => {
    const message = renderDiscord(
      digest(articles(3), {
        style: 'card',
        template: '**{title}** ({published:D MMM})',
        mentions: [{ kind: 'role', id: ROLE }],
      }),
    );
    expect(message.content).toBe(`<@&${ROLE}>\n**News digest: 3 new articles**`);
    expect(message.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(message.embeds!.map((embed) => embed.image?.url)).toEqual(
      [0, 1, 2].map((i) => `https://img.example/${i}.jpg`),
    );
    expect(message.embeds![0]!.description).toBe('**Story 0 about the coast** (18 Jul)');
  });

  it('compact: one line per article under the heading, images as bare embeds; image=off drops them', () => {
    const message = renderDiscord(digest(articles(2), { style: 'compact' }));
    const lines = message.content!.split('\n');
    expect(lines[0]).toBe('**News digest: 2 new articles**');
    expect(lines[1]).toBe('**[Story 0 about the coast](<https://news.example/story-0>)** · Example Wire');
    expect(lines).toHaveLength(3);
    expect(message.embeds).toEqual([0, 1].map((i) => ({ image: { url: `https://img.example/${i}.jpg` } })));
    const noImages = renderDiscord(digest(articles(2), { style: 'compact', image: false }));
    expect(noImages.embeds).toBeUndefined();
  });

  it('text: the template per article, no embeds; mentions only when the filter matches one of them', () => {
    const look = { style: 'text' as const, template: '{title} {url}', mentions: [{ kind: 'role' as const, id: ROLE }] };
    const matched = renderDiscord(digest(articles(2), { ...look, mentionFilter: 'story' }));
    expect(matched.content).toBe(
      `<@&${ROLE}>\n**News digest: 2 new articles**\nStory 0 about the coast https://news.example/story-0\nStory 1 about the coast https://news.example/story-1`,
    );
    expect(matched.embeds).toBeUndefined();
    const unmatched = renderDiscord(digest(articles(2), { ...look, mentionFilter: 'volcano' }));
    expect(unmatched.content!.startsWith('**News digest')).toBe(true);
    expect(unmatched.allowed_mentions).toEqual({ parse: [] });
  });

  for (const style of ['card', 'compact', 'text'] as const) {
    it(`${style}: ten 40 KB hostile articles stay within 2,000 / 10 embeds / 6,000 and inert`, () => {
      const hostile = articles(10, {
        title: HOSTILE_TITLE,
        summary: { sentences: [HOSTILE_TITLE], method: 'extractive' },
      });
      const message = renderDiscord(
        digest(hostile, { style, template: '**{title}** {summary}', mentions: [{ kind: 'role', id: ROLE }] }),
      );
      expect(message.content!.length).toBeLessThanOrEqual(2_000);
      expect((message.embeds ?? []).length).toBeLessThanOrEqual(10);
      const total = (message.embeds ?? []).reduce((sum, embed) => sum + embedLength(embed), 0);
      expect(total).toBeLessThanOrEqual(6_000);
      expect(message.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
      const rest = message.content!.slice(`<@&${ROLE}>\n`.length);
      for (const text of [rest, ...(message.embeds ?? []).map((embed) => `${embed.title} ${embed.description}`)]) {
        expect(text).not.toMatch(/@(everyone|here)/);
        expect(text).not.toMatch(/(?<!\\)<[@#]/);
      }
      if (style !== 'card') expect(message.content).toMatch(/…and \d+ more$/);
      expect(JSON.stringify(message)).not.toMatch(/\\ud83d(?!\\ude00)/i);
    });
  }
});

describe('a digest in the subscription look, on Slack', () => {
  it('card: heading, the group pinged once, each article as its card with its image', () => {
    const message = renderSlack(
      digest(articles(3), { style: 'card', template: '*{title}*', mentions: [{ kind: 'subteam', id: 'S0123ABC' }] }),
    );
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'News digest: 3 new articles' } });
    expect(message.blocks[1]).toMatchObject({ type: 'section', text: { text: '<!subteam^S0123ABC>' } });
    expect(message.text).toBe('<!subteam^S0123ABC> News digest: 3 new articles');
    const images = message.blocks.filter((block) => block.type === 'image');
    expect(images.map((block) => (block as { image_url: string }).image_url)).toEqual(
      [0, 1, 2].map((i) => `https://img.example/${i}.jpg`),
    );
    expect(JSON.stringify(message.blocks).match(/subteam/g)).toHaveLength(1);
    expect(JSON.stringify(message.blocks)).toContain('*Story 2 about the coast*');
  });

  it('compact: one section per article with a thumbnail; text: template only, no images', () => {
    const compact = renderSlack(digest(articles(2), { style: 'compact' }));
    const sections = compact.blocks.filter((block) => block.type === 'section');
    expect(sections).toHaveLength(2);
    expect(sections[0]).toMatchObject({
      text: { text: '*<https://news.example/story-0|Story 0 about the coast>* · Example Wire' },
      accessory: { type: 'image', image_url: 'https://img.example/0.jpg' },
    });
    const text = renderSlack(digest(articles(2), { style: 'text', template: '{title}' }));
    expect(text.blocks.map((block) => block.type)).toEqual(['header', 'section', 'section']);
    expect(JSON.stringify(text.blocks)).not.toContain('img.example');
  });

  it('without a look it is the plain digest of before (no images)', () => {
    const message = renderSlack(digest(articles(2)));
    expect(JSON.stringify(message.blocks)).not.toContain('img.example');
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: 'News digest: 2 new articles' } });
  });

  for (const style of ['card', 'compact', 'text'] as const) {
    it(`${style}: ten 40 KB hostile articles fit 50 blocks and 3,000 per section, and stay inert`, () => {
      const hostile = articles(10, {
        title: HOSTILE_TITLE,
        summary: { sentences: [HOSTILE_TITLE], method: 'extractive' },
      });
      const message = renderSlack(
        digest(hostile, { style, template: '*{title}* {summary}', mentions: [{ kind: 'user', id: 'U0123ABC' }] }),
      );
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const block of message.blocks) {
        if (block.type === 'section') expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3_000);
      }
      expect(message.text.length).toBeLessThanOrEqual(3_000);
      for (const text of slackTexts(message)) {
        let rest = text;
        for (const ok of ['<@U0123ABC>', '<https://news.example/story-', '<!date^']) rest = rest.replaceAll(ok, '');
        expect(rest).not.toMatch(/<[!@#]/);
        expect(rest).not.toMatch(/@(channel|here|everyone)\b/);
      }
      expect(JSON.stringify(message)).not.toMatch(/\\ud83d(?!\\ude00)/i);
    });
  }

  it('card style with many articles stops at the block limit with "and N more"', () => {
    const message = renderSlack(digest(articles(10), { style: 'card', template: '{title}' }));
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    const last = message.blocks.at(-1) as { type: string; elements?: { text: string }[] };
    expect(last.type).toBe('context');
    expect(last.elements?.[0]?.text).toMatch(/^…and \d+ more$/);
  });
});
