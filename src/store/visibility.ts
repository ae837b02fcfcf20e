import { type RawBuilder, sql } from 'kysely';
import { OPERATOR_SPACE } from '../domain/space.js';

/**
 * The articles a space may see, as a condition on the articles row aliased `alias`: article files,
 * and articles of feeds the operator or the space links. Without a viewer (internal callers) all.
 */
export function visibleTo(viewer: string | undefined, alias = 'articles'): RawBuilder<boolean> {
  if (viewer === undefined) return sql<boolean>`1 = 1`;
  const path = sql.ref(`${alias}.origin_path`);
  const feedUrl = sql.ref(`${alias}.feed_url`);
  return sql<boolean>`(${path} IS NOT NULL OR EXISTS (SELECT 1 FROM feed_links vl JOIN feeds vf ON vf.id = vl.feed_id
    WHERE vf.url = ${feedUrl} AND vl.space IN (${OPERATOR_SPACE}, ${viewer})))`;
}
