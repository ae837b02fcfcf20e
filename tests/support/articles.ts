import type { ArticleDraft } from '../../src/domain/article.js';
import type { ArticleInput } from '../../src/store/ports.js';

let counter = 0;

/** A stored-shape article input, without running the summariser (store tests stay store tests). */
export function makeInput(overrides: Partial<ArticleDraft> & { contentHash?: string } = {}): ArticleInput {
  counter += 1;
  const title = overrides.title ?? `Sample headline number ${counter}`;
  const body = overrides.body ?? [
    { type: 'paragraph' as const, text: `First sentence of story ${counter}. Second sentence about ${title}.` },
  ];
  return {
    key: overrides.key ?? `test:${title}`,
    title,
    author: overrides.author,
    published: overrides.published,
    body,
    images: overrides.images ?? [],
    url: overrides.url,
    origin: overrides.origin ?? { kind: 'file', path: `/articles/${counter}.txt` },
    publishers: overrides.publishers ?? [],
    links: overrides.links ?? [],
    tags: overrides.tags ?? [],
    summary: { sentences: [body[0]?.text ?? ''], method: 'lead' },
    sources: [],
    contentHash: overrides.contentHash ?? `hash-${title}-${JSON.stringify(body).length}`,
  };
}
