import type { Article } from './article.js';
import type { ChannelId } from './channel.js';
import { NewsdeskError } from './errors.js';

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
  /** Guild or workspace the channel belongs to, for listing. */
  space?: string;
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
}

export const emptyFilter = (): SubscriptionFilter => ({ include: [], exclude: [], tags: [], sources: [] });

const MAX_REGEX = 200;

/** Words, "quoted phrases", -excluded, tag:x, source:x and /regex/flags → a filter. */
export function parseFilter(text: string): SubscriptionFilter {
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
    if (list.some((item) => item.length === 0)) throw new NewsdeskError('bad_input', 'The filter has an empty word or quote.');
  }
  return filter;
}

export function compileFilterRegex(written: string): RegExp {
  const match = /^\/(.+)\/([a-z]*)$/.exec(written);
  if (!match || written.length > MAX_REGEX) throw new NewsdeskError('bad_input', `A filter regex is written /pattern/flags, at most ${MAX_REGEX} characters.`);
  const flags = match[2]!.includes('i') || /[A-Z]/.test(match[1]!) ? match[2]! : `${match[2]}i`;
  try {
    return new RegExp(match[1]!, flags.replace(/[gy]/g, ''));
  } catch (err) {
    throw new NewsdeskError('bad_input', `The filter regex is not valid: ${(err as Error).message.replace(/\.?$/, '.')}`);
  }
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

/** Whether an article passes a subscription's filter. */
export function matchesFilter(article: Pick<Article, 'title' | 'body' | 'tags' | 'publishers' | 'origin'>, filter: SubscriptionFilter): boolean {
  const text = `${article.title}\n${article.body.map((block) => block.text).join('\n')}`;
  // Whole words only: "ai" must not match "said".
  const words = ` ${wordsOf(text)} `;
  const has = (phrase: string) => words.includes(` ${wordsOf(phrase)} `);
  if (filter.include.length > 0 && !filter.include.some(has)) return false;
  if (filter.exclude.some(has)) return false;
  if (filter.tags.length > 0 && !article.tags.some((tag) => filter.tags.includes(tag.toLowerCase()))) return false;
  if (filter.sources.length > 0) {
    const names = [...article.publishers, ...(article.origin.kind === 'feed' && article.origin.feedTitle ? [article.origin.feedTitle] : [])].map((name) => name.toLowerCase());
    if (!filter.sources.some((source) => names.includes(source.toLowerCase()))) return false;
  }
  if (filter.regex && !compileFilterRegex(filter.regex).test(text)) return false;
  return true;
}
