import { postReply } from '../src/domain/cards.js';
import { NewsdeskError } from '../src/domain/errors.js';
import { parseStyle, presentationOf, templateParts } from '../src/domain/presentation.js';
import type { Command } from './command.js';
import { spaceOf } from './space-scope.js';

/**
 * The newest article as this channel would get it: the subscription's look, with `template` and `style`
 * tried out on top without saving. Ephemeral, and with the mentions left out: a preview pings nobody.
 */
export const previewCommand: Command<{ template?: string; style?: string }> = {
  name: 'preview',
  description: 'Show the newest article as this channel would get it (try a template or style first)',
  options: [
    { name: 'template', description: 'A template to try, e.g. "{title} {url}"', type: 'string', required: false },
    { name: 'style', description: 'card, compact or text', type: 'string', required: false },
  ],
  async run(ctx, args) {
    const [article] = await ctx.stores.articles.latest(1, spaceOf(ctx));
    if (!article) throw new NewsdeskError('not_found', 'No articles yet, so there is nothing to preview.');
    const subscription = await ctx.stores.subscriptions.getSubscription(ctx.channel);
    const stored = presentationOf(subscription?.presentation);
    if (args.template !== undefined) templateParts(args.template);
    const presentation = {
      ...stored,
      ...(args.template !== undefined ? { template: args.template } : {}),
      ...(args.style !== undefined ? { style: parseStyle(args.style) } : {}),
      mentions: [],
    };
    const reply = postReply(article, { presentation, timezone: subscription?.timezone });
    return { ...reply, ephemeral: true };
  },
};
