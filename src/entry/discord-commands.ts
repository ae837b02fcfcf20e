import { commands } from '../../commands/index.js';
import { buildRegistration } from '../platforms/discord/registration.js';

/**
 * `npm run -s discord:commands`: prints the body the bot PUTs to Discord on start-up (the same
 * buildRegistration call), so an operator can inspect it or deploy it by hand, as the discord.js
 * guide's deploy step does. Needs no token and makes no request.
 */
function main(): number {
  try {
    process.stdout.write(`${JSON.stringify([buildRegistration(commands)], null, 2)}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`discord:commands: ${(err as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main();
