import type { Command } from './command.js';
import { createHelpCommand } from './help.js';
import { latestCommand } from './latest.js';
import { searchCommand } from './search.js';
import { sourcesCommand } from './sources.js';
import { summaryCommand } from './summary.js';
import { pauseCommand } from './pause.js';
import { resumeCommand } from './resume.js';
import { statusCommand } from './status.js';
import { subscribeCommand } from './subscribe.js';
import { subscriptionsCommand } from './subscriptions.js';
import { unsubscribeCommand } from './unsubscribe.js';

/** The explicit list of /news subcommands. Registration, help and manifests are built from it. */
export const commands: Command[] = [];
commands.push(
  latestCommand as Command,
  summaryCommand as Command,
  sourcesCommand as Command,
  searchCommand as Command,
  subscribeCommand as Command,
  unsubscribeCommand,
  subscriptionsCommand,
  pauseCommand,
  resumeCommand,
  statusCommand,
  createHelpCommand(() => commands),
);

export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.name === name.toLowerCase());
}
