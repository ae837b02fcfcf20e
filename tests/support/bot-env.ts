import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { seedPath, tempDir } from './paths.js';

/** A temp folder with `articles/` holding the seed, and the environment that points the bot at it. */
export function seededBotEnv(databaseName = 'bot.db'): {
  dir: string;
  env: Record<string, string>;
  cleanup: () => void;
} {
  const { dir, cleanup } = tempDir();
  mkdirSync(join(dir, 'articles'));
  copyFileSync(seedPath, join(dir, 'articles', 'seed.txt'));
  return {
    dir,
    cleanup,
    env: { ARTICLES_DIR: join(dir, 'articles'), DATABASE_URL: `sqlite:${join(dir, 'data', databaseName)}`, PORT: '0' },
  };
}
