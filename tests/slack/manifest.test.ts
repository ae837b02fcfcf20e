import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Command } from '../../commands/command.js';
import { commands } from '../../commands/index.js';
import { buildSlackManifest } from '../../src/platforms/slack/manifest.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('Slack app manifest', () => {
  it('HTTP mode: /news with a usage hint from the command list, request URLs on /slack/events, interactivity on', () => {
    const manifest = buildSlackManifest({ commands, baseUrl: 'https://news.example.com/', socketMode: false });
    const slash = manifest.features?.slash_commands?.[0];
    expect(slash).toMatchObject({
      command: '/news',
      url: 'https://news.example.com/slack/events',
      should_escape: false,
    });
    for (const command of commands) expect(slash?.usage_hint).toContain(command.name);
    expect(slash?.usage_hint).toContain('summary <id>');
    // A slash command carries no file: the import's file arrives as a shared file instead.
    expect(slash?.usage_hint).toContain('feeds import [url] [document]');
    expect(slash?.usage_hint).not.toContain('[file]');
    expect(manifest.settings).toMatchObject({
      interactivity: { is_enabled: true, request_url: 'https://news.example.com/slack/events' },
      socket_mode_enabled: false,
    });
  });

  it('enables the Home tab and subscribes to app_home_opened, on the events URL in HTTP mode', () => {
    const http = buildSlackManifest({ commands, baseUrl: 'https://news.example.com', socketMode: false });
    expect(http.features?.app_home).toMatchObject({ home_tab_enabled: true });
    expect(http.settings?.event_subscriptions).toEqual({
      bot_events: ['app_home_opened', 'message.im', 'app_mention'],
      request_url: 'https://news.example.com/slack/events',
    });
    const socket = buildSlackManifest({ commands, socketMode: true });
    expect(socket.settings?.event_subscriptions).toEqual({
      bot_events: ['app_home_opened', 'message.im', 'app_mention'],
    });
  });

  it('asks for the scopes of every Web API method the adapter calls', () => {
    const scopes = buildSlackManifest({ commands, socketMode: true }).oauth_config?.scopes?.bot ?? [];
    // chat.postMessage / chat.update, the slash command, users.info, conversations.history (findPosted)
    expect(scopes).toEqual(expect.arrayContaining(['chat:write', 'commands', 'users:read', 'channels:history']));
  });

  it('OPML files: upload and read scopes, the DM and mention events on the request URL, the Messages tab', () => {
    const manifest = buildSlackManifest({ commands, baseUrl: 'https://news.example.com', socketMode: false });
    expect(manifest.oauth_config?.scopes?.bot).toEqual(
      expect.arrayContaining(['files:write', 'im:write', 'files:read', 'im:history', 'app_mentions:read']),
    );
    expect(manifest.settings?.event_subscriptions).toEqual({
      bot_events: ['app_home_opened', 'message.im', 'app_mention'],
      request_url: 'https://news.example.com/slack/events',
    });
    expect(manifest.features?.app_home).toMatchObject({ messages_tab_enabled: true });
  });

  it('Socket Mode: no request URLs anywhere, socket_mode_enabled', () => {
    const manifest = buildSlackManifest({ commands, socketMode: true });
    expect(JSON.stringify(manifest)).not.toContain('request_url');
    expect(manifest.features?.slash_commands?.[0]?.url).toBeUndefined();
    expect(manifest.settings).toMatchObject({ interactivity: { is_enabled: true }, socket_mode_enabled: true });
  });

  it('a new command appears in the usage hint without touching the manifest code', () => {
    const extra: Command = {
      name: 'subscribe',
      description: 'Post new articles here',
      options: [],
      managesChannel: true,
      run: async () => ({ kind: 'text', tone: 'info', text: '' }),
    };
    const manifest = buildSlackManifest({ commands: [...commands, extra], socketMode: true });
    expect(manifest.features?.slash_commands?.[0]?.usage_hint).toContain('subscribe');
  });

  it('refuses HTTP mode without an https URL', () => {
    expect(() => buildSlackManifest({ commands, socketMode: false })).toThrow(/https base URL is required/);
    expect(() => buildSlackManifest({ commands, baseUrl: 'http://news.example.com', socketMode: false })).toThrow(
      /https/,
    );
  });

  it('npm run slack:manifest -- --socket prints the manifest as JSON', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/run.mjs', 'slack-manifest', '--socket'], {
      cwd: projectRoot,
    });
    expect(JSON.parse(stdout)).toMatchObject({
      settings: { socket_mode_enabled: true },
      features: { slash_commands: [{ command: '/news' }] },
    });
  });
});
