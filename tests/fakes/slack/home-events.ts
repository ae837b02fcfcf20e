/** The Events API envelope Slack sends when someone opens the app's Home tab (JSON, signed like the rest). */
export function homeOpenedBody(fields: { userId: string; teamId: string; tab?: 'home' | 'messages' }): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: fields.teamId,
    api_app_id: 'A111',
    event: {
      type: 'app_home_opened',
      user: fields.userId,
      channel: 'D111',
      tab: fields.tab ?? 'home',
      event_ts: `${Math.floor(Date.now() / 1000)}.000100`,
    },
    type: 'event_callback',
    event_id: `Ev${Math.random().toString(36).slice(2, 12).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: fields.teamId, user_id: 'UBOT', is_bot: true }],
  });
}

/**
 * A button press on a Home tab view: `block_actions` with a `view` container, no channel and no
 * response_url, and the workspace in `user.team_id` and `team.id`, as Slack sends it.
 */
export function homeActionBody(fields: { userId: string; teamId: string; actionId: string; value: string }): string {
  const payload = {
    type: 'block_actions',
    user: { id: fields.userId, username: 'someone', name: 'someone', team_id: fields.teamId },
    api_app_id: 'A111',
    token: 'legacy-verification-token',
    container: { type: 'view', view_id: 'V111' },
    trigger_id: '111.222.home',
    team: { id: fields.teamId, domain: 'fake' },
    view: { id: 'V111', team_id: fields.teamId, type: 'home', blocks: [], private_metadata: '', hash: '1.2' },
    actions: [
      {
        action_id: fields.actionId,
        block_id: 'home1',
        text: { type: 'plain_text', text: 'Button', emoji: true },
        value: fields.value,
        type: 'button',
        action_ts: `${Math.floor(Date.now() / 1000)}.000200`,
      },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
