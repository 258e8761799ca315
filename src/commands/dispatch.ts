import type { CommandContext, RawOptions, SlashCommand } from './command';
import { parseOptions } from './options';
import { refusal, refusalAnswer } from './refusal';

/** Replies with the short apology; the cause goes to the log only. */
export async function replyInternalError(ctx: CommandContext, what: string, error: unknown): Promise<void> {
  ctx.services.log.error(`${what} failed`, error);
  await ctx.reply(refusalAnswer(ctx.t, refusal('internal', 'error.internal'))).catch((replyError: unknown) => {
    ctx.services.log.error(`could not even apologise for ${what}`, replyError);
  });
}

/**
 * Runs a slash command for either adapter: options checked first (a polite, translated
 * refusal that changes nothing), then the handler, awaited, so that no rejection escapes.
 */
export async function runSlashCommand(ctx: CommandContext, command: SlashCommand, raw: RawOptions): Promise<void> {
  const options = parseOptions(command.options, raw);
  if (!options.ok) {
    await ctx.reply(refusalAnswer(ctx.t, options.refusal));
    return;
  }
  try {
    await command.execute(ctx, options.value);
  } catch (error) {
    await replyInternalError(ctx, `/${command.name}`, error);
  }
}

