import type { Answer, CommandContext, SlashCommand } from '../src/commands/command';
import { declareOptions, declareSubcommands, stringOption, userOption, type SubcommandChoice } from '../src/commands/option-declarations';
import { refusal, refusalAnswer } from '../src/commands/refusal';
import { runAutocomplete } from '../src/commands/run-lookup';
import { clearQueue } from '../src/commands/teacher/clear-queue';
import { pauseLab, resumeLab } from '../src/commands/teacher/lab-switch';
import { startTerm } from '../src/commands/teacher/new-term';
import { setRunRemoved } from '../src/commands/teacher/run-removal';
import { limitsAnswer, limitsOptions } from '../src/commands/teacher/server-limits';
import { teacherLogAnswer } from '../src/commands/teacher/teacher-log-answer';

const subcommands = {
  pause: declareOptions({}),
  resume: declareOptions({}),
  limits: limitsOptions,
  'clear-queue': declareOptions({ user: userOption({ description: 'option.user.description.clear_queue' }) }),
  remove: declareOptions({ run: stringOption({ required: true, maxLength: 100, autocomplete: true, description: 'option.run.description.remove' }) }),
  restore: declareOptions({ run: stringOption({ required: true, maxLength: 100, autocomplete: true, description: 'option.run.description.restore' }) }),
  'new-term': declareOptions({ name: stringOption({ minLength: 1, maxLength: 60 }) }),
  log: declareOptions({}),
};
const options = declareSubcommands(subcommands);

function teacherAnswer(ctx: CommandContext, chosen: SubcommandChoice<typeof subcommands>): Answer | Promise<Answer> {
  switch (chosen.subcommand) {
    case 'pause':
      return pauseLab(ctx);
    case 'resume':
      return resumeLab(ctx);
    case 'limits':
      return limitsAnswer(ctx, chosen.options);
    case 'clear-queue':
      return clearQueue(ctx, chosen.options.user);
    case 'remove':
      return setRunRemoved(ctx, chosen.options.run, true);
    case 'restore':
      return setRunRemoved(ctx, chosen.options.run, false);
    case 'new-term':
      return startTerm(ctx, chosen.options.name);
    case 'log':
      return teacherLogAnswer(ctx);
  }
}

/** `/teacher <subcommand>` (teachers only): run the lesson from Discord, every change logged. */
export default {
  kind: 'slash',
  name: 'teacher',
  key: 'teacher',
  options,
  async execute(ctx, chosen) {
    if (!ctx.isTeacher) return ctx.reply(refusalAnswer(ctx.t, refusal('teacher-only', 'error.teacher_only')));
    await ctx.reply(await teacherAnswer(ctx, chosen));
  },
  autocomplete: async (ctx, _option, typed, subcommand) => (ctx.isTeacher ? runAutocomplete(ctx, typed, subcommand === 'restore' ? 'removed' : 'shown') : []),
} satisfies SlashCommand<typeof options>;
