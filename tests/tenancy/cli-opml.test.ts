import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBot } from '../support/bot-process.js';
import { tempDir } from '../support/paths.js';

const OPML = `<?xml version="1.0"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="Folder"><outline type="rss" text="One &amp; only" xmlUrl="http://127.0.0.1:9/one.xml?token=abc"/></outline>
  <outline type="rss" url="http://localhost:9/atom.xml"/>
  <outline type="rss" text="Inward" xmlUrl="ftp://127.0.0.1/feed"/>
</body></opml>`;

describe('one-shot CLI: feeds import <file> and feeds export, per space', () => {
  it('imports into one space, exports it, and leaves the other spaces empty', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, 'list.opml');
      writeFileSync(file, OPML);
      mkdirSync(join(dir, 'articles'));
      const env = {
        DATABASE_URL: `sqlite:${join(dir, 'news.db')}`,
        ARTICLES_DIR: join(dir, 'articles'),
        LOG_LEVEL: 'error',
        FEED_ALLOW_PRIVATE: 'true',
      };
      // No network here: loopback URLs (allowed by FEED_ALLOW_PRIVATE) stand in for feeds; nothing is fetched to pass.
      const imported = await runBot('cli', ['feeds', 'import', file, '--space', 'slack:team:T1'], env);
      expect(imported.code).toBe(0);
      expect(imported.stdout).toMatch(/Added 2, already here 0, refused 1\./);
      expect(imported.stdout).toMatch(/! Inward: not an http\(s\) URL: ftp:\/\/127\.0\.0\.1\/feed/);
      const exported = await runBot('cli', ['feeds', 'export', '--space', 'slack:team:T1'], env);
      expect(exported.code).toBe(0);
      expect(exported.stdout).toContain('xmlUrl="http://127.0.0.1:9/one.xml?token=abc"');
      expect(exported.stdout).toContain('xmlUrl="http://localhost:9/atom.xml"');
      expect(exported.stdout.startsWith('<?xml')).toBe(true);
      const operator = await runBot('cli', ['feeds', 'export'], env);
      expect(operator.stdout).not.toContain('one.xml');
      const other = await runBot('cli', ['feeds', 'list', '--space', 'discord:guild:G2'], env);
      expect(other.stdout).toMatch(/No feeds yet/);
      const badSpace = await runBot('cli', ['feeds', 'export', '--space', 'guild 7'], env);
      expect(badSpace.code).toBe(1);
      expect(badSpace.stderr).toMatch(
        /^newsdesk: "guild 7" is not a space: use operator, discord:guild:<id> or slack:team:<id>$/m,
      );
    } finally {
      cleanup();
    }
  }, 60_000);
});
