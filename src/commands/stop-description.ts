import type { RunFailure, StopReason } from '../experiments/results';
import type { ExperimentSpec } from '../experiments/spec';
import type { Translate } from '../i18n/translate';
import { formatAccuracy } from './format';
import { failureKey } from './message-keys';

/** Why a run stopped, in a sentence. */
export function describeStop(t: Translate, spec: ExperimentSpec, stop: StopReason): string {
  switch (stop.kind) {
    case 'completed':
      return t('stop.completed', { epochs: spec.epochs });
    case 'target-reached':
      return t('stop.target_reached', { epoch: stop.epoch, accuracy: formatAccuracy(stop.accuracy) });
    case 'early-stopped':
      return t(spec.restoreBestWeights ? 'stop.early_stopped' : 'stop.early_stopped_no_restore', { epoch: stop.epoch, bestEpoch: stop.bestEpoch });
    case 'cancelled':
      return t('stop.cancelled', { epoch: stop.epoch });
    case 'failed':
      return t('stop.failed');
  }
}

/** The explanation of a failure a student can act on. */
export function describeFailure(t: Translate, failure: RunFailure): string {
  return t(failureKey(failure.code), failure.params);
}
