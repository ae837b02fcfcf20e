import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/ingest/fulltext/extract-article.js';
import { ONLY_ON_PAGE, articlePage, paywalledPage, subscribeWallPage } from './pages.js';

const url = 'https://news.example/world/storm';

describe('extractArticle', () => {
  const article = extractArticle(articlePage(), url);

  it('reads title, byline, published time and an https lead image from the page metadata', () => {
    expect(article.title).toBe('Storm passes the harbour');
    expect(article.byline).toBe('Ada Reporter');
    expect(article.published).toBe('2024-03-05T10:00:00.000Z');
    // The JSON-LD's first image is http: skipped, the https one is taken.
    expect(article.leadImage).toBe('https://cdn.example/lead.jpg');
  });

  it('keeps paragraphs, headings, quotes and lists, with their links', () => {
    const types = article.blocks.map((block) => block.type);
    expect(types).toContain('heading');
    expect(types).toContain('quote');
    expect(types).toContain('list');
    expect(article.blocks.find((block) => block.type === 'list')).toMatchObject({
      items: ['Sea wall: no damage recorded', 'Ferry terminal: closed for two days'],
    });
    const linked = article.blocks.find((block) => block.text.includes('published in full'));
    expect(linked?.links).toEqual([{ url: 'https://harbour.example/report.pdf', text: 'published in full' }]);
    expect(article.text).toContain(ONLY_ON_PAGE);
    // Plain text: blocks separated by blank lines; the title is not repeated as the first block.
    expect(article.text.split('\n\n').length).toBe(article.blocks.length);
    expect(article.blocks[0]?.text).not.toBe('Storm passes the harbour');
  });

  it('leaves out navigation, related links, comments, cookie banners and the footer', () => {
    for (const boilerplate of [
      'Sport navigation link',
      'Related headline one',
      'First commenter',
      'We use cookies',
      'All rights reserved',
    ]) {
      expect(article.text).not.toContain(boilerplate);
    }
    expect(article.paywalled).toBe(false);
  });

  it('marks schema.org isAccessibleForFree: false as paywalled', () => {
    const locked = extractArticle(paywalledPage(), url);
    expect(locked.paywalled).toBe(true);
    expect(locked.paywallReason).toBe('the article is for subscribers only');
  });

  it('marks a short body that ends on a subscribe wall as paywalled', () => {
    const walled = extractArticle(subscribeWallPage(), url);
    expect(walled.paywalled).toBe(true);
    expect(walled.paywallReason).toBe('the article stops at a subscribe wall');
  });

  it('gives an empty article, not an error, for pages that are not articles or not HTML at all', () => {
    for (const junk of [
      '',
      'plain words',
      '<html><body><nav><a href="/">Home</a></nav></body></html>',
      '<<<>>>\u0000\uffff',
    ]) {
      const out = extractArticle(junk, url);
      expect(out.text.split(/\s+/).filter(Boolean).length).toBeLessThan(5);
      expect(out.paywalled).toBe(false);
    }
  });
});
