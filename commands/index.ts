import type { Command } from './command.js';
import { createHelpCommand } from './help.js';
import { latestCommand } from './latest.js';
import { searchCommand } from './search.js';
import { sourcesCommand } from './sources.js';
import { summaryCommand } from './summary.js';
import { pauseCommand } from './pause.js';
import { resumeCommand } from './resume.js';
import { retryCommand } from './retry.js';
import { statusCommand } from './status.js';
import { subscribeCommand } from './subscribe.js';
import { subscriptionsCommand } from './subscriptions.js';
import { unsubscribeCommand } from './unsubscribe.js';
import { feedsAddCommand } from './feeds-add.js';
import { feedsListCommand } from './feeds-list.js';
import { feedsRemoveCommand } from './feeds-remove.js';
import { feedsExportCommand, feedsImportCommand } from './feeds-opml.js';
import { previewCommand } from './preview.js';

/** The explicit list of /news subcommands. Registration, help and manifests are built from it. */
export const commands: Command[] = [];
commands.push(
  latestCommand as Command,
  summaryCommand as Command,
  sourcesCommand as Command,
  searchCommand as Command,
  subscribeCommand as Command,
  previewCommand as Command,
  unsubscribeCommand,
  subscriptionsCommand,
  pauseCommand,
  resumeCommand,
  statusCommand,
  retryCommand,
  feedsAddCommand as Command,
  feedsListCommand as Command,
  feedsRemoveCommand as Command,
  feedsImportCommand as Command,
  feedsExportCommand as Command,
  createHelpCommand(() => commands),
);

export function findCommand(name: string): Command | undefined {
  return commands.find((command) => command.name === name.toLowerCase());
}
