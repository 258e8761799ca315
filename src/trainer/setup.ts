import type { Config } from '../config';
import { selectBackend, type BackendReport } from './backend';
import { formatDownloadProgress, loadFashionMnist, type FashionMnist } from './dataset';

export interface TrainerSetup {
  backend: BackendReport;
  data: FashionMnist;
  /** TRAIN_EXAMPLES, capped by the data set's size. */
  trainExamples: number;
}

/** What every trainer entry point starts with: the backend, then the data set (downloaded if need be). */
export async function setUpTrainer(config: Config): Promise<TrainerSetup> {
  const backend = await selectBackend(config.TRAINER_BACKEND);
  const data = await loadFashionMnist({
    fashionMnistDir: config.FASHION_MNIST_DIR,
    dataDir: config.dataDir,
    mirror: config.FASHION_MNIST_MIRROR,
    onDownloadProgress: (progress) => process.stderr.write(`\r${formatDownloadProgress(progress)}`),
  });
  return { backend, data, trainExamples: Math.min(config.TRAIN_EXAMPLES, data.train.count) };
}
