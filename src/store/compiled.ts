import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './connections.js';

// A private-use character cannot come from a query's own constants, so a parameter that starts
// with it is one of ours. No NUL: the PostgreSQL connection strips NUL from parameters.
const MARK = '\uf8ffnewsdesk-parameter:';

export type CompiledRun<Name extends string, Row> = (db: Db, values: Record<Name, unknown>) => Promise<Row[]>;

/**
 * A query built and compiled once, then run with named values. On the ingest path building a
 * Kysely query (and the garbage it leaves) costs several times what SQLite takes to run it.
 * `build` receives `param(name)`, a placeholder that stands for `values[name]` at run time; the
 * query's other parameters are kept as compiled.
 */
export function compileOnce<Name extends string, Row>(
  build: (param: (name: Name) => string) => Compilable<Row>,
): CompiledRun<Name, Row> {
  const compiled: CompiledQuery<Row> = build((name) => `${MARK}${name}`).compile();
  const slots = compiled.parameters.map((value) =>
    typeof value === 'string' && value.startsWith(MARK) ? (value.slice(MARK.length) as Name) : undefined,
  );
  return async (db, values) => {
    const parameters = slots.map((name, at) => (name === undefined ? compiled.parameters[at] : values[name]));
    return (await db.executeQuery<Row>({ ...compiled, parameters })).rows;
  };
}
