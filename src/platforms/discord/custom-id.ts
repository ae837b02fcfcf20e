import type { ArticleAction } from '../../domain/reply.js';

/** Discord rejects a component whose custom_id is longer than this. */
export const CUSTOM_ID_MAX = 100;

const PREFIX = 'news';
const ACTIONS: readonly ArticleAction[] = ['summary', 'sources'];

/** `news:summary:<id>`; undefined when the id would not fit (it then gets no button). */
export function encodeCustomId(action: ArticleAction, articleId: string): string | undefined {
  const id = `${PREFIX}:${action}:${articleId}`;
  return id.length <= CUSTOM_ID_MAX ? id : undefined;
}

export function decodeCustomId(customId: string): { action: ArticleAction; articleId: string } | undefined {
  const [prefix, action, ...rest] = customId.split(':');
  const articleId = rest.join(':');
  if (prefix !== PREFIX || articleId.length === 0) return undefined;
  const known = ACTIONS.find((candidate) => candidate === action);
  return known ? { action: known, articleId } : undefined;
}
