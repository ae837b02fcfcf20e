/**
 * Hostile documents, each a case from issue 13 or one of our own. `owner` names the part of the
 * issue that makes the case pass: the guard (rendering, filters, terminal) or the feed and
 * summariser work that lands separately. Sizes are the issue's, so before/after figures compare.
 */
export interface HostileCase {
  name: string;
  owner: 'guard' | 'feeds' | 'summarize';
  kind: 'feed' | 'file';
  /** For files: the name, whose extension picks the parser. */
  file?: string;
  bytes: () => Buffer;
  /** CPU budget for parse → enrich → filter → render of the whole document, generous for a loaded machine. */
  budgetMs: number;
}

const ENGLISH = 'The council met on Tuesday and the minister said the budget would pass ';
const words = (count: number) => Array.from({ length: count }, (_, i) => `word${i % 97}`).join(' ');

const rss = (items: string[], channelExtra = '') =>
  Buffer.from(
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title><link>https://news.example/</link>` +
      `<description>x</description>${channelExtra}${items.join('')}</channel></rss>`,
  );

const rssItem = (n: number, fields: { title?: string; author?: string; description?: string }) =>
  `<item><guid>h-${n}</guid><link>https://news.example/h/${n}</link>` +
  `<title><![CDATA[${fields.title ?? `Item ${n}`}]]></title>` +
  (fields.author !== undefined ? `<author><![CDATA[${fields.author}]]></author>` : '') +
  `<description><![CDATA[${fields.description ?? '<p>A short body. It has two sentences.</p>'}]]></description></item>`;

const numbered = (count: number, line: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => line(i)).join(' ');
const textArticle = (title: string, body: string) => Buffer.from(`${title}\n\nBy Jane Doe\n\n${body}\n`);

export const HOSTILE_CORPUS: HostileCase[] = [
  {
    name: '40 KB title of words (Discord truncation took 1.1 s)',
    owner: 'guard',
    kind: 'feed',
    bytes: () => rss([rssItem(1, { title: `Budget ${words(6_000)}`.slice(0, 40_000) })]),
    budgetMs: 1_500,
  },
  {
    name: '40 KB title of "[a" (quadratic link scan)',
    owner: 'guard',
    kind: 'feed',
    bytes: () => rss([rssItem(2, { title: '[a'.repeat(20_000) })]),
    budgetMs: 1_500,
  },
  {
    name: 'escape sequences and bidi overrides in title and body',
    owner: 'guard',
    kind: 'feed',
    bytes: () =>
      rss([
        rssItem(3, {
          title: 'Breaking \x1b]0;pwned\x07 \x1b[2J\u202eevil',
          description: '<p>Body \x1b[31mred\x1b[0m \x9b2J here.</p>',
        }),
      ]),
    budgetMs: 1_000,
  },
  {
    name: '40 KB of emoji sequences as title (surrogates, graphemes)',
    owner: 'guard',
    kind: 'feed',
    bytes: () => rss([rssItem(4, { title: '👨‍👩‍👧'.repeat(5_000) })]),
    budgetMs: 1_500,
  },
  {
    name: 'text file whose first line is 40 KB (refused with a reason)',
    owner: 'guard',
    kind: 'file',
    file: 'long-title.txt',
    bytes: () => textArticle(`Council ${words(6_000)}`.slice(0, 40_000), 'The council met on Tuesday. '.repeat(60)),
    budgetMs: 1_000,
  },
  {
    name: 'ordinary English text file under the catastrophic filter /(\\w+\\s?)+$/',
    owner: 'guard',
    kind: 'file',
    file: 'ordinary.txt',
    bytes: () => textArticle('An ordinary story', `${ENGLISH.repeat(60)}\n`),
    budgetMs: 1_000,
  },
  {
    name: '6 KB RSS <author> of "(a@" repeated (7.5 s, cubic)',
    owner: 'feeds',
    kind: 'feed',
    bytes: () => rss([rssItem(5, { author: '(a@'.repeat(2_000) })]),
    budgetMs: 1_000,
  },
  {
    name: '200 KB of repeated <!DOCTYPE (8.5 s before rejection)',
    owner: 'feeds',
    kind: 'feed',
    // No `>` after them: each one starts a scan to the end of the document.
    bytes: () => Buffer.from(`<?xml version="1.0"?><rss version="2.0"><channel>${'<!DOCTYPE '.repeat(20_000)}`),
    budgetMs: 1_000,
  },
  {
    name: '80 KB of "<a" in item HTML (html-text, quadratic)',
    owner: 'feeds',
    kind: 'feed',
    bytes: () => rss([rssItem(6, { description: '<a'.repeat(40_000) })]),
    budgetMs: 1_000,
  },
  {
    name: '99 KB JSON Feed body of "Officials said Ab Ab …" (14.9 s in attribution)',
    owner: 'summarize',
    kind: 'feed',
    bytes: () =>
      Buffer.from(
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: 'Hostile',
          items: [{ id: '1', title: 'Officials', content_text: `Officials said ${'Ab '.repeat(33_000)}` }],
        }),
      ),
    budgetMs: 1_500,
  },
  {
    name: '8,000 sentences (ranking, 2.1 s)',
    owner: 'summarize',
    kind: 'file',
    file: 'sentences.txt',
    bytes: () =>
      textArticle(
        'Many sentences',
        numbered(8_000, (i) => `Sentence ${i} says item${i % 500} matters.`),
      ),
    budgetMs: 1_500,
  },
  {
    name: '8,000 names (source de-duplication, 5 s)',
    owner: 'summarize',
    kind: 'file',
    file: 'names.txt',
    bytes: () =>
      textArticle(
        'Many names',
        numbered(8_000, (i) => `Person${i} Name${i} said it was fine.`),
      ),
    budgetMs: 1_500,
  },
];
