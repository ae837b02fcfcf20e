import { describe, expect, it } from 'vitest';
import { postReply } from '../../src/domain/cards.js';
import type { Presentation } from '../../src/domain/presentation.js';
import { renderSlack } from '../../src/platforms/slack/render.js';
import { HOSTILE_TITLE, testArticle } from './article.js';

function render(presentation: Partial<Presentation>, over = {}) {
  return renderSlack(postReply(testArticle(over), { presentation, timezone: 'Europe/Berlin' }));
}

/** Every mrkdwn text in the message (plain_text is never parsed for mentions by Slack). */
function texts(message: ReturnType<typeof renderSlack>): string[] {
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

function expectInert(message: ReturnType<typeof renderSlack>, allowed: string[] = []) {
  for (const text of texts(message)) {
    let rest = text;
    for (const ok of allowed) rest = rest.replaceAll(ok, '');
    expect(rest).not.toMatch(/<[!@#]/);
    expect(rest).not.toMatch(/@(channel|here|everyone)\b/);
  }
}

describe('Slack posts shaped by a subscription', () => {
  it("card: today's blocks plus an image block and the template first", () => {
    const message = render({ style: 'card', template: '*New:* {title}' });
    expect(message.blocks[0]).toMatchObject({ type: 'section', text: { text: '*New:* Storm hits the coast' } });
    expect(message.blocks).toContainEqual({
      type: 'image',
      image_url: 'https://img.example/storm.jpg',
      alt_text: 'Storm hits the coast',
    });
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions' });
  });

  it('compact: one section with a link, the source and the image as a thumbnail', () => {
    const message = render({ style: 'compact' });
    expect(message.blocks[0]).toMatchObject({
      type: 'section',
      text: { text: '*<https://news.example/storm|Storm hits the coast>* · Example Wire' },
      accessory: { type: 'image', image_url: 'https://img.example/storm.jpg' },
    });
    expect(message.blocks).toHaveLength(2);
  });

  it('text: the template only, escaped values, no image', () => {
    const template = '{title}|{url}|{author}|{source}|{tags}|{summary}|{published:HH:mm}|{basis}|{id}';
    const message = render({ style: 'text', template }, { title: 'A & B <x>' });
    expect(message.blocks[0]).toMatchObject({
      text: {
        text: 'A &amp; B &lt;x&gt;|https://news.example/storm|Jane Doe|Example Wire|weather|The storm hit. The coast flooded.|17:55|From the full article|ab12cd34',
      },
    });
    expect(JSON.stringify(message)).not.toContain('image_url');
  });

  it('image=off and http images show none', () => {
    expect(JSON.stringify(render({ style: 'card', image: false }))).not.toContain('image_url');
    expect(
      JSON.stringify(render({ style: 'compact' }, { images: [{ caption: '', url: 'http://a.example/x.png' }] })),
    ).not.toContain('image_url');
  });

  it('mentions only the configured user and group, in the post and its notification', () => {
    const mentions = [
      { kind: 'user' as const, id: 'U0123ABCD' },
      { kind: 'subteam' as const, id: 'S0456EFGH' },
    ];
    const message = render({ style: 'compact', mentions, mentionFilter: 'coast' });
    expect(message.text.startsWith('<@U0123ABCD> <!subteam^S0456EFGH> ')).toBe(true);
    expect(JSON.stringify(message.blocks[0])).toContain('<@U0123ABCD> <!subteam^S0456EFGH> ');
    expectInert(message, ['<@U0123ABCD>', '<!subteam^S0456EFGH>', '<https://news.example/storm|']);
    expect(render({ style: 'compact', mentions, mentionFilter: 'election' }).text).not.toContain('<@');
  });

  it('keeps <!channel> and @here inert from the template and the article', () => {
    const message = render(
      { style: 'text', template: '<!channel> <!here> <@U999> @here {title}' },
      { title: '<!everyone> @channel' },
    );
    expectInert(message);
  });

  for (const style of ['card', 'compact', 'text'] as const) {
    it(`${style}: a 40 KB hostile title fits 3,000 per section and 50 blocks, and stays inert`, () => {
      const message = render(
        { style, template: '*{title}*\n{summary}' },
        {
          title: HOSTILE_TITLE,
          summary: { sentences: [HOSTILE_TITLE], method: 'extractive' },
        },
      );
      expect(message.blocks.length).toBeLessThanOrEqual(50);
      for (const block of message.blocks) {
        if (block.type === 'section') expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3_000);
      }
      expect(message.text.length).toBeLessThanOrEqual(3_000);
      expectInert(message, ['<https://news.example/storm|', '<!date^']);
      expect(JSON.stringify(message)).not.toMatch(/\\ud83d(?!\\ude00)/i);
    });
  }
});
