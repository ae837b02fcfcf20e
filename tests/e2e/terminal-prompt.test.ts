import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seededBotEnv } from '../support/bot-env.js';
import { projectRoot } from '../support/paths.js';
import { pollUntil } from '../support/poll.js';

/**
 * What a person at the terminal sees: the bot runs under `script`, which gives it a real
 * pseudo-terminal for stdin, stdout and stderr, and the bytes it writes are replayed on a minimal
 * screen model (carriage return, line feed, cursor-to-column, erase-in-line) to get the lines left.
 */
function screenLines(bytes: string): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  let column = 0;
  const pattern = /\x1b\[([0-9;?]*)([A-Za-z])|\x1b\][^\x07]*\x07|([\r\n])|([^\x1b\r\n]+)/g;
  for (const match of bytes.matchAll(pattern)) {
    const [, params, command, control, text] = match;
    if (text !== undefined) {
      for (const char of text) line[column++] = char;
    } else if (control === '\r') column = 0;
    else if (control === '\n') {
      lines.push(line.join(''));
      line = [];
      column = 0;
    } else if (command === 'G') column = Math.max(0, Number(params || '1') - 1);
    else if (command === 'K' || command === 'J') {
      if (params === '2') line = [];
      else line = line.slice(0, column);
    }
  }
  lines.push(line.join(''));
  return lines.map((text) => text.replace(/\s+$/, ''));
}

const hasScript = spawnSync('script', ['--version']).status === 0;

describe.skipIf(!hasScript)('the terminal prompt and log lines', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('draws the prompt and the half-typed command again below a warning', async () => {
    const seeded = seededBotEnv();
    let output = '';
    const child = spawn(
      'script',
      ['-qfec', `${process.execPath} ${join(projectRoot, 'bin/run.mjs')} main`, '/dev/null'],
      {
        cwd: seeded.dir,
        // No LOG_LEVEL: at a prompt only warnings are logged, as a new user gets it.
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm', ...seeded.env },
      },
    );
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    cleanup = () => {
      child.kill('SIGKILL');
      seeded.cleanup();
    };
    const waitFor = (predicate: () => boolean, what: string) =>
      pollUntil(predicate, what, { timeoutMs: 30_000, everyMs: 50, detail: () => `\nscreen:\n${output}` });

    await waitFor(() => output.includes('news> '), 'the prompt');
    await waitFor(() => output.includes('new article'), 'the seed posted to the terminal');
    child.stdin.write('/news lat');
    await waitFor(() => output.endsWith('/news lat'), 'the typed text echoed');

    // A file the parser rejects: the watcher warns about it while the command is half typed.
    writeFileSync(join(seeded.env.ARTICLES_DIR!, 'broken.txt'), '');
    await waitFor(() => output.includes('broken.txt'), 'the warning about the bad file');
    await waitFor(() => output.lastIndexOf('/news lat') > output.lastIndexOf('broken.txt'), 'the prompt drawn again');

    const screen = screenLines(output);
    const warning = screen.findIndex((text) => text.includes('broken.txt'));
    expect(screen[warning]).not.toContain('news>');
    expect(screen.slice(warning + 1).some((text) => text === 'news> /news lat')).toBe(true);

    // Finishing the line runs the whole command, typed before and after the warning.
    child.stdin.write('est 1\r');
    await waitFor(() => /Netflix/i.test(output.slice(output.lastIndexOf('est 1'))), 'the answer to /news latest 1');
    child.stdin.write('\x04');
    await exited;
  }, 60_000);
});
