import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ArticleDraft, ArticleImage } from '../../domain/article.js';
import { NewsdeskError } from '../../domain/errors.js';
import { fileArticleKey } from '../../domain/article-key.js';
import { parseArticleDate } from './dates.js';
import { splitBlocks, squash } from './decode-text.js';
import { findLinks } from './links.js';
import { readBodyBlocks } from './parse-text-article.js';

const listOrText = z
  .union([z.string(), z.array(z.coerce.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean));

const frontMatterSchema = z.object({
  id: z.coerce.string().optional(),
  title: z.coerce.string().optional(),
  author: z.coerce.string().optional(),
  date: z.union([z.string(), z.date(), z.number()]).optional(),
  url: z.url().optional(),
  source: listOrText.optional(),
  tags: listOrText.optional(),
});

const FRONT_MATTER = /^---\n([\s\S]*?)\n---(?:\n|$)/;
const IMAGE = /^!\[([^\]]*)\]\(([^)\s]+)(?:\s+"([^"]*)")?\)$/;

/** Inline markdown → plain text: links keep their text, emphasis and code marks go. */
function plainInline(text: string): string {
  return text
    .replace(/\[([^\]]+)\]\((?:[^)]+)\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[\s(])[*_](\S(?:.*?\S)?)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1');
}

function readFrontMatter(text: string): { fields: z.output<typeof frontMatterSchema>; body: string } {
  const match = FRONT_MATTER.exec(text);
  if (!match) return { fields: {}, body: text };
  let raw: unknown;
  try {
    raw = parseYaml(match[1] ?? '') ?? {};
  } catch (err) {
    throw new NewsdeskError('bad_input', `front matter is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const parsed = frontMatterSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new NewsdeskError(
      'bad_input',
      `front matter field ${String(issue?.path[0] ?? '?')}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return { fields: parsed.data, body: text.slice(match[0].length) };
}

/** Markdown with optional YAML front matter (id, title, author, date, url, source, tags). */
export function parseMarkdownArticle(text: string, options: { path: string; timeZone: string }): ArticleDraft {
  const { fields, body: markdown } = readFrontMatter(text);
  const blocks = splitBlocks(markdown).map((lines) => lines.join('\n'));

  let title = fields.title?.trim();
  if (!title && blocks[0]?.startsWith('# ')) title = squash(plainInline(blocks.shift()!.slice(2)));
  if (!title) throw new NewsdeskError('bad_input', 'article has no title (no front-matter title and no "# " heading)');

  const images: ArticleImage[] = [];
  const textBlocks: string[] = [];
  for (const block of blocks) {
    const image = IMAGE.exec(block);
    if (image) {
      images.push({ caption: image[1] ?? '', url: image[2], credit: image[3] || undefined });
      continue;
    }
    const unquoted = block.replace(/^>\s?/gm, '').replace(/^[-*+]\s+/gm, '');
    textBlocks.push(squash(plainInline(unquoted)));
  }
  const content = readBodyBlocks(textBlocks);
  if (!content.body.some((block) => block.type === 'paragraph'))
    throw new NewsdeskError('bad_input', 'article has a title but no body');

  const date =
    fields.date instanceof Date
      ? fields.date.toISOString()
      : fields.date === undefined
        ? undefined
        : String(fields.date);
  const published = date ? parseArticleDate(date, options.timeZone) : undefined;
  if (date && !published) throw new NewsdeskError('bad_input', `front matter field date: "${date}" is not a date`);

  const links = findLinks(markdown);
  if (fields.url && !links.some((link) => link.url === fields.url)) links.unshift({ url: fields.url });

  return {
    key: fileArticleKey({ frontMatterId: fields.id, title, published }),
    title,
    author: fields.author?.trim() || undefined,
    published,
    body: content.body,
    images: [...images, ...content.images],
    url: fields.url,
    origin: { kind: 'file', path: options.path },
    publishers: [...(fields.source ?? []), ...content.publishers.filter((name) => !fields.source?.includes(name))],
    links,
    tags: fields.tags ?? [],
  };
}
