import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/**
 * PostgreSQL for tests. With NEWSDESK_TEST_POSTGRES_URL set, tests use that server (an admin URL:
 * it must allow CREATE SCHEMA; `off` skips PostgreSQL). Otherwise each test file starts its own throwaway cluster from the
 * installed binaries: initdb in a temp dir, 127.0.0.1 on a free port, the socket in the temp dir,
 * fsync off. Every test then works in a fresh schema, so files and tests never see each other's rows.
 */

const run = promisify(execFile);

export type PostgresPlan =
  | { kind: 'external'; url: string }
  | { kind: 'own'; bin: string }
  | { kind: 'none'; reason: string };

/** The folder holding initdb, pg_ctl and postgres: on PATH, or Debian's /usr/lib/postgresql/<n>/bin. */
export function findPostgresBin(): string | undefined {
  const hasAll = (dir: string) => ['initdb', 'pg_ctl', 'postgres'].every((name) => existsSync(join(dir, name)));
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && hasAll(dir)) return dir;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  return versions.map((version) => join(root, version, 'bin')).find(hasAll);
}

function userExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What the tests can use here; decided without starting anything, so suites can skip at collection. */
export function postgresPlan(options: { own?: boolean } = {}): PostgresPlan {
  const url = process.env.NEWSDESK_TEST_POSTGRES_URL;
  if (url === 'off') return { kind: 'none', reason: 'NEWSDESK_TEST_POSTGRES_URL=off' };
  if (url && !options.own) return { kind: 'external', url };
  const bin = findPostgresBin();
  if (bin && process.getuid?.() === 0 && !userExists('postgres'))
    return { kind: 'none', reason: 'running as root and there is no postgres user to run the server as' };
  if (bin) return { kind: 'own', bin };
  return {
    kind: 'none',
    reason: 'no PostgreSQL binaries (apt-get install postgresql) and NEWSDESK_TEST_POSTGRES_URL is unset',
  };
}

/**
 * The plan for a test file, announcing a skip on the console. With NEWSDESK_REQUIRE_POSTGRES=1
 * (CI, once it installs PostgreSQL) a missing server fails the run instead of skipping quietly.
 */
export function postgresPlanFor(suite: string, options: { own?: boolean } = {}): PostgresPlan {
  const plan = postgresPlan(options);
  if (plan.kind !== 'none') return plan;
  if (process.env.NEWSDESK_REQUIRE_POSTGRES === '1')
    throw new Error(`${suite}: PostgreSQL is required (NEWSDESK_REQUIRE_POSTGRES=1) but ${plan.reason}`);
  console.warn(`${suite} skipped: ${plan.reason}`);
  return plan;
}

export interface TestPostgres {
  /** Connection URL with user and password. */
  url: string;
  /** A new empty schema name; open stores with `{ schema }` to work only there. */
  freshSchema(): Promise<string>;
  /** Only for a cluster this process started. */
  restart?(): Promise<void>;
  stop?(): Promise<void>;
  start?(): Promise<void>;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function schemaHelper(url: string): { freshSchema(): Promise<string>; dropAll(): Promise<void> } {
  const created: string[] = [];
  const admin = async <T>(work: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  return {
    async freshSchema() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      await admin((client) => client.query(`CREATE SCHEMA ${schema}`));
      created.push(schema);
      return schema;
    },
    async dropAll() {
      if (created.length === 0) return;
      await admin((client) => client.query(`DROP SCHEMA IF EXISTS ${created.join(', ')} CASCADE`)).catch(
        () => undefined,
      );
    },
  };
}

async function startOwnCluster(bin: string): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'newsdesk-pg-'));
  // initdb and postgres refuse to run as root; CI runs as root, so the server runs as the postgres user.
  const asRoot = process.getuid?.() === 0;
  const runAs = asRoot ? 'postgres' : undefined;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser'].find((path) => existsSync(path)) ?? 'runuser';
  const tool = (name: string, args: string[]) =>
    runAs ? run(runuser, ['-u', runAs, '--', join(bin, name), ...args]) : run(join(bin, name), args);
  const password = randomBytes(12).toString('hex');
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  let port = 0;
  const serverOptions = () =>
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60`;
  const start = async () => {
    await tool('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', '-o', serverOptions(), 'start']);
  };
  const stopNow = () => {
    const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
    try {
      execFileSync(
        runAs ? runuser : join(bin, 'pg_ctl'),
        runAs ? ['-u', runAs, '--', join(bin, 'pg_ctl'), ...args] : args,
        { stdio: 'ignore' },
      );
    } catch {
      // not running
    }
  };
  // A test file that dies before afterAll must not leave a server or its files behind.
  const onExit = () => {
    stopNow();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  try {
    writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
    await tool('initdb', [
      '-D',
      data,
      '-U',
      'newsdesk',
      `--pwfile=${pwfile}`,
      '-A',
      'scram-sha-256',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
    // A port found free can be taken before the server binds it; then try another.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await start();
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
  } catch (err) {
    const log = existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8').slice(-2_000) : '';
    process.removeListener('exit', onExit);
    onExit();
    throw new Error(`could not start a test PostgreSQL from ${bin}: ${(err as Error).message}\n${log}`, { cause: err });
  }
  const url = `postgres://newsdesk:${password}@127.0.0.1:${port}/postgres`;
  const schemas = schemaHelper(url);
  return {
    url,
    freshSchema: () => schemas.freshSchema(),
    async restart() {
      await tool('pg_ctl', [
        '-D',
        data,
        '-l',
        join(dir, 'log'),
        '-w',
        '-t',
        '60',
        '-m',
        'fast',
        '-o',
        serverOptions(),
        'restart',
      ]);
    },
    async stop() {
      await tool('pg_ctl', ['-D', data, '-w', '-m', 'fast', 'stop']);
    },
    async start() {
      await start();
    },
    async close() {
      process.removeListener('exit', onExit);
      onExit();
    },
  };
}

/** Start (or attach to) PostgreSQL according to `postgresPlan`. */
export async function startTestPostgres(options: { own?: boolean } = {}): Promise<TestPostgres> {
  const plan = postgresPlan(options);
  if (plan.kind === 'none') throw new Error(plan.reason);
  if (plan.kind === 'own') return startOwnCluster(plan.bin);
  const schemas = schemaHelper(plan.url);
  return { url: plan.url, freshSchema: () => schemas.freshSchema(), close: () => schemas.dropAll() };
}
