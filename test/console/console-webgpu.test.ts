import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { datasetLikePng, testItem } from '../support/photos';
import { SWIFTSHADER_ICD } from '../support/swiftshader-env';
import { trainerTestEnv } from '../support/trainer-env';

const root = path.join(__dirname, '..', '..');

/** An entry point run as a teacher would run it, on the fused WebGPU trainer over SwiftShader unless told otherwise. */
function run(entry: string, args: string[], env: NodeJS.ProcessEnv, input?: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: root,
    env,
    input,
    encoding: 'utf8',
    // Only ends a hung process: SwiftShader runs these in a few minutes.
    timeout: 900_000,
  });
}

type Answer = Record<string, unknown>;
type Ranked = { ranked: { class: string; probability: number }[] };

function expectRankedProbabilities(answer: Answer): void {
  const { ranked } = answer as Ranked;
  expect(ranked).toHaveLength(10);
  const sum = ranked.reduce((total, entry) => total + entry.probability, 0);
  expect(Math.abs(sum - 1)).toBeLessThan(1e-4);
  for (let i = 1; i < ranked.length; i++) expect(ranked[i].probability).toBeLessThanOrEqual(ranked[i - 1].probability);
}

test('console mode on the fused WebGPU trainer (SwiftShader): /exercise 1, /train, /predict, /classify and /status answer', async () => {
  const env = trainerTestEnv({ TRAINER_BACKEND: 'webgpu', TRAIN_EXAMPLES: '300', VK_ICD_FILENAMES: SWIFTSHADER_ICD });
  // The class model (convolutions, on tfjs-backend-webgpu when it trains there) is trained beforehand on wasm:
  // SwiftShader takes minutes over it, and it is not what this test is about.
  const classModel = run('src/train-class-model-main.ts', [], { ...env, TRAINER_BACKEND: 'wasm' });
  expect(classModel.status).toBe(0);
  const data = readFashionMnist(DEBIAN_DATASET_DIR);
  const photo = path.join(env.DATA_DIR, 'ankle-boot.png');
  fs.writeFileSync(photo, await datasetLikePng(testItem(data.test, 0).pixels));

  const commands = ['/train epochs:1 units:32 seed:4', '/exercise number:1', '/predict index:0', `/classify image:${photo}`, '/status'];
  const session = run('src/main.ts', ['--json'], env, `${commands.join('\n')}\n`);
  expect(session.status).toBe(0);
  // Dawn's start-up noise (XDG_RUNTIME_DIR, Vulkan loader warnings) goes to the log, not onto the user's screen.
  expect(`${session.stdout}\n${session.stderr}`).not.toMatch(/XDG_RUNTIME_DIR|vkCreateInstance|ExperimentalWarning|TypeError|Fashion Lab stopped/);
  const [train, exercise, predict, classify, status] = session.stdout.trim().split('\n').map((line) => JSON.parse(line) as Answer);

  expect(train).toMatchObject({ stopReason: { kind: 'completed' }, backend: 'webgpu', trainExamples: 300 });
  expect(train.epochs).toHaveLength(1);
  expect(exercise).toMatchObject({ exercise: 1, stopReason: { kind: 'completed' }, backend: 'webgpu' });
  expect(exercise.epochs).toHaveLength(5);
  expect(exercise.testAccuracy).toBeGreaterThan(0.6);
  // The latest run (the exercise's, saved in tfjs' layers format by the fused trainer) answers for test image 0, an ankle boot.
  expectRankedProbabilities(predict);
  expect((predict as Ranked).ranked[0].class).toBe('Ankle boot');
  expectRankedProbabilities(classify);
  expect(status).toMatchObject({
    trainer: { backend: { name: 'webgpu', engine: { name: 'webgpu-fused', adapter: { vendor: 'google', architecture: 'swiftshader' } } } },
  });
  expect(session.stderr).toMatch(/Backend: webgpu\n.*SwiftShader/);
});
