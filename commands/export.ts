import { z } from 'zod';
import type { SlashCommand } from '../src/commands/command';
import { refusal } from '../src/commands/refusal';
import { runsToCsv } from '../src/store/runs-csv';

const schema = z.object({}).strict();

/** `/export` (teachers): the server's runs as a CSV file. */
export default {
  kind: 'slash',
  name: 'export',
  key: 'export',
  options: [],
  schema,
  async execute(ctx) {
    if (!ctx.isTeacher) {
      return ctx.reply(refusal('teacher-only', ctx.t('error.teacher_only')));
    }
    const runs = ctx.services.runs.runsOfServer(ctx.guildId);
    const csv = runsToCsv(runs);
    await ctx.reply({ content: ctx.t('export.done', { count: runs.length }), files: [{ name: 'fashion-lab-runs.csv', data: Buffer.from(csv, 'utf8') }], ephemeral: true, data: { runs: runs.length } });
  },
} satisfies SlashCommand<z.infer<typeof schema>>;
