import type { Config } from '../config';
import type { BackendReport } from '../protocol/backend-report';
import { defaultThreads, selectBackend } from './backend';
import type { DownloadProgress } from '../protocol/trainer-messages';
import { loadFashionMnist, type FashionMnist } from './dataset';
import type { FusedEngine } from './fused/fused-engine';

export interface TrainerSetup {
  backend: BackendReport;
  /** The fused engine that trains experiments, holding the data set; null when TensorFlow.js trains them. */
  engine: FusedEngine | null;
  data: FashionMnist;
  /** TRAIN_EXAMPLES, capped by the data set's size. */
  trainExamples: number;
}

/**
 * What every trainer entry point starts with: the backend, then the data set (downloaded if need
 * be), then the fused engine, which takes the data set onto its device once.
 */
export async function setUpTrainer(config: Config, onDownloadProgress: (progress: DownloadProgress) => void): Promise<TrainerSetup> {
  const selected = await selectBackend(config.TRAINER_BACKEND, { threads: config.TRAINER_THREADS ?? defaultThreads() });
  const data = await loadFashionMnist({
    fashionMnistDir: config.FASHION_MNIST_DIR,
    dataDir: config.dataDir,
    mirror: config.FASHION_MNIST_MIRROR,
    onDownloadProgress,
  });
  const engine = selected.engine ? await selected.engine.create(data) : null;
  return { backend: selected.report, engine, data, trainExamples: Math.min(config.TRAIN_EXAMPLES, data.train.count) };
}
