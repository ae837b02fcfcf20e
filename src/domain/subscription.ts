import type { Article } from './article.js';
import type { ChannelId } from './channel.js';
import { NewsdeskError } from './errors.js';
import { compileFilterRegex, type FilterRegex } from './filter-regex.js';
import type { Presentation } from './presentation.js';

export { compileFilterRegex, regexProblem } from './filter-regex.js';

/** Which articles a channel wants. Empty lists mean "no constraint". */
export interface SubscriptionFilter {
  /** Any of these words or phrases in the title or body. */
  include: string[];
  /** None of these. */
  exclude: string[];
  /** A regular expression over title and body (case-insensitive unless written otherwise). */
  regex?: string;
  /** Any of these tags. */
  tags: string[];
  /** Any of these publishers or feed titles. */
  sources: string[];
}

export interface Subscription {
  channel: ChannelId;
  /** The space (domain/space.ts) the channel belongs to; absent means the operator's. */
  space?: string;
  /** Only articles of these feeds (ids); absent means everything the space sees, files included. */
  feeds?: string[];
  /** Cron expression; undefined means the configured POST_SCHEDULE. */
  schedule?: string;
  timezone?: string;
  filter: SubscriptionFilter;
  /** 0: one post per article. N > 0: one digest message of up to N articles per tick. */
  digest: number;
  paused: boolean;
  /** `config` rows mirror DISCORD_CHANNEL_IDS / SLACK_CHANNEL_IDS and follow them. */
  origin: 'config' | 'command';
  createdBy?: string;
  createdAt: string;
  /** Style, template, image, mentions, thread; undefined: today's card (see presentationOf). */
  presentation?: Partial<Presentation>;
}

export const emptyFilter = (): SubscriptionFilter => ({ include: [], exclude: [], tags: [], sources: [] });

const MAX_FILTER = 1_000;

/** Words, "quoted phrases", -excluded, tag:x, source:x and /regex/flags → a filter. */
export function parseFilter(text: string): SubscriptionFilter {
  if (text.length > MAX_FILTER) throw new NewsdeskError('bad_input', `A filter is at most ${MAX_FILTER} characters.`);
  const filter = emptyFilter();
  const tokens = text.match(/\/(?:\\.|[^/\\])+\/[a-z]*|[-\w]+:"[^"]*"|-?"[^"]*"|\S+/g) ?? [];
  for (const token of tokens) {
    const unquote = (value: string) => value.replace(/^"|"$/g, '').trim();
    if (/^\/.+\/[a-z]*$/.test(token)) {
      if (filter.regex) throw new NewsdeskError('bad_input', 'Only one /regex/ per filter.');
      filter.regex = token;
      compileFilterRegex(token);
    } else if (/^tag:/i.test(token)) {
      filter.tags.push(unquote(token.slice(4)).toLowerCase());
    } else if (/^source:/i.test(token)) {
      filter.sources.push(unquote(token.slice(7)));
    } else if (token.startsWith('-') && token.length > 1) {
      filter.exclude.push(unquote(token.slice(1)).toLowerCase());
    } else {
      filter.include.push(unquote(token).toLowerCase());
    }
  }
  for (const list of [filter.include, filter.exclude, filter.tags, filter.sources]) {
    if (list.some((item) => item.length === 0))
      throw new NewsdeskError('bad_input', 'The filter has an empty word or quote.');
  }
  return filter;
}

export function describeFilter(filter: SubscriptionFilter): string {
  const parts = [
    ...filter.include.map((word) => (word.includes(' ') ? `"${word}"` : word)),
    ...filter.exclude.map((word) => `-${word.includes(' ') ? `"${word}"` : word}`),
    ...filter.tags.map((tag) => `tag:${tag}`),
    ...filter.sources.map((source) => `source:${source.includes(' ') ? `"${source}"` : source}`),
    ...(filter.regex ? [filter.regex] : []),
  ];
  return parts.length > 0 ? parts.join(' ') : 'everything';
}

function wordsOf(text: string): string {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}

/** A filter sees the title and this much of the body: enough to decide, bounded for a 5 MB article. */
const FILTER_TEXT_MAX = 20_000;
const FILTER_TITLE_MAX = 2_000;

type FilterableArticle = Pick<Article, 'title' | 'body' | 'tags' | 'publishers' | 'origin'>;

/** Title plus the first FILTER_TEXT_MAX characters of the body, without joining a huge body first. */
export function filterText(article: Pick<Article, 'title' | 'body'>): string {
  const parts = [article.title.slice(0, FILTER_TITLE_MAX)];
  let room = FILTER_TEXT_MAX;
  for (const block of article.body) {
    if (room <= 0) break;
    const text = block.text.length > room ? block.text.slice(0, room) : block.text;
    parts.push(text);
    room -= text.length + 1;
  }
  return parts.join('\n');
}

/** An article as filters see it, built once per article however many subscriptions test it. */
export interface FilterSubject {
  article: FilterableArticle;
  text: string;
  /** ` word word … ` of `text`, for whole-word tests; computed on first use. */
  words(): string;
}

export function filterSubject(article: FilterableArticle): FilterSubject {
  const text = filterText(article);
  let words: string | undefined;
  return { article, text, words: () => (words ??= ` ${wordsOf(text)} `) };
}

const isSubject = (given: FilterableArticle | FilterSubject): given is FilterSubject => 'words' in given;

/**
 * Compiles a filter once (its regex on RE2) for testing many articles. Throws `bad_input` when the
 * stored regex cannot run: callers quarantine that subscription instead of failing everyone.
 */
export function createFilterMatcher(
  filter: SubscriptionFilter,
): (subject: FilterableArticle | FilterSubject) => boolean {
  const regex: FilterRegex | undefined = filter.regex ? compileFilterRegex(filter.regex) : undefined;
  const includes = filter.include.map((phrase) => ` ${wordsOf(phrase)} `);
  const excludes = filter.exclude.map((phrase) => ` ${wordsOf(phrase)} `);
  const sources = filter.sources.map((source) => source.toLowerCase());
  return (given) => {
    const subject = isSubject(given) ? given : filterSubject(given);
    const { article } = subject;
    if (filter.tags.length > 0 && !article.tags.some((tag) => filter.tags.includes(tag.toLowerCase()))) return false;
    if (sources.length > 0) {
      const feedTitle = article.origin.kind === 'feed' ? article.origin.feedTitle : undefined;
      const names = [...article.publishers, ...(feedTitle ? [feedTitle] : [])].map((name) => name.toLowerCase());
      if (!sources.some((source) => names.includes(source))) return false;
    }
    // Whole words only: "ai" must not match "said".
    if (includes.length > 0 && !includes.some((phrase) => subject.words().includes(phrase))) return false;
    if (excludes.some((phrase) => subject.words().includes(phrase))) return false;
    return regex ? regex.test(subject.text) : true;
  };
}

/** Whether an article passes a subscription's filter. */
export function matchesFilter(article: FilterableArticle, filter: SubscriptionFilter): boolean {
  return createFilterMatcher(filter)(article);
}
