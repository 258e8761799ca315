import type { SlashCommand } from '../src/commands/command';
import { runAnswer } from '../src/commands/run-answer';
import { buildSpec, SPEC_OPTIONS, specOptionsSchema, type SpecOptions } from '../src/commands/spec-options';
import { limitsOf } from '../src/experiments/spec';
import { answerJobEnd } from '../src/commands/job-end';
import { trainAndFollow } from '../src/commands/training-flow';
import { refusal } from '../src/commands/refusal';

/** `/train epochs:30 units:128 …`: the course's model with the student's changes. */
export default {
  kind: 'slash',
  name: 'train',
  key: 'train',
  options: SPEC_OPTIONS,
  schema: specOptionsSchema,
  async execute(ctx, options) {
    const spec = buildSpec({}, options, limitsOf(ctx.services.config), ctx.t);
    if (!spec.ok) return ctx.reply(refusal('invalid-options', spec.message));
    const end = await trainAndFollow(ctx, spec.value, null);
    if (end) await answerJobEnd(ctx, end, (run) => runAnswer(ctx, run));
  },
} satisfies SlashCommand<SpecOptions>;
