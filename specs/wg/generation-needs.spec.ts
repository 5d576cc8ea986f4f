import { describe, expect, it } from 'vitest';
import { GENERATIONS } from '../../src/wg/generations/index.js';

// What a chat needs besides wg, per generation: where the chat is Pi, a machine without `pi` is a
// loud PI SMOKE SKIPPED (this machine's lack), never a FAIL blamed on wg (seen on 2b52e303: wg's own
// "interactive Pi executable `pi` was not found on PATH" read as chat-failed); where it runs in
// tmux, a machine without tmux is a setup failure, not wg's.
const needs = Object.fromEntries(GENERATIONS.map((g) => [g.name, { nex: g.needs('endpoint'), pi: g.needs('pi'), claude: g.needs('claude') }]));

describe('what each generation needs', () => {
  it("today's wg: every chat but claude's is Pi in tmux", () => {
    expect(needs['pi-tmux']).toEqual({ nex: ['tmux', 'pi'], pi: ['tmux', 'pi'], claude: ['claude'] });
  });

  it('nex in tmux: tmux for every chat, Pi only for the Pi chat made beside nex', () => {
    expect(needs['nex-tmux']).toEqual({ nex: ['tmux'], pi: ['tmux', 'pi'], claude: ['tmux'] });
  });

  it('April (the pane and the composer): nothing besides wg', () => {
    expect(needs['nex-pane']).toEqual({ nex: [], pi: [], claude: [] });
    expect(needs['composer']).toEqual({ nex: [], pi: [], claude: [] });
  });
});
