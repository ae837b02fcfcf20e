import type { Command } from './command.js';

/** The usage line of a command, e.g. `/news latest [count]`. */
export function usage(command: Pick<Command, 'name' | 'options'>): string {
  const options = command.options.map((option) => (option.required ? `<${option.name}>` : `[${option.name}]`));
  return ['/news', command.name, ...options].join(' ');
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
        entries: list().map((command) => ({ usage: usage(command), description: command.description })),
      };
    },
  };
}
