import type { Pause } from '../store/server-settings';
import type { CommandContext } from './command';
import { momentMarkup } from './format';

/** The server's pause, if its lab is paused, and the sentence that says so. */
export function pauseNotice(ctx: CommandContext): { pause: Pause; line: string } | null {
  const pause = ctx.services.settings.pauseOf(ctx.guildId);
  return pause && { pause, line: ctx.t('queue.paused', { teacher: pause.byName, since: momentMarkup(pause.since) }) };
}

/** A pause as the console's --json prints it. */
export function pauseData(pause: Pause): { by: string; byId: string; since: number } {
  return { by: pause.byName, byId: pause.byId, since: pause.since };
}
