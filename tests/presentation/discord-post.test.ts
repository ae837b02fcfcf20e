import { describe, expect, it } from 'vitest';
import { postReply } from '../../src/domain/cards.js';
import type { Presentation } from '../../src/domain/presentation.js';
import { embedLength } from '../../src/platforms/discord/embed.js';
import { renderDiscord } from '../../src/platforms/discord/render.js';
import { HOSTILE_TITLE, testArticle } from './article.js';

const ROLE = '123456789012345678';
const USER = '876543210987654321';

function render(presentation: Partial<Presentation>, over = {}) {
  return renderDiscord(postReply(testArticle(over), { presentation, timezone: 'Europe/Berlin' }));
}

/** No broadcast and no unescaped mention syntax may survive in any text of a message. */
function expectInert(message: ReturnType<typeof renderDiscord>, skipPrefix = '') {
  const texts = [message.content?.slice(skipPrefix.length) ?? ''];
  for (const embed of message.embeds ?? [])
    texts.push(embed.title ?? '', embed.description ?? '', embed.footer?.text ?? '');
  for (const text of texts) {
    expect(text).not.toMatch(/@(everyone|here)/);
    expect(text).not.toMatch(/(?<!\\)<[@#]/);
  }
}

describe('Discord posts shaped by a subscription', () => {
  it("card: today's embed with the lead image and the template as content", () => {
    const message = render({ style: 'card', template: '{title} — {published:D MMM HH:mm}' });
    expect(message.content).toBe('Storm hits the coast — 18 Jul 17:55');
    expect(message.embeds?.[0]?.image).toEqual({ url: 'https://img.example/storm.jpg' });
    expect(message.embeds?.[0]?.description).toBe('The storm hit. The coast flooded.');
    expect(message.components?.[0]?.components.map((b) => b.label)).toEqual(['Summary', 'Sources']);
    expect(message.allowed_mentions).toEqual({ parse: [] });
  });

  it('compact: one line with a link and the source, the image as a bare embed', () => {
    const message = render({ style: 'compact' });
    expect(message.content).toBe('**[Storm hits the coast](<https://news.example/storm>)** · Example Wire');
    expect(message.embeds).toEqual([{ image: { url: 'https://img.example/storm.jpg' } }]);
  });

  it('text: the template only, no embed, no image', () => {
    const message = render({ style: 'text', template: '**New:** {title} {url}' });
    expect(message.content).toBe('**New:** Storm hits the coast https://news.example/storm');
    expect(message.embeds).toBeUndefined();
  });

  it('image=off and non-https images show no image', () => {
    expect(render({ style: 'card', image: false }).embeds?.[0]?.image).toBeUndefined();
    const http = render({ style: 'card' }, { images: [{ caption: '', url: 'http://img.example/a.jpg' }] });
    expect(http.embeds?.[0]?.image).toBeUndefined();
    const js = render({ style: 'compact' }, { images: [{ caption: '', url: 'javascript:alert(1)' }] });
    expect(js.embeds).toBeUndefined();
  });

  it('fills every placeholder, escaping article text', () => {
    const template = '{title}|{url}|{author}|{source}|{tags}|{summary}|{published}|{basis}|{id}';
    const message = render({ style: 'text', template }, { title: '*Storm* _hits_' });
    expect(message.content).toBe(
      '\\*Storm\\* \\_hits\\_|https://news.example/storm|Jane Doe|Example Wire|weather|The storm hit. The coast flooded.|' +
        '18 Jul 2025 17:55 CEST|From the full article|ab12cd34',
    );
  });

  it('mentions exactly the configured ids, and only when the mention filter matches', () => {
    const mentions = [
      { kind: 'role' as const, id: ROLE },
      { kind: 'user' as const, id: USER },
    ];
    const hit = render({ style: 'compact', mentions, mentionFilter: 'storm' });
    expect(hit.allowed_mentions).toEqual({ parse: [], roles: [ROLE], users: [USER] });
    expect(hit.content?.startsWith(`<@&${ROLE}> <@${USER}>\n`)).toBe(true);
    const miss = render({ style: 'compact', mentions, mentionFilter: 'election' });
    expect(miss.allowed_mentions).toEqual({ parse: [] });
    expect(miss.content).not.toContain('<@');
  });

  it('keeps @everyone inert from the article and from the template', () => {
    const fromTemplate = render({ style: 'text', template: '@everyone @here <@&999999999999999999> {title}' });
    expect(fromTemplate.content).toContain('@\u200beveryone @\u200bhere \\<@&999999999999999999>');
    expect(fromTemplate.allowed_mentions).toEqual({ parse: [] });
    const fromArticle = render(
      { style: 'compact', template: '{title} {summary}' },
      { title: '@everyone <@&123456789012345678>' },
    );
    expectInert(fromArticle);
  });

  for (const style of ['card', 'compact', 'text'] as const) {
    it(`${style}: a 40 KB hostile title stays within every limit and inert`, () => {
      const message = render(
        { style, template: '**{title}**\n{summary}\n{url}', mentions: [{ kind: 'role', id: ROLE }] },
        {
          title: HOSTILE_TITLE,
          summary: { sentences: [HOSTILE_TITLE], method: 'extractive' },
        },
      );
      expect(message.content!.length).toBeLessThanOrEqual(2_000);
      const total = (message.embeds ?? []).reduce((sum, embed) => sum + embedLength(embed), 0);
      expect(total).toBeLessThanOrEqual(6_000);
      for (const embed of message.embeds ?? []) expect((embed.description ?? '').length).toBeLessThanOrEqual(4_096);
      // The configured role is the one real mention; every other one is escaped.
      expect(message.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
      expect(message.content!.startsWith(`<@&${ROLE}>\n`)).toBe(true);
      expectInert(message, `<@&${ROLE}>\n`);
      // No lone surrogate anywhere (a cut inside 😀 would leave one).
      expect(JSON.stringify(message)).not.toMatch(/\\ud83d(?!\\ude00)/i);
    });
  }
});
