import type { Command } from './command.js';
import { createHelpCommand } from './help.js';
import { latestCommand } from './latest.js';
import { searchCommand } from './search.js';
import { sourcesCommand } from './sources.js';
import { summaryCommand } from './summary.js';

/** The explicit list of /news subcommands. Registration, help and manifests are built from it. */
export const commands: Command[] = [];
commands.push(
  latestCommand as Command,
  summaryCommand as Command,
  sourcesCommand as Command,
  searchCommand as Command,
  createHelpCommand(() => commands),
);

export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.name === name.toLowerCase());
}
