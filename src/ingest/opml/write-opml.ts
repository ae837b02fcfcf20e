import { escapeUTF8 } from 'entities';

export interface OpmlEntry {
  url: string;
  title?: string;
  htmlUrl?: string;
}

/** An OPML 2.0 document listing `feeds`, flat, in the order given. */
export function writeOpml(feeds: OpmlEntry[], options: { title: string; created?: Date }): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escapeUTF8(options.title)}</title>`,
    ...(options.created ? [`    <dateCreated>${options.created.toUTCString()}</dateCreated>`] : []),
    '  </head>',
    '  <body>',
  ];
  for (const feed of feeds) {
    const text = escapeUTF8(feed.title ?? feed.url);
    const site = feed.htmlUrl ? ` htmlUrl="${escapeUTF8(feed.htmlUrl)}"` : '';
    lines.push(`    <outline type="rss" text="${text}" title="${text}" xmlUrl="${escapeUTF8(feed.url)}"${site}/>`);
  }
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}
