import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isNewsdeskError } from '../../../src/domain/errors.js';
import { parseFeed, type FeedItem, type ParsedFeed } from '../../../src/ingest/feeds/parse-feed.js';
import { createTally, dateMatches, show, textMatches, urlMatches, type SuiteResult } from './harness.js';

interface Record_ {
  file: string;
  description: string;
  http_headers?: string[];
  simple?: { bozo?: boolean; path?: (string | number)[]; equals?: unknown };
}

type Getter = (feed: ParsedFeed, index: number[]) => unknown;
type Kind = 'text' | 'date' | 'url';

const item = (feed: ParsedFeed, index: number[]): FeedItem | undefined => feed.items[index[0] ?? 0];
const summaryOf = (entry: FeedItem | undefined): string | undefined => entry?.summary ?? entry?.contentHtml;

/** feedparser's field paths (indices removed) → our model. Unlisted fields do not map. */
const FIELDS: Record<string, [Kind, Getter]> = {
  'feed.title': ['text', (f) => f.title],
  'feed.title_detail.value': ['text', (f) => f.title],
  'feed.subtitle': ['text', (f) => f.description],
  'feed.tagline': ['text', (f) => f.description],
  'feed.description': ['text', (f) => f.description],
  'feed.subtitle_detail.value': ['text', (f) => f.description],
  'feed.tagline_detail.value': ['text', (f) => f.description],
  'feed.link': ['url', (f) => f.link],
  'feed.language': ['text', (f) => f.language],
  'feed.updated_parsed': ['date', (f) => f.updated],
  'entries.title': ['text', (f, i) => item(f, i)?.title],
  'entries.title_detail.value': ['text', (f, i) => item(f, i)?.title],
  'entries.link': ['url', (f, i) => item(f, i)?.link],
  'entries.id': ['text', (f, i) => item(f, i)?.guid],
  'entries.guid': ['text', (f, i) => item(f, i)?.guid],
  'entries.description': ['text', (f, i) => summaryOf(item(f, i))],
  'entries.summary': ['text', (f, i) => summaryOf(item(f, i))],
  'entries.summary_detail.value': ['text', (f, i) => summaryOf(item(f, i))],
  'entries.content.value': ['text', (f, i) => item(f, i)?.contentHtml],
  'entries.author': ['text', (f, i) => item(f, i)?.author],
  'entries.author_detail.name': ['text', (f, i) => item(f, i)?.author],
  'entries.published_parsed': ['date', (f, i) => item(f, i)?.published],
  'entries.created_parsed': ['date', (f, i) => item(f, i)?.published],
  'entries.updated_parsed': ['date', (f, i) => item(f, i)?.updated ?? item(f, i)?.published],
  'entries.tags.term': ['text', (f, i) => item(f, i)?.categories[i[1] ?? 0]],
  'entries.category': ['text', (f, i) => item(f, i)?.categories[0]],
  'entries.enclosures.href': ['url', (f, i) => item(f, i)?.enclosures[i[1] ?? 0]?.url],
};

function structToIso(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length < 6) return undefined;
  const [y, mo, d, h, mi, s] = value as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!)).toISOString();
}

/** feedparser's harness serves each file from 127.0.0.1:8097; Content-Location overrides that base. */
function documentUrl(record: Record_): string {
  const served = `http://127.0.0.1:8097/${record.file}`;
  const location = record.http_headers?.find((header) => /^content-location:/i.test(header));
  return location ? new URL(location.slice(location.indexOf(':') + 1).trim(), served).href : served;
}

function contentTypeOf(headers: string[] | undefined): string | undefined {
  const line = headers?.find((header) => /^content-type:/i.test(header));
  return line
    ?.slice(line.indexOf(':') + 1)
    .trim()
    .replace(/'/g, '');
}

export function runFeedparser(corpus: string): SuiteResult {
  const dir = path.join(corpus, 'feedparser-python');
  const records = JSON.parse(readFileSync(path.join(dir, 'expectations_index.json'), 'utf8')) as Record_[];
  const tally = createTally('feedparser');
  for (const record of records) {
    const simple = record.simple;
    // CDF (Microsoft's Channel Definition Format) is not one of the formats we parse.
    if (!simple || record.file.includes('/cdf/')) {
      tally.skip();
      continue;
    }
    let feed: ParsedFeed | undefined;
    let error: unknown;
    try {
      feed = parseFeed(readFileSync(path.join(dir, record.file)), {
        url: documentUrl(record),
        contentType: contentTypeOf(record.http_headers),
      });
    } catch (err) {
      error = err;
    }
    if (error !== undefined && !isNewsdeskError(error, 'bad_input')) {
      tally.check(record.file, false, () => `crashed: ${(error as Error).message}`);
      continue;
    }
    if (!simple.path) {
      // A bare `bozo` expectation: malformed documents must be refused with a clear error.
      if (simple.bozo) tally.check(record.file, error !== undefined, () => 'accepted a malformed document');
      else tally.skip();
      continue;
    }
    const key = simple.path.filter((part) => typeof part === 'string').join('.');
    const mapping = FIELDS[key];
    if (!mapping) {
      tally.skip();
      continue;
    }
    if (!feed) {
      tally.check(record.file, false, () => `rejected: ${(error as Error).message}`);
      continue;
    }
    const [kind, get] = mapping;
    const index = simple.path.filter((part): part is number => typeof part === 'number');
    const got = get(feed, index);
    const ok =
      kind === 'date'
        ? dateMatches(got as string | undefined, structToIso(simple.equals) ?? null)
        : kind === 'url'
          ? urlMatches(got as string | undefined, simple.equals)
          : textMatches(got as string | undefined, simple.equals);
    tally.check(`${record.file} ${key}`, ok, () => `got ${show(got)}, want ${show(simple.equals)}`);
  }
  return tally.result;
}
