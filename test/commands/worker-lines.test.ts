import { workerLines } from '../../src/commands/worker-lines';
import { translator } from '../../src/i18n/translate';
import type { WorkerBeat } from '../../src/protocol/worker-messages';

const beat = (fields: Partial<WorkerBeat>): WorkerBeat => ({ id: 'w', host: 'lab-pc', backend: 'onnx', trainers: 2, jobIds: [], jobsDone: 3, stopping: false, seenAt: 1_700_000_000_000, ...fields });

test('/status says of each worker whether it is idle, busy with which jobs, or stopping once its jobs end, in both languages', () => {
  const workers = [beat({}), beat({ host: 'gpu-pc', jobIds: ['7', '9'] }), beat({ host: 'old-pc', jobIds: ['8'], stopping: true }), beat({ host: 'done-pc', stopping: true })];
  for (const locale of ['en', 'ko'] as const) {
    const t = translator(locale);
    const common = { backend: 'onnx', trainers: 2, done: 3, seen: '<t:1700000000:f>' };
    expect(workerLines(t, workers).split('\n')).toEqual([
      t('workers.idle', { ...common, host: 'lab-pc' }),
      t('workers.busy', { ...common, host: 'gpu-pc', jobs: '#7, #9' }),
      t('workers.stopping', { ...common, host: 'old-pc', jobs: '#8' }),
      t('workers.stopping', { ...common, host: 'done-pc', jobs: '—' }),
    ]);
  }
  expect(workerLines(translator('en'), [])).toBe(translator('en')('workers.none'));
});
