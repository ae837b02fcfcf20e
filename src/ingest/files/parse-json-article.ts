import { z } from 'zod';
import type { ArticleDraft, BodyBlock } from '../../domain/article.js';
import { NewsdeskError } from '../../domain/errors.js';
import { fileArticleKey } from '../../domain/article-key.js';
import { parseArticleDate } from './dates.js';
import { squash } from './decode-text.js';
import { findLinks } from './links.js';

const blockSchema = z.union([
  z.string().transform((text): BodyBlock => ({ type: 'paragraph', text })),
  z.object({ type: z.enum(['paragraph', 'heading']), text: z.string() }),
]);

/** The Article schema as a file may write it: body as text, a list of paragraphs, or blocks. */
const jsonArticleSchema = z.object({
  id: z.coerce.string().optional(),
  title: z.string().trim().min(1, 'must not be empty'),
  author: z.string().optional(),
  published: z.string().optional(),
  url: z.url().optional(),
  body: z.union([
    z.string().transform((text) => text.split(/\n\s*\n/).map((part): BodyBlock => ({ type: 'paragraph', text: part }))),
    z.array(blockSchema),
  ]),
  images: z
    .array(z.object({ caption: z.string(), credit: z.string().optional(), url: z.string().optional() }))
    .default([]),
  sources: z.union([z.string().transform((name) => [name]), z.array(z.string())]).default([]),
  tags: z.array(z.string()).default([]),
});

export function parseJsonArticle(text: string, options: { path: string; timeZone: string }): ArticleDraft {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new NewsdeskError('bad_input', `not valid JSON: ${(err as Error).message}`);
  }
  const parsed = jsonArticleSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'article';
    throw new NewsdeskError(
      'bad_input',
      field === 'title' && issue?.code === 'invalid_type'
        ? 'article has no title'
        : `field ${field}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const article = parsed.data;
  const body = article.body
    .map((block) => ({ ...block, text: squash(block.text) }))
    .filter((block) => block.text.length > 0);
  if (!body.some((block) => block.type === 'paragraph'))
    throw new NewsdeskError('bad_input', 'article has a title but no body');
  const published = article.published ? parseArticleDate(article.published, options.timeZone) : undefined;
  if (article.published && !published)
    throw new NewsdeskError('bad_input', `field published: "${article.published}" is not a date`);
  const links = findLinks(body.map((block) => block.text).join('\n'));
  if (article.url && !links.some((link) => link.url === article.url)) links.unshift({ url: article.url });

  return {
    key: fileArticleKey({ frontMatterId: article.id, title: article.title, published }),
    title: squash(article.title),
    author: article.author?.trim() || undefined,
    published,
    body,
    images: article.images,
    url: article.url,
    origin: { kind: 'file', path: options.path },
    publishers: article.sources,
    links,
    tags: article.tags,
  };
}
