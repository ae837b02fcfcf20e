import { NewsdeskError, isNewsdeskError } from '../src/domain/errors.js';
import type { Reply } from '../src/domain/reply.js';
import { parseOpml } from '../src/ingest/opml/parse-opml.js';
import { writeOpml } from '../src/ingest/opml/write-opml.js';
import type { Command, CommandContext } from './command.js';
import { checkFeedCap, feedsOf } from './feeds-shared.js';
import { spaceOf } from './space-scope.js';

/** A list that is not OPML is the user's mistake, said plainly, not an internal error. */
function readOpml(text: string): ReturnType<typeof parseOpml> {
  try {
    return parseOpml(text);
  } catch (err) {
    throw new NewsdeskError('bad_input', `That is not a usable OPML list: ${(err as Error).message}`);
  }
}

export interface ImportReport {
  added: string[];
  present: string[];
  refused: { url: string; reason: string }[];
}

/** Link every feed of an OPML text to the asking space: checked like `feeds add`, within the cap. */
export async function importOpml(ctx: CommandContext, text: string): Promise<ImportReport> {
  const feeds = feedsOf(ctx);
  const space = spaceOf(ctx);
  const document = readOpml(text);
  const report: ImportReport = { added: [], present: [], refused: [] };
  for (const skipped of document.skipped) report.refused.push({ url: skipped.text, reason: skipped.reason });
  for (const entry of document.feeds) {
    try {
      const url = await feeds.validateUrl(entry.url);
      await checkFeedCap(ctx, feeds, url, space);
      const { feed, created, linked } = await feeds.add(url, {
        addedBy: `${ctx.user.platform}:${ctx.user.id}`,
        now: ctx.now(),
        space,
      });
      if (created) feeds.pollSoon?.(feed.url);
      (linked ? report.added : report.present).push(feed.url);
    } catch (err) {
      if (!isNewsdeskError(err) || err.code === 'internal' || err.code === 'storage') throw err;
      report.refused.push({ url: entry.url, reason: err.message });
    }
  }
  return report;
}

function reportReply(report: ImportReport): Reply {
  const lines = [
    `Added ${report.added.length}, already here ${report.present.length}, refused ${report.refused.length}.`,
    ...report.added.map((url) => `+ ${url}`),
    ...report.present.map((url) => `= ${url}`),
    ...report.refused.slice(0, 50).map((item) => `! ${item.url}: ${item.reason}`),
  ];
  if (report.refused.length > 50) lines.push(`…and ${report.refused.length - 50} more refused`);
  return { kind: 'text', tone: 'info', title: 'OPML import', text: lines.join('\n'), ephemeral: true };
}

export const feedsImportCommand: Command<{ url?: string; file?: string; document?: string }> = {
  name: 'feeds import',
  description: 'Add the feeds of an OPML list (a file, a URL to it, or its text)',
  options: [
    { name: 'url', description: 'Where the OPML document is (http or https)', type: 'string', required: false },
    { name: 'file', description: 'An OPML file (.opml or .xml, at most 1 MB)', type: 'attachment', required: false },
    { name: 'document', description: 'The OPML text itself', type: 'string', required: false, rest: true },
  ],
  managesChannel: true,
  async run(ctx, { url, file, document }) {
    let text = file ?? document;
    if (!text && url) {
      const fetchText = feedsOf(ctx).fetchText;
      if (!fetchText) throw new NewsdeskError('bad_input', 'Fetching OPML by URL is not available here.');
      text = await fetchText(url);
    }
    if (!text)
      throw new NewsdeskError(
        'bad_input',
        'Give the OPML list: attach the file (on Slack, send it to the bot in a DM), url=<https://…>, or its text.',
      );
    return reportReply(await importOpml(ctx, text));
  },
};

export const feedsExportCommand: Command<Record<string, never>> = {
  name: 'feeds export',
  description: "This space's feeds as an OPML file",
  options: [],
  managesChannel: true,
  async run(ctx) {
    const feeds = await feedsOf(ctx).list(spaceOf(ctx));
    const content = writeOpml(
      feeds.map((feed) => ({ url: feed.url, ...(feed.title ? { title: feed.title } : {}) })),
      { title: 'newsdesk feeds', created: new Date(ctx.now()) },
    );
    const text = `${feeds.length} feed${feeds.length === 1 ? '' : 's'} as OPML.`;
    return { kind: 'file', name: 'newsdesk-feeds.opml', mime: 'text/x-opml', content, text, ephemeral: true };
  },
};
