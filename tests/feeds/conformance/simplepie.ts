import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseFeed, type ParsedFeed } from '../../../src/ingest/feeds/parse-feed.js';
import { createTally, show, type SuiteResult } from './harness.js';

/**
 * SimplePie's encoding fixtures. Its assertions live in PHP; what they check is that UTF-16 (both
 * byte orders) and leading whitespace decode to the same feed as the plain UTF-8 file.
 */
export function runSimplepie(corpus: string): SuiteResult {
  const tally = createTally('simplepie encodings');
  const dir = path.join(corpus, 'simplepie-php/tests/data');
  const parse = (file: string): ParsedFeed | Error => {
    try {
      return parseFeed(readFileSync(path.join(dir, file)), { url: 'https://example.com/feed' });
    } catch (err) {
      return err as Error;
    }
  };
  const reference = parse('feed_rss-2.0.xml');
  tally.check('feed_rss-2.0.xml parses', !(reference instanceof Error) && reference.title !== '', () =>
    show(reference),
  );
  const mock = parse('feed_rss-2.0_for_file_mock.xml');
  tally.check(
    'feed_rss-2.0_for_file_mock.xml parses with content',
    !(mock instanceof Error) &&
      mock.items.length > 0 &&
      mock.items.every((item) => item.title && item.contentHtml && item.published),
    () => show(mock instanceof Error ? mock.message : mock.items[0]),
  );
  for (const file of ['feed-utf16be.xml', 'feed-utf16le.xml', 'feed-with-whitespace-before-xml-declaration.xml']) {
    const feed = parse(file);
    if (feed instanceof Error) {
      tally.check(file, false, () => `rejected: ${feed.message}`);
      continue;
    }
    const clean = (text: string | undefined): boolean =>
      text !== undefined && text !== '' && !/[\ufffd\u0000]/.test(text);
    tally.check(`${file} title`, clean(feed.title), () => show(feed.title));
    tally.check(
      `${file} items`,
      feed.items.every((item) => clean(item.title)),
      () => show(feed.items.map((i) => i.title)),
    );
  }
  return tally.result;
}
