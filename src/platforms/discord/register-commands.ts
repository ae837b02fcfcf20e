import { Routes, type REST } from 'discord.js';
import type { Command } from '../../../commands/command.js';
import type { Logger } from '../../logger.js';
import type { MetaStore } from '../../store/ports.js';
import { buildRegistration, registrationHash, type RegistrationTarget } from './registration.js';

export const COMMANDS_HASH_KEY = 'discord.commands.hash';

export interface RegisterDeps {
  rest: REST;
  applicationId: string;
  guildId?: string;
  commands: readonly Command[];
  meta: MetaStore;
  log: Logger;
}

/**
 * Bulk-overwrite `/news` in the guild (instant) or globally (up to an hour to spread). The call is
 * skipped when the body and target hash to what was registered last time, which keeps restarts
 * from spending the daily command-create budget.
 */
export async function registerCommands(deps: RegisterDeps): Promise<'registered' | 'unchanged'> {
  const body = [buildRegistration(deps.commands)];
  const target: RegistrationTarget = deps.guildId ? { guildId: deps.guildId } : { global: true };
  const hash = registrationHash(deps.applicationId, target, body);
  const stored = await deps.meta.getMeta(COMMANDS_HASH_KEY);
  if (stored === hash) {
    deps.log.debug({ hash, target }, 'discord commands unchanged; registration skipped');
    return 'unchanged';
  }
  const route = deps.guildId
    ? Routes.applicationGuildCommands(deps.applicationId, deps.guildId)
    : Routes.applicationCommands(deps.applicationId);
  await deps.rest.put(route, { body });
  await deps.meta.setMeta(COMMANDS_HASH_KEY, hash);
  deps.log.info({ target, subcommands: body[0]?.options.length }, 'discord commands registered');
  return 'registered';
}
