import { z } from 'zod';
import { EXERCISES } from '../experiments/exercises';
import type { CommandContext } from './command';
import { cancelJob } from './cancel-job';
import { runExercise } from './exercise-flow';
import { answerJobEnd } from './job-end';
import { refusal, refusalAnswer } from './refusal';
import { runAnswer } from './run-answer';
import { findRun } from './run-lookup';
import { trainAndFollow } from './training-flow';

/** Button ids are `action:argument[:argument]`; anything else is refused politely. */
const buttonSchema = z.union([
  z.tuple([z.literal('cancel'), z.coerce.number().int().min(1)]),
  z.tuple([z.literal('again'), z.string().min(1).max(40)]),
  z.tuple([z.literal('compare'), z.string().min(1).max(40)]),
  z.tuple([z.literal('show'), z.string().min(1).max(40)]),
  z.tuple([z.literal('variant'), z.coerce.number().int().min(1).max(EXERCISES.length), z.string().min(1).max(40)]),
]);

export type CompareHandler = (ctx: CommandContext, runId: string) => Promise<void>;

/** Runs what a button of one of our messages asks for. */
export async function handleButton(ctx: CommandContext, customId: string, compare: CompareHandler): Promise<void> {
  const parsed = buttonSchema.safeParse(customId.split(':'));
  if (!parsed.success) {
    ctx.services.log.error(`unknown button ${customId}`);
    await ctx.reply(refusalAnswer(ctx.t, refusal('internal', 'error.internal')));
    return;
  }
  const button = parsed.data;
  switch (button[0]) {
    case 'cancel':
      return ctx.reply(cancelJob(ctx, button[1]));
    case 'again':
      return runAgain(ctx, button[1]);
    case 'compare':
      return compare(ctx, button[1]);
    case 'show':
      return showRun(ctx, button[1]);
    case 'variant':
      return runExercise(ctx, button[1], button[2]);
  }
}

/** "Show run": an earlier run's result, e.g. one with identical settings. */
async function showRun(ctx: CommandContext, runId: string): Promise<void> {
  const run = findRun(ctx, runId);
  if (!run.ok) return ctx.reply(refusalAnswer(ctx.t, run.refusal));
  await ctx.reply(await runAnswer(ctx, run.value));
}

/** "Run again": the same settings, for whoever clicked. */
async function runAgain(ctx: CommandContext, runId: string): Promise<void> {
  const run = findRun(ctx, runId);
  if (!run.ok) return ctx.reply(refusalAnswer(ctx.t, run.refusal));
  const end = await trainAndFollow(ctx, run.value.spec, run.value.exercise);
  if (end) await answerJobEnd(ctx, end, (newRun) => runAnswer(ctx, newRun));
}
