import { exerciseByNumber, EXERCISES } from '../experiments/exercises';
import { defaultSpec } from '../experiments/spec';
import type { StoredRun } from '../store/runs';
import type { Answer, CommandContext } from './command';
import { exerciseAfterword, exerciseIntro } from './exercise-story';
import { answerJobEnd } from './job-end';
import { variantLabelKey } from './message-keys';
import { optionsRefusal } from './options';
import { predictionAnswer } from './prediction-answer';
import { runAnswer } from './run-answer';
import { buildSpec } from './spec-options';
import { trainAndFollow } from './training-flow';
import { refusal, refusalAnswer, type Refusal } from './refusal';

function refuse(ctx: CommandContext, why: Refusal): Promise<void> {
  return ctx.reply(refusalAnswer(ctx.t, why));
}

/** Runs exercise `number` (or one of its variants) from explanation to afterword. */
export async function runExercise(ctx: CommandContext, number: number, variantKey: string | undefined): Promise<void> {
  const exercise = exerciseByNumber(number);
  if (!exercise) return refuse(ctx, optionsRefusal([{ key: 'error.option.too_big', params: { option: 'number', maximum: EXERCISES.length } }]));
  const variant = variantKey === undefined ? null : exercise.variants.find((candidate) => candidate.key === variantKey);
  if (variant === undefined) {
    const variants = exercise.variants.map((candidate) => candidate.key).join(', ') || '-';
    return refuse(ctx, refusal('invalid-options', 'exercise.bad_variant', { number, variant: variantKey ?? '', variants }));
  }
  const spec = buildSpec(variant?.spec ?? exercise.preset, {}, ctx.services.rules.limitsOf(ctx.guildId));
  if (!spec.ok) return refuse(ctx, spec.refusal);
  const end = await trainAndFollow(ctx, spec.value, exercise.number, exerciseIntro(ctx.t, exercise, spec.value));
  if (!end) return;
  await answerJobEnd(ctx, end, async (run) => {
    const answer = await exerciseAnswer(ctx, run);
    // The settings just run are not offered again (the preset is one of the variants, too).
    const ran = JSON.stringify(spec.value);
    answer.buttons = [
      ...(answer.buttons ?? []),
      ...exercise.variants
        .filter((other) => JSON.stringify(defaultSpec(other.spec)) !== ran)
        .map((other) => ({
          customId: `variant:${exercise.number}:${other.key}`,
          label: ctx.t('button.variant', { label: ctx.t(variantLabelKey(other.key)) }),
          style: 'secondary' as const,
        })),
    ];
    return answer;
  });
}

/** The result of an exercise run: the run's summary and charts, and what the exercise teaches. */
async function exerciseAnswer(ctx: CommandContext, run: StoredRun): Promise<Answer> {
  const exercise = exerciseByNumber(run.exercise ?? 0);
  if (!exercise) return runAnswer(ctx, run);
  if (exercise.number !== 1 || !run.result.modelPath) return runAnswer(ctx, run, exerciseAfterword(ctx.t, exercise, run));
  // Exercise 1 ends by looking at the ten probabilities for test image 0.
  const answer = await runAnswer(ctx, run);
  const prediction = await predictionAnswer(ctx, run, 0, 'exercise');
  return {
    ...answer,
    embeds: [...(answer.embeds ?? []), ...(prediction.embeds ?? [])],
    files: [...(answer.files ?? []), ...(prediction.files ?? [])],
    data: { ...(answer.data as object), prediction: prediction.data },
  };
}
