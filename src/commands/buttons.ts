import { z } from 'zod';
import { EXERCISES, type ExerciseNumber } from '../experiments/exercises';
import type { ExperimentSpecInput } from '../experiments/spec';
import { trainingPayloadSchema } from '../jobs/queue';
import type { CommandContext } from './command';
import { cancelJob } from './cancel-job';
import { runExercise } from './exercise-flow';
import { answerJobEnd } from './job-end';
import { refusal, refusalAnswer } from './refusal';
import { runAnswer } from './run-answer';
import { findRun } from './run-lookup';
import { buildSpec } from './spec-options';
import { trainAndFollow } from './training-flow';

/** Button ids are `action:argument[:argument]`; anything else is refused politely. */
const buttonSchema = z.union([
  z.tuple([z.literal('cancel'), z.coerce.number().int().min(1)]),
  z.tuple([z.literal('again'), z.string().min(1).max(40)]),
  z.tuple([z.literal('rerun'), z.coerce.number().int().min(1)]),
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
    case 'rerun':
      return rerunJob(ctx, button[1]);
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
  await trainAgain(ctx, run.value.spec, run.value.exercise);
}

/** "Run again" on a job that ended without a run (the trainer crashed, the disk was full, restarts cut it off). */
async function rerunJob(ctx: CommandContext, jobId: number): Promise<void> {
  const job = ctx.services.jobs.get(jobId);
  const payload = job && job.guildId === ctx.guildId ? trainingPayloadSchema.safeParse(job.payload) : null;
  if (!payload?.success) return ctx.reply(refusalAnswer(ctx.t, refusal('not-found', 'cancel.not_found', { jobId })));
  await trainAgain(ctx, payload.data.spec, payload.data.exercise);
}

/** Queues earlier settings anew, if they still fit today's limits (a teacher may have lowered them). */
async function trainAgain(ctx: CommandContext, settings: ExperimentSpecInput, exercise: ExerciseNumber | null): Promise<void> {
  const spec = buildSpec(settings, {}, ctx.services.rules.limitsOf(ctx.guildId));
  if (!spec.ok) return ctx.reply(refusalAnswer(ctx.t, spec.refusal));
  const end = await trainAndFollow(ctx, spec.value, exercise);
  if (end) await answerJobEnd(ctx, end, (newRun) => runAnswer(ctx, newRun));
}
