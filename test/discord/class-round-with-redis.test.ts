/**
 * The class round of class-round-scenarios.ts with REDIS_URL: a real redis-server and two real
 * worker processes (`npm run worker`, one trainer each) train every job, its progress, end and
 * model files coming back to the bot through BullMQ; the bot's own trainer only answers
 * predictions. The same sentences as on the embedded queue prove the Redis path end to end.
 */
import { waitUntil } from '../support/wait-until';
import { CLASS_ROUND_ENV, CLASS_ROUND_JOBS, classRoundScenarios } from './class-round-scenarios';
import { startLab } from './lab';

const lab = classRoundScenarios(() => startLab({ env: CLASS_ROUND_ENV, redisWorkers: 2 }));

it('trained every job of the round on the two workers, both of them, and none on the bot’s own trainer', async () => {
  const { app, workers } = lab();
  const beats = () => app.services.workers?.view() ?? [];
  await waitUntil(() => beats().reduce((sum, beat) => sum + beat.jobsDone, 0) === CLASS_ROUND_JOBS, `the workers’ heartbeats to count the ${CLASS_ROUND_JOBS} jobs`);
  expect(beats().map((beat) => beat.id).sort()).toEqual(workers.map((worker) => worker.id).sort());
  expect(beats().every((beat) => beat.jobsDone > 0)).toBe(true);
  expect(app.services.trainer.view().map((trainer) => trainer.jobsDone)).toEqual([0]);
});
