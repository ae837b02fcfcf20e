import type { HelpEntry } from '../src/domain/reply.js';
import type { Command } from './command.js';

/**
 * The usage line of a command, e.g. `/news latest [count]`. Without `files`, the options that take
 * a file are left out: a command line that carries typed words only (Slack's) cannot give them.
 */
export function usage(command: Pick<Command, 'name' | 'options'>, { files = true } = {}): string {
  const options = command.options
    .filter((option) => files || option.type !== 'attachment')
    .map((option) => (option.required ? `<${option.name}>` : `[${option.name}]`));
  return ['/news', command.name, ...options].join(' ');
}

function helpEntry(command: Command): HelpEntry {
  const entry: HelpEntry = { usage: usage(command), description: command.description };
  if (command.options.some((option) => option.type === 'attachment'))
    entry.typedUsage = usage(command, { files: false });
  return entry;
}

/** Help lists whatever is in the command list it is given, so it can never go stale. */
export function createHelpCommand(list: () => Command[]): Command {
  return {
    name: 'help',
    description: 'What newsdesk can do',
    options: [],
    async run() {
      return {
        kind: 'help',
        heading: 'newsdesk: news with summaries and sources',
        entries: list().map(helpEntry),
      };
    },
  };
}
