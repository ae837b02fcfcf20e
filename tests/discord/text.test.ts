import { describe, expect, it } from 'vitest';
import { escapeMarkdown, truncate } from '../../src/platforms/discord/text.js';
import { fitTotal, totalLength } from '../../src/platforms/discord/embed.js';
import { createSeenIds } from '../../src/platforms/discord/seen-ids.js';

describe('truncate', () => {
  it('leaves text that fits alone', () => {
    expect(truncate('short', 5)).toBe('short');
  });

  it('cuts to the limit with an ellipsis, preferring a word boundary', () => {
    const out = truncate('alpha beta gamma delta epsilon', 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out).toBe('alpha beta gamma…');
    // A word boundary too far back is not worth it: cut mid-word instead.
    expect(truncate(`${'x'.repeat(50)} ${'y'.repeat(50)}`, 80)).toBe(`${'x'.repeat(50)} ${'y'.repeat(28)}…`);
  });

  it('never splits a surrogate pair or an emoji sequence', () => {
    const family = '👨‍👩‍👧';
    for (let max = 2; max < 20; max++) {
      const out = truncate(`${family}${family}${family}`, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out.replace('…', '')).toMatch(/^(👨‍👩‍👧)*$/u);
    }
  });

  it('never cuts inside a markdown link: the whole link goes', () => {
    const text = `See ${'x'.repeat(30)} [the report](https://example.com/report) for more`;
    for (let max = 36; max < text.length; max++) {
      const out = truncate(text, max);
      expect(out.length).toBeLessThanOrEqual(max);
      const open = out.indexOf('[the report]');
      if (open >= 0) expect(out).toContain('[the report](https://example.com/report)');
      else expect(out).not.toContain('[');
    }
  });

  it('does not leave a backslash that would escape the ellipsis', () => {
    const escaped = escapeMarkdown('a*b*c*d*e*f');
    for (let max = 2; max < escaped.length; max++) {
      const out = truncate(escaped, max);
      const body = out.slice(0, -1);
      const trailing = body.match(/\\+$/)?.[0].length ?? 0;
      expect(trailing % 2).toBe(0);
    }
  });
});

describe('escapeMarkdown', () => {
  it('escapes inline markers everywhere and block markers at line starts only', () => {
    expect(escapeMarkdown('a_b*c~d`e|f')).toBe('a\\_b\\*c\\~d\\`e\\|f');
    expect(escapeMarkdown('# Title\n> quote\n- item\n1. first\n3 - 2 > 0')).toBe(
      '\\# Title\n\\> quote\n\\- item\n\\1. first\n3 - 2 > 0',
    );
  });

  it('makes mentions inert', () => {
    expect(escapeMarkdown('@everyone @here <@42> <@&7> <#9>')).toBe(
      '@\u200beveryone @\u200bhere \\<@42> \\<@&7> \\<#9>',
    );
  });
});

describe('fitTotal', () => {
  it('shrinks the longest descriptions until the message fits 6,000', () => {
    const embeds = [
      { title: 't', description: 'a'.repeat(4000) },
      { title: 't', description: 'b'.repeat(3000) },
      { title: 't', description: 'c'.repeat(100) },
    ];
    const out = fitTotal(embeds);
    expect(totalLength(out)).toBeLessThanOrEqual(6000);
    expect(out[2]?.description).toBe('c'.repeat(100));
    expect(totalLength(embeds)).toBe(7103); // input untouched
  });
});

describe('seen ids', () => {
  it('reports an id once within the window and again after it', () => {
    let now = 0;
    const seen = createSeenIds({ windowMs: 1000, now: () => now });
    expect(seen.firstTime('a')).toBe(true);
    expect(seen.firstTime('a')).toBe(false);
    now = 1001;
    expect(seen.firstTime('a')).toBe(true);
  });

  it('stays bounded', () => {
    const seen = createSeenIds({ windowMs: 60_000, now: () => 0, max: 100 });
    for (let i = 0; i < 1000; i++) seen.firstTime(String(i));
    expect(seen.size()).toBeLessThanOrEqual(101);
  });
});
