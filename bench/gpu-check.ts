/**
 * The GPU check (`npm run gpu-bundle` packs it): one epoch of the course model (784-512-10, Adam)
 * on the fused WGSL trainer at batch 32 and 128, on whatever adapter Dawn finds, written as JSON
 * to the file named on the command line. Runs bundled, with no npm and no network
 * (FASHION_MNIST_DIR names the data; GPU_CHECK_EXAMPLES trains fewer examples, scaled up).
 */
import fs from 'node:fs';
import { loadConfig } from '../src/config';
import { defaultSpec } from '../src/experiments/spec';
import { selectBackend } from '../src/trainer/backend';
import { loadFashionMnist } from '../src/trainer/dataset';
import { runExperiment } from '../src/trainer/train';
import { FULL_EPOCH } from './measurement-messages';
import { fusedWork } from './webgpu-work';

async function main(): Promise<void> {
  const output = process.argv[2] ?? 'gpu-check.json';
  const examples = Math.min(FULL_EPOCH, Number(process.env.GPU_CHECK_EXAMPLES ?? FULL_EPOCH));
  const { report, engine: choice } = await selectBackend('webgpu');
  if (!choice) throw new Error('the webgpu backend came without its fused engine');
  const config = loadConfig();
  const data = await loadFashionMnist({ fashionMnistDir: config.FASHION_MNIST_DIR, dataDir: config.dataDir, mirror: config.FASHION_MNIST_MIRROR });
  const engine = await choice.create(data);
  const results = [];
  for (const batchSize of [32, 128]) {
    const spec = defaultSpec({ epochs: 1, batchSize, seed: 1 });
    await runExperiment(spec, data, { runId: 'warm-up', backend: 'webgpu', engine, modelDir: null, trainExamples: 4 * batchSize, evaluate: false });
    const before = engine.deviceWork!();
    const result = await runExperiment(spec, data, { runId: `gpu-check-${batchSize}`, backend: 'webgpu', engine, modelDir: null, trainExamples: examples });
    const work = fusedWork(before, engine.deviceWork!(), Math.ceil(FULL_EPOCH / batchSize));
    const entry = {
      backend: 'webgpu',
      variant: 'fused',
      batchSize,
      secondsPerEpoch: (result.epochs[0].seconds * FULL_EPOCH) / result.trainExamples,
      testAccuracy: result.evaluation?.testAccuracy ?? null,
      adapter: choice.adapter,
      ...work,
    };
    console.log(JSON.stringify(entry));
    results.push(entry);
  }
  await engine.dispose();
  fs.writeFileSync(output, `${JSON.stringify({ backend: report.detail, examples, results }, null, 2)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
