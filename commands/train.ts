import type { SlashCommand } from '../src/commands/command';
import { answerJobEnd } from '../src/commands/job-end';
import { refusalAnswer } from '../src/commands/refusal';
import { runAnswer } from '../src/commands/run-answer';
import { buildSpec, trainOptions } from '../src/commands/spec-options';
import { trainAndFollow } from '../src/commands/training-flow';

/** `/train epochs:30 units:128 …`: the course's model with the student's changes. */
export default {
  kind: 'slash',
  name: 'train',
  key: 'train',
  options: trainOptions,
  async execute(ctx, options) {
    const spec = buildSpec({}, options, ctx.services.rules.limitsOf(ctx.guildId));
    if (!spec.ok) return ctx.reply(refusalAnswer(ctx.t, spec.refusal));
    const end = await trainAndFollow(ctx, spec.value, null);
    if (end) await answerJobEnd(ctx, end, (run) => runAnswer(ctx, run));
  },
} satisfies SlashCommand<typeof trainOptions>;
