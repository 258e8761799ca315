import { TrainerError } from '../jobs/trainer-client';
import { isStorageFull } from '../store/storage-full';
import type { CommandContext, RawOptions, SlashCommand } from './command';
import { parseOptions } from './options';
import { refusal, refusalAnswer, type Refusal } from './refusal';
import { failureKey } from './message-keys';

/** What a student reads when their command failed: a full disk and a trainer failure are said as such, the rest gets the short apology. */
function failureRefusal(error: unknown): Refusal {
  if (isStorageFull(error)) return refusal('disk-full', 'error.disk_full');
  if (error instanceof TrainerError) return refusal(error.failure.code, failureKey(error.failure.code), error.failure.params);
  return refusal('internal', 'error.internal');
}

/** Answers a command that failed; the cause goes to the log only. */
export async function replyInternalError(ctx: CommandContext, what: string, error: unknown): Promise<void> {
  ctx.services.log.error(`${what} failed`, error);
  await ctx.reply(refusalAnswer(ctx.t, failureRefusal(error))).catch((replyError: unknown) => {
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

