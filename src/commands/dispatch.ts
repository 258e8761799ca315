import { TrainerError } from '../jobs/trainer-client';
import { isStorageFull } from '../store/storage-full';
import type { Answer, CommandContext, RawOptions, SlashCommand } from './command';
import { parseOptions } from './options';
import { refusal } from './refusal';
import { describeFailure } from './run-answer';

/** What a student reads when their command failed: a full disk and a trainer failure are said as such, the rest gets the short apology. */
function failureAnswer(ctx: CommandContext, error: unknown): Answer {
  if (isStorageFull(error)) return refusal('disk-full', ctx.t('error.disk_full'));
  if (error instanceof TrainerError) return refusal(error.failure.code, describeFailure(ctx.t, error.failure));
  return refusal('internal', ctx.t('error.internal'));
}

/** Answers a command that failed; the cause goes to the log only. */
export async function replyInternalError(ctx: CommandContext, what: string, error: unknown): Promise<void> {
  ctx.services.log.error(`${what} failed`, error);
  await ctx.reply(failureAnswer(ctx, error)).catch((replyError: unknown) => {
    ctx.services.log.error(`could not even apologise for ${what}`, replyError);
  });
}

/**
 * Runs a slash command for either adapter: options checked first (a polite, translated
 * refusal that changes nothing), then the handler, awaited, so that no rejection escapes.
 */
export async function runSlashCommand(ctx: CommandContext, command: SlashCommand, raw: RawOptions): Promise<void> {
  const options = parseOptions(command, raw, ctx.t);
  if (!options.ok) {
    await ctx.reply(refusal('invalid-options', options.message));
    return;
  }
  try {
    await command.execute(ctx, options.value);
  } catch (error) {
    await replyInternalError(ctx, `/${command.name}`, error);
  }
}

