import { learningRateOf, type ExperimentSpec } from '../experiments/spec';
import type { Translate } from '../i18n/translate';

/** The model in one line: "Flatten → Dense 512 relu → Dense 10 softmax · adam lr 0.001 · batch 32 · inputs 0-1". */
export function describeSettings(t: Translate, spec: ExperimentSpec): string {
  return t('result.settings', {
    flatten: spec.flatten ? t('result.settings.flatten') : t('result.settings.no_flatten'),
    units: spec.hiddenUnits,
    extra: spec.extraLayerUnits === null ? '' : t('result.settings.extra', { units: spec.extraLayerUnits }),
    outputs: spec.outputUnits,
    optimizer: spec.optimizer,
    learningRate: learningRateOf(spec),
    batchSize: spec.batchSize,
    normalize: spec.normalize ? t('result.settings.normalized') : t('result.settings.raw'),
    validation: spec.validationSplit > 0 ? t('result.settings.validation', { split: spec.validationSplit }) : '',
    seed: spec.seed === null ? '' : t('result.settings.seed', { seed: spec.seed }),
  });
}
