import type { Translate } from '../i18n/translate';
import type { BackendReport } from '../protocol/backend-report';

/** What /status says trains the experiments: the fused engine with its threads or GPU, or TensorFlow.js. */
export function engineDescription(t: Translate, backend: BackendReport): string {
  const { engine } = backend;
  if (!engine) return t('status.engine_tfjs', { backend: backend.name });
  if (engine.adapter) {
    const { vendor, architecture, description } = engine.adapter;
    return t('status.engine_gpu', { name: engine.name, adapter: [vendor, architecture, description].filter(Boolean).join(' ') || '?' });
  }
  return t('status.engine_cpu', { name: engine.name, threads: engine.threads ?? 1 });
}
