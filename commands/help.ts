import { z } from 'zod';
import type { SlashCommand } from '../src/commands/command';
import { EXERCISES } from '../src/experiments/exercises';
import type { MessageKey } from '../src/i18n/translate';

const schema = z.object({}).strict();

/** `/help`: what the bot does and where to start. */
export default {
  kind: 'slash',
  name: 'help',
  key: 'help',
  options: [],
  schema,
  async execute(ctx) {
    const { t } = ctx;
    const exercises = EXERCISES.map((exercise) => `${exercise.number}. ${t(`exercise.${exercise.number}.title` as MessageKey)}`).join('\n');
    await ctx.reply({
      embeds: [{ title: t('help.title'), description: t('help.body'), fields: [{ name: t('help.exercises'), value: exercises }] }],
      data: { help: t('help.body') },
    });
  },
} satisfies SlashCommand<z.infer<typeof schema>>;
