import type { SlashCommand } from '../src/commands/command';
import { exerciseKey } from '../src/commands/message-keys';
import { declareOptions } from '../src/commands/option-declarations';
import { EXERCISES } from '../src/experiments/exercises';

const options = declareOptions({});

/** `/help`: what the bot does and where to start. */
export default {
  kind: 'slash',
  name: 'help',
  key: 'help',
  options,
  async execute(ctx) {
    const { t } = ctx;
    const exercises = EXERCISES.map((exercise) => `${exercise.number}. ${t(exerciseKey(exercise.number, 'title'))}`).join('\n');
    await ctx.reply({
      embeds: [{ title: t('help.title'), description: t('help.body'), fields: [{ name: t('help.exercises'), value: exercises }] }],
      data: { help: t('help.body') },
    });
  },
} satisfies SlashCommand<typeof options>;
