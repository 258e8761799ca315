import type { SlashCommand } from '../src/commands/command';
import { exerciseKey } from '../src/commands/message-keys';
import { declareOptions } from '../src/commands/option-declarations';
import { EXERCISES } from '../src/experiments/exercises';

const options = declareOptions({});

/** `/help`: what the bot does, where to start, this server's limits, and what teachers can do. */
export default {
  kind: 'slash',
  name: 'help',
  key: 'help',
  options,
  async execute(ctx) {
    const { t } = ctx;
    const exercises = EXERCISES.map((exercise) => `${exercise.number}. ${t(exerciseKey(exercise.number, 'title'))}`).join('\n');
    const limits = ctx.services.rules.limitsOf(ctx.guildId);
    const jobs = limits.jobsPerDay === null ? t('help.no_daily_limit') : t('help.jobs_per_day', { count: limits.jobsPerDay });
    const { maxEpochs, maxUnits, maxBatchSize, trainExamples } = limits;
    await ctx.reply({
      embeds: [
        {
          title: t('help.title'),
          description: t('help.body'),
          fields: [
            { name: t('help.exercises'), value: exercises },
            { name: t('help.limits'), value: t('help.limits_value', { maxEpochs, maxUnits, maxBatchSize, trainExamples, jobs }) },
            { name: t('help.teachers'), value: t('help.teachers_value') },
          ],
        },
      ],
      data: { help: t('help.body'), limits },
    });
  },
} satisfies SlashCommand<typeof options>;
