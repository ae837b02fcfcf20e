import type { Command } from './command.js';

/** Words, keeping "quoted phrases" together (quotes removed) and `name="a b"` as one word. */
function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(/(?:[^\s"]+)?"[^"]*"\S*|\S+/g)) tokens.push(match[0]);
  return tokens;
}

const unquote = (token: string) => token.replace(/^"(.*)"$/, '$1');

/**
 * A typed command line (`/news latest 3`, `search netflix ai`, `subscribe schedule="0 9 * * *" digest=5`)
 * → the subcommand and its arguments by option name. `name=value` sets an option by name; other
 * words fill the remaining options in order, and an option marked `rest` (or the last one) takes
 * the remainder of the line. Unknown subcommands come back with no arguments.
 */
export function parseCommandText(text: string, list: Command[]): { sub: string; args: Record<string, string> } {
  const words = tokenize(
    text
      .trim()
      .replace(/^\/?news\b/i, '')
      .trim(),
  );
  if (words.length === 0) return { sub: 'help', args: {} };
  const two = words.slice(0, 2).join(' ').toLowerCase();
  const command =
    list.find((candidate) => candidate.name === two) ??
    list.find((candidate) => candidate.name === words[0]!.toLowerCase());
  if (!command) return { sub: words[0]!.toLowerCase(), args: {} };
  // An attachment is a file, never words on the line.
  const typed = command.options.filter((option) => option.type !== 'attachment');
  const args: Record<string, string> = {};
  const positional: string[] = [];
  for (const word of words.slice(command.name.split(' ').length)) {
    const named = /^([a-z][a-z-]*)=(.*)$/i.exec(word);
    const option = named ? typed.find((candidate) => candidate.name === named[1]!.toLowerCase()) : undefined;
    if (named && option) args[option.name] = unquote(named[2]!);
    else positional.push(word);
  }
  const open = typed.filter((option) => args[option.name] === undefined);
  open.forEach((option, index) => {
    if (index >= positional.length) return;
    const takesRest = option.rest || index === open.length - 1;
    args[option.name] = takesRest ? positional.slice(index).join(' ') : unquote(positional[index]!);
  });
  return { sub: command.name, args };
}
