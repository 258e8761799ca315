import type { SlashCommand } from '../src/commands/command';
import { declareOptions } from '../src/commands/option-declarations';
import { describeJob } from '../src/commands/job-summary';
import { pauseData, pauseNotice } from '../src/commands/lab-pause';

const options = declareOptions({});

/** `/queue`: what is training now and what waits, in order. */
export default {
  kind: 'slash',
  name: 'queue',
  key: 'queue',
  options,
  async execute(ctx) {
    const { queue } = ctx.services;
    const running = queue.running();
    const waiting = queue.waiting();
    const paused = pauseNotice(ctx);
    const pause = paused ? { paused: pauseData(paused.pause) } : {};
    if (!running && waiting.length === 0) {
      return ctx.reply({ content: [paused?.line, ctx.t('queue.empty')].filter(Boolean).join('\n'), data: { running: null, waiting: [], ...pause } });
    }
    const lines = [
      ...(paused ? [paused.line, ''] : []),
      ...(running ? [ctx.t('queue.running', { jobId: running.id, user: running.userName, summary: describeJob(ctx.t, running) })] : []),
      ...waiting.map((job, index) =>
        ctx.t('queue.waiting', { position: index + 1, jobId: job.id, user: job.userName, summary: describeJob(ctx.t, job) }),
      ),
    ];
    await ctx.reply({
      embeds: [{ title: ctx.t('queue.title'), description: lines.join('\n') }],
      data: { running: running?.id ?? null, waiting: waiting.map((job) => job.id), ...pause },
    });
  },
} satisfies SlashCommand<typeof options>;
