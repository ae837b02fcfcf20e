import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { buildRegistration } from '../../src/platforms/discord/registration.js';

const projectRoot = join(import.meta.dirname, '..', '..');

describe('npm run -s discord:commands', () => {
  it('prints exactly the body the bot registers, with the new subcommand and options', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/run.mjs', 'discord-commands'], {
      cwd: projectRoot,
    });
    const printed = JSON.parse(stdout) as ReturnType<typeof buildRegistration>[];
    expect(printed).toEqual([buildRegistration(commands)]);
    const subs = printed[0]!.options;
    expect(subs.map((option) => option.name)).toContain('preview');
    const subscribe = subs.find((option) => option.name === 'subscribe')!;
    const names = subscribe.options!.map((option) => option.name);
    for (const name of ['schedule', 'template', 'style', 'image', 'mention', 'thread', 'reset'])
      expect(names).toContain(name);
    expect(subscribe.options!.find((option) => option.name === 'timezone')?.autocomplete).toBe(true);
  }, 30_000);
});
