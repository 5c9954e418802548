/** setMyCommands / getMyCommands / deleteMyCommands: the command lists, per scope and language. */
import { jsonParam, type Params } from './emulator-http.js';
import { badRequest } from './telegram-emulator.types.js';

/** The list a setMyCommands call sets, validated as the Bot API does. */
export function parseCommands(p: Params): Array<{ command: unknown; description: unknown }> {
  const cmds = jsonParam<Array<{ command?: unknown; description?: unknown }>>(p.commands);
  if (!Array.isArray(cmds)) throw badRequest('commands must be an array');
  if (cmds.length > 100) throw badRequest('too many commands');
  for (const c of cmds) {
    if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
    if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) throw badRequest('command description is empty');
  }
  return cmds.map((c) => ({ command: c.command, description: c.description }));
}

/** The key of a command list: its scope and language. */
export function commandsKey(p: Params): string {
  const scope = jsonParam<{ type?: string; chat_id?: unknown; user_id?: unknown }>(p.scope) ?? { type: 'default' };
  return JSON.stringify([scope.type ?? 'default', scope.chat_id ?? null, scope.user_id ?? null, String(p.language_code ?? '')]);
}
