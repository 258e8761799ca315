/**
 * The class round of class-round-scenarios.ts on the embedded queue: the bot's own pool of two
 * trainer processes (TRAINERS=2) trains every job, both of them taking a share.
 */
import { CLASS_ROUND_ENV, CLASS_ROUND_JOBS, classRoundScenarios } from './class-round-scenarios';
import { startLab } from './lab';

const lab = classRoundScenarios(() => startLab({ env: { ...CLASS_ROUND_ENV, TRAINERS: '2' } }));

it('trained every job of the round on the bot’s two trainers, both of them', () => {
  const done = lab().app.services.trainer.view().map((trainer) => trainer.jobsDone);
  expect(done).toHaveLength(2);
  expect(done.every((count) => count > 0)).toBe(true);
  expect(done.reduce((sum, count) => sum + count, 0)).toBe(CLASS_ROUND_JOBS);
});
