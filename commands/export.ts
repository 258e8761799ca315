import { z } from 'zod';
import type { SlashCommand } from '../src/commands/command';
import { refusal } from '../src/commands/refusal';

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
    const csv = ctx.services.runs.exportCsv(ctx.guildId);
    const count = ctx.services.runs.history({ guildId: ctx.guildId, limit: Number.MAX_SAFE_INTEGER }).length;
    await ctx.reply({ content: ctx.t('export.done', { count }), files: [{ name: 'fashion-lab-runs.csv', data: Buffer.from(csv, 'utf8') }], ephemeral: true, data: { runs: count } });
  },
} satisfies SlashCommand<z.infer<typeof schema>>;
