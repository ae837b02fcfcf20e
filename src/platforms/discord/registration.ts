import { createHash } from 'node:crypto';
import type { Command, OptionSpec } from '../../../commands/command.js';
import { NewsdeskError } from '../../domain/errors.js';
import { LIMITS } from './limits.js';

/** Application command option types used here (https://discord.com/developers/docs/interactions/application-commands). */
const OPTION_TYPE = { subcommand: 1, subcommandGroup: 2, string: 3, integer: 4, attachment: 11 } as const;

export interface RegisteredOption {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  autocomplete?: boolean;
  min_value?: number;
  max_value?: number;
  options?: RegisteredOption[];
}

/** The body of one chat-input command for `PUT /applications/{id}/commands`. */
export interface RegisteredCommand {
  type: 1;
  name: string;
  description: string;
  /** 0 = guild: `/news` posts and subscriptions belong to server channels. */
  contexts: number[];
  options: RegisteredOption[];
}

/** Discord's rule for command and option names (lower case for chat-input commands). */
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkName(name: string, where: string): string {
  if (!NAME.test(name) || name !== name.toLowerCase()) {
    throw new NewsdeskError('internal', `"${name}" is not a valid Discord ${where} name`, { name, where });
  }
  return name;
}

function describe(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim() || '-';
  return clean.length <= LIMITS.commandDescription ? clean : `${clean.slice(0, LIMITS.commandDescription - 1)}…`;
}

export function registeredOption(spec: OptionSpec): RegisteredOption {
  const option: RegisteredOption = {
    type: OPTION_TYPE[spec.type],
    name: checkName(spec.name, 'option'),
    description: describe(spec.description),
    required: spec.required,
  };
  if (spec.autocomplete) option.autocomplete = true;
  if (spec.type === 'integer') {
    if (spec.min !== undefined) option.min_value = spec.min;
    if (spec.max !== undefined) option.max_value = spec.max;
  }
  return option;
}

function subcommand(name: string, command: Command): RegisteredOption {
  // Discord refuses a required option after an optional one; keep the given order otherwise.
  const specs = [...command.options.filter((o) => o.required), ...command.options.filter((o) => !o.required)];
  if (specs.length > LIMITS.optionsPerCommand) {
    throw new NewsdeskError('internal', `${command.name} has more than ${LIMITS.optionsPerCommand} options`);
  }
  return {
    type: OPTION_TYPE.subcommand,
    name: checkName(name, 'subcommand'),
    description: describe(command.description),
    options: specs.map(registeredOption),
  };
}

/**
 * One chat-input command `news` with a subcommand per Command; `feeds add` becomes subcommand
 * `add` inside group `feeds`. `default_member_permissions` stays unset because reading news is
 * for everyone; managing commands check `canManage` when they run.
 */
export function buildRegistration(commands: readonly Command[], description = 'News from newsdesk'): RegisteredCommand {
  const options: RegisteredOption[] = [];
  const groups = new Map<string, RegisteredOption>();
  for (const command of commands) {
    const parts = command.name.trim().split(/\s+/);
    if (parts.length === 1 && parts[0]) {
      options.push(subcommand(parts[0], command));
    } else if (parts.length === 2 && parts[0] && parts[1]) {
      let group = groups.get(parts[0]);
      if (!group) {
        group = {
          type: OPTION_TYPE.subcommandGroup,
          name: checkName(parts[0], 'subcommand group'),
          description: '',
          options: [],
        };
        groups.set(parts[0], group);
        options.push(group);
      }
      group.options?.push(subcommand(parts[1], command));
    } else {
      throw new NewsdeskError('internal', `command name "${command.name}" must have one or two words`);
    }
  }
  for (const [name, group] of groups) {
    const subs = (group.options ?? []).map((option) => option.name).join(', ');
    group.description = describe(`${name[0]?.toUpperCase() ?? ''}${name.slice(1)}: ${subs}`);
  }
  if (options.length > LIMITS.optionsPerCommand) {
    throw new NewsdeskError('internal', `/news has more than ${LIMITS.optionsPerCommand} subcommands and groups`);
  }
  return { type: 1, name: 'news', description: describe(description), contexts: [0], options };
}

/** Where commands go: one guild (instant) or global. */
export type RegistrationTarget = { guildId: string } | { global: true };

/** The hash stored in meta; it covers the target too, so moving from a guild to global re-registers. */
export function registrationHash(applicationId: string, target: RegistrationTarget, body: RegisteredCommand[]): string {
  const where = 'guildId' in target ? `guild:${target.guildId}` : 'global';
  return createHash('sha256').update(JSON.stringify({ applicationId, where, body })).digest('hex');
}

/** Find the Command behind a subcommand (and group) name. */
export function findCommand(commands: readonly Command[], group: string | null, sub: string): Command | undefined {
  const name = group ? `${group} ${sub}` : sub;
  return commands.find((command) => command.name.trim().split(/\s+/).join(' ') === name);
}
