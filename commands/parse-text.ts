import type { Command } from './command.js';

/**
 * A typed command line (`/news latest 3`, `search netflix ai`, `feeds add https://…`) → the
 * subcommand and its arguments by option name. Words fill options in order; an option marked
 * `rest` takes the remainder of the line. Unknown subcommands come back with no arguments.
 */
export function parseCommandText(text: string, list: Command[]): { sub: string; args: Record<string, string> } {
  const words = text.trim().replace(/^\/?news\b/i, '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { sub: 'help', args: {} };
  const two = words.slice(0, 2).join(' ').toLowerCase();
  const command = list.find((candidate) => candidate.name === two) ?? list.find((candidate) => candidate.name === words[0]!.toLowerCase());
  if (!command) return { sub: words[0]!.toLowerCase(), args: {} };
  const rest = words.slice(command.name.split(' ').length);
  const args: Record<string, string> = {};
  command.options.forEach((option, index) => {
    if (index >= rest.length) return;
    args[option.name] = option.rest || index === command.options.length - 1 ? rest.slice(index).join(' ') : rest[index]!;
  });
  return { sub: command.name, args };
}
