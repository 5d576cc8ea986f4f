import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// claude's first-run screens answered ahead of time, in a config folder of the run's own
// (CLAUDE_CONFIG_DIR), found by running claude 2.1.332: the onboarding, the theme, the trust
// question for the project folder, the "use this API key?" question (claude keeps the key's last
// 20 characters in `customApiKeyResponses.approved`) and the bypass-permissions consent that
// wg's `--dangerously-skip-permissions` would ask for. The user's own ~/.claude is never touched.
//
// The renderer is pinned to claude's classic one (`"tui": "default"`, drawn on the main screen):
// a fresh install of 2.1.332 picks the fullscreen renderer, which draws on the alternate screen
// and keeps its history inside claude (virtualized), so a reply taller than wg's pane would leave
// no scrollback for the judge to read. The classic renderer writes each finished message into
// the terminal's scrollback, where wg's pane dump and tmux keep every row.

/** claude's own settings for the run (its settings.json in the private config folder). */
export const CLAUDE_SETTINGS = { tui: 'default' } as const;

export async function writeClaudeConfig(configDir: string, projectDir: string, apiKey: string): Promise<void> {
  const state = {
    hasCompletedOnboarding: true,
    theme: 'dark',
    bypassPermissionsModeAccepted: true,
    customApiKeyResponses: { approved: [apiKey.slice(-20)], rejected: [] },
    projects: { [projectDir]: { hasTrustDialogAccepted: true, hasCompletedProjectOnboarding: true } },
  };
  await writeFile(join(configDir, '.claude.json'), `${JSON.stringify(state, null, 2)}\n`);
  await writeFile(join(configDir, 'settings.json'), `${JSON.stringify(CLAUDE_SETTINGS, null, 2)}\n`);
}
