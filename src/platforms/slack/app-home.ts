import type { App } from '@slack/bolt';
import { subscriptionInSpace, workspaceOverview } from '../../../commands/workspace-overview.js';
import type { Invocation, Invoker } from '../../domain/invocation.js';
import type { Reply } from '../../domain/reply.js';
import { slackSpace } from '../../domain/space.js';
import type { Logger } from '../../logger.js';
import type { Stores } from '../../store/ports.js';
import { HOME_ACTIONS, renderHomeView, type HomeAction, type HomeViewOptions } from './home-view.js';

export interface AppHomeDeps {
  stores: Stores;
  /** The adapter's one rule for Slack managers (SLACK_ADMIN_USER_IDS, else a workspace admin or owner). */
  resolveUser: (id: string, name?: string) => Promise<Invoker>;
  /** The command executor: pause, resume and retry run exactly as `/news pause` does in the channel. */
  execute: (invocation: Invocation) => Promise<Reply>;
  log: Logger;
}

interface ActionBody {
  user?: { id?: string; name?: string; username?: string; team_id?: string };
  team?: { id?: string } | null;
}

const ACTION_PATTERN = new RegExp(`^(${Object.values(HOME_ACTIONS).join('|')})$`);

/**
 * The App Home tab: published on `app_home_opened` (tab `home`) and again after each button press.
 * A press carries only a channel id the client sends back, so the clicker's right to manage and the
 * subscription's workspace are both checked here before the command runs.
 */
export function registerAppHome(app: App, deps: AppHomeDeps): void {
  async function publish(userId: string, team: string, notice?: HomeViewOptions['notice']): Promise<void> {
    try {
      const user = await deps.resolveUser(userId);
      const overview = await workspaceOverview(deps.stores, slackSpace(team));
      const view = renderHomeView(overview, { canManage: user.canManage, ...(notice ? { notice } : {}) });
      await app.client.views.publish({ user_id: userId, view });
    } catch (err) {
      deps.log.warn({ err, user: userId, team }, 'slack home tab could not be published');
    }
  }

  app.event('app_home_opened', async ({ event, body }) => {
    if (event.tab !== 'home') return;
    const team = (body as { team_id?: string }).team_id;
    if (!team) {
      deps.log.warn({ user: event.user }, 'slack app_home_opened without a workspace');
      return;
    }
    await publish(event.user, team);
  });

  app.action(ACTION_PATTERN, async ({ ack, body, action }) => {
    await ack();
    const payload = body as ActionBody;
    const userId = payload.user?.id;
    const team = payload.team?.id ?? payload.user?.team_id;
    const channel = action.type === 'button' ? (action.value ?? '') : '';
    const sub = (Object.keys(HOME_ACTIONS) as HomeAction[]).find(
      (key) => HOME_ACTIONS[key] === (action as { action_id?: string }).action_id,
    );
    if (!userId || !team || !sub) {
      deps.log.warn({ user: userId, team }, 'slack home button without a user, workspace or action');
      return;
    }
    const notice = await press(sub, userId, team, channel);
    await publish(userId, team, notice);
  });

  async function press(
    sub: HomeAction,
    userId: string,
    team: string,
    channel: string,
  ): Promise<NonNullable<HomeViewOptions['notice']>> {
    const space = slackSpace(team);
    const user = await deps.resolveUser(userId);
    const shown = channel.slice(0, 40);
    if (!user.canManage) {
      deps.log.warn({ user: userId, team, channel: shown, sub }, 'slack home button refused: not a manager');
      return { tone: 'error', text: `Only workspace admins and owners may ${sub} a subscription. Nothing changed.` };
    }
    const subscription = await subscriptionInSpace(deps.stores, channel, space);
    if (!subscription) {
      deps.log.warn({ user: userId, team, channel: shown, sub }, 'slack home button refused: not this workspace');
      return { tone: 'error', text: 'That subscription is not one of this workspace. Nothing changed.' };
    }
    const reply = await deps.execute({ command: 'news', sub, args: {}, user, channel: subscription.channel, space });
    deps.log.info({ user: userId, team, channel: subscription.channel, sub }, 'slack home button ran');
    const text = reply.kind === 'text' ? reply.text : 'Done.';
    const tone = reply.kind === 'text' ? reply.tone : 'info';
    return { tone, text: `${subscription.channel}: ${text}` };
  }
}
