import type { ArticleSource } from './article.js';
import type { PostStyle, TemplatePart, TemplateSource } from './post-template.js';
import type { Mention } from './presentation.js';

/** What a reply says about one article. Renderers decide how it looks on each platform. */
export interface ArticleCard {
  id: string;
  title: string;
  url?: string;
  /** ISO 8601. */
  published?: string;
  /** Publisher or feed title, for the footer. */
  sourceName?: string;
  author?: string;
  /** Plain text, already shortened to whole sentences; renderers still enforce their own limits. */
  description?: string;
  tags?: string[];
  /** An https lead image, shown by URL (the platform fetches it, never the bot). */
  image?: string;
  /** Placeholder values, present when the post has a template. */
  template?: TemplateSource;
}

/** How a subscription wants its post to look; absent: today's card. */
export interface PostLook {
  style: PostStyle;
  template?: TemplatePart[];
  /** For `{published:<format>}`. */
  timeZone?: string;
  /** Exactly who this post may ping; renderers allow these ids and nothing else. */
  mentions: Mention[];
  /** Open a thread on the post (Discord text channels), named after the article. */
  thread?: boolean;
  /** Forum tag ids for the post (Discord forum channels). */
  tags?: string[];
}

/** Actions a renderer turns into buttons. Each carries the article id. */
export type ArticleAction = 'summary' | 'sources';

/*
 * `basis` on summary and sources is the one short line from `basisLine` ("From the full article"),
 * shown with every answer so a reader knows whether it came from the page or only the feed's teaser.
 */
/** A platform-neutral message. Every text field is plain text: renderers escape it. */
export type Reply = { ephemeral?: boolean } & (
  | { kind: 'text'; tone: 'info' | 'error'; title?: string; text: string }
  | {
      kind: 'articles';
      heading?: string;
      cards: ArticleCard[];
      actions: ArticleAction[];
      empty?: string;
      look?: PostLook;
    }
  | { kind: 'summary'; article: ArticleCard; sentences: string[]; machineWritten: boolean; basis?: string }
  | { kind: 'sources'; article: ArticleCard; sources: ArticleSource[]; basis?: string }
  | { kind: 'help'; heading: string; entries: HelpEntry[] }
  /** A document to hand over (an OPML export): an attachment, an upload, or stdout at the terminal. */
  | { kind: 'file'; name: string; mime: string; content: string; text: string }
);

/** One line of help: a subcommand's usage and what it does. */
export interface HelpEntry {
  /** `/news latest [count]`: every option, those that take a file included. */
  usage: string;
  description: string;
  /**
   * Set when the command takes a file: the usage without the file options, for a command line
   * that carries typed words only (Slack's slash command; a file reaches the bot another way).
   */
  typedUsage?: string;
}

export function textReply(text: string, tone: 'info' | 'error' = 'info', ephemeral = tone === 'error'): Reply {
  return { kind: 'text', tone, text, ephemeral };
}
