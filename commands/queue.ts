import type { SlashCommand } from '../src/commands/command';
import { declareOptions } from '../src/commands/option-declarations';
import { describeJob } from '../src/commands/job-summary';
import { pauseData, pauseNotice } from '../src/commands/lab-pause';
import { trainerLines } from '../src/commands/trainer-lines';

const options = declareOptions({});

/** `/queue`: what is training now (on which trainer) and what waits, in order. */
export default {
  kind: 'slash',
  name: 'queue',
  key: 'queue',
  options,
  async execute(ctx) {
    const { queue, trainer } = ctx.services;
    const running = queue.running();
    const trainers = trainer.view();
    const waiting = queue.waiting();
    const paused = pauseNotice(ctx);
    const pause = paused ? { paused: pauseData(paused.pause) } : {};
    if (running.length === 0 && waiting.length === 0) {
      return ctx.reply({
        content: [paused?.line, ctx.t('queue.empty'), '', `**${ctx.t('trainers.title')}**`, trainerLines(ctx.t, trainers)].filter((line) => line !== undefined).join('\n'),
        data: { running: [], waiting: [], trainers, ...pause },
      });
    }
    const lines = [
      ...(paused ? [paused.line, ''] : []),
      ...running.map((job) => ctx.t('queue.running', { jobId: job.id, user: job.userName, summary: describeJob(ctx.t, job) })),
      ...waiting.map((job, index) =>
        ctx.t('queue.waiting', { position: index + 1, jobId: job.id, user: job.userName, summary: describeJob(ctx.t, job) }),
      ),
    ];
    await ctx.reply({
      embeds: [{ title: ctx.t('queue.title'), description: lines.join('\n'), fields: [{ name: ctx.t('trainers.title'), value: trainerLines(ctx.t, trainers) }] }],
      data: { running: running.map((job) => job.id), waiting: waiting.map((job) => job.id), trainers, ...pause },
    });
  },
} satisfies SlashCommand<typeof options>;
