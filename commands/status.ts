import type { SlashCommand } from '../src/commands/command';
import { declareOptions } from '../src/commands/option-declarations';
import { engineDescription } from '../src/commands/engine-description';
import { formatAccuracy, formatDuration, momentMarkup } from '../src/commands/format';
import { pauseData } from '../src/commands/lab-pause';
import { trainerLines } from '../src/commands/trainer-lines';
import { workerLines } from '../src/commands/worker-lines';
import { versions } from '../src/versions';

const options = declareOptions({});

/** `/status`: which backend trains, where the data came from, each trainer, the queue, and versions. */
export default {
  kind: 'slash',
  name: 'status',
  key: 'status',
  options,
  async execute(ctx) {
    const { t } = ctx;
    const { trainer, queue } = ctx.services;
    const ready = await trainer.start().then(
      (info) => ({ ok: true as const, info }),
      (error: unknown) => ({ ok: false as const, reason: error instanceof Error ? error.message : String(error) }),
    );
    const running = queue.running().length;
    const trainers = trainer.view();
    const workers = ctx.services.workers?.view() ?? null;
    const waiting = queue.waiting().length;
    const versionList = versions();
    const pause = ctx.services.settings.pauseOf(ctx.guildId);
    const trainExamples = ctx.services.rules.limitsOf(ctx.guildId).trainExamples;
    const fields = ready.ok
      ? [
          { name: t('status.backend'), value: `${ready.info.backend.name}${ready.info.backend.fastPath ? ` (${t('status.fast_path')})` : ''}\n${ready.info.backend.detail}` },
          { name: t('status.engine'), value: engineDescription(t, ready.info.backend) },
          ...(ready.info.backend.skipped.length > 0
            ? [{ name: t('status.skipped'), value: ready.info.backend.skipped.map((skip) => `${skip.backend}: ${skip.reason}`).join('\n').slice(0, 1024) }]
            : []),
          { name: t('status.data'), value: t('status.data_value', { source: ready.info.dataSource, examples: Math.min(ready.info.trainExamples, trainExamples) }) },
        ]
      : [{ name: t('status.backend'), value: t('status.trainer_down', { reason: ready.reason }) }];
    const classModel = ctx.services.classModels.latest();
    fields.push(
      {
        name: t('status.class_model'),
        value: classModel
          ? t('status.class_model_value', { accuracy: formatAccuracy(classModel.testAccuracy), time: formatDuration(classModel.trainingSeconds) })
          : t('status.class_model_missing'),
      },
      { name: t('status.lab'), value: pause ? t('status.lab_paused', { teacher: pause.byName, since: momentMarkup(pause.since) }) : t('status.lab_running') },
      { name: t('trainers.title'), value: trainerLines(t, trainers) },
      ...(workers ? [{ name: t('workers.title'), value: workerLines(t, workers).slice(0, 1024) }] : []),
      { name: t('status.queue'), value: t('status.queue_value', { running, waiting }) },
      { name: t('status.versions'), value: Object.entries(versionList).map(([name, version]) => `${name} ${version}`).join('\n') },
    );
    await ctx.reply({
      embeds: [{ title: t('status.title'), fields }],
      data: {
        trainer: ready.ok ? ready.info : { error: ready.reason },
        classModel: classModel ?? null,
        trainers,
        workers,
        queue: { running, waiting },
        paused: pause ? pauseData(pause) : null,
        versions: versionList,
      },
    });
  },
} satisfies SlashCommand<typeof options>;
