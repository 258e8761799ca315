import type { SlashCommand } from '../src/commands/command';
import { declareOptions } from '../src/commands/option-declarations';
import { refusal, refusalAnswer } from '../src/commands/refusal';
import { runsToCsv } from '../src/store/runs-csv';

const options = declareOptions({});

/** `/export` (teachers): the server's runs as a CSV file. */
export default {
  kind: 'slash',
  name: 'export',
  key: 'export',
  options,
  async execute(ctx) {
    if (!ctx.isTeacher) {
      return ctx.reply(refusalAnswer(ctx.t, refusal('teacher-only', 'error.teacher_only')));
    }
    const runs = ctx.services.runs.runsOfServer(ctx.guildId);
    const csv = runsToCsv(runs);
    await ctx.reply({ content: ctx.t('export.done', { count: runs.length }), files: [{ name: 'fashion-lab-runs.csv', data: Buffer.from(csv, 'utf8') }], ephemeral: true, data: { runs: runs.length } });
  },
} satisfies SlashCommand<typeof options>;
