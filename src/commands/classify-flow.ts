import fs from 'node:fs';
import path from 'node:path';
import { checkAttachment } from '../images/attachment-check';
import { imageError, type ImageError } from '../images/image-error';
import { preprocessPhoto } from '../images/preprocess';
import type { ModelRef } from '../protocol/trainer-messages';
import type { Result } from '../result';
import type { ClassModelRecord } from '../store/class-models';
import { AttachmentTooLargeError, type Answer, type AttachmentInput, type CommandContext } from './command';
import { formatAccuracy, formatDuration, formatProbability } from './format';
import { imageErrorKey } from './message-keys';
import { describePrediction, rankClasses } from './prediction-answer';
import { classNames } from './class-names';
import { findRunWithModel } from './run-lookup';
import { refusal, refusalAnswer, refused, type Checked, type Refusal } from './refusal';

const MEGABYTE = 1024 * 1024;

/** A refused picture, with the polite sentence of its error. */
function imageRefusal(ctx: CommandContext, error: ImageError): Refusal {
  const params = {
    ...error.params,
    megabytes: typeof error.params.bytes === 'number' ? (error.params.bytes / MEGABYTE).toFixed(1) : '?',
    limit:
      error.code === 'too-many-pixels'
        ? Math.round(Number(error.params.maxPixels) / 1e6)
        : Math.round(ctx.services.config.MAX_UPLOAD_MB),
  };
  return refusal(error.code, imageErrorKey(error.code), params);
}

function usableClassModel(ctx: CommandContext): ClassModelRecord | null {
  const record = ctx.services.classModels.latest();
  return record && fs.existsSync(path.join(record.path, 'model.json')) ? record : null;
}

/** The class model could not be trained: that concerns the whole class, so everyone sees it. */
const CLASS_MODEL_FAILED: Refusal = { ...refusal('class-model-failed', 'classify.class_model_failed'), visibleToAll: true };

/**
 * The class model, trained first (in the trainer's queue, ahead of training runs) when there is
 * none yet; the user is told while they wait.
 */
async function ensureClassModel(ctx: CommandContext): Promise<Checked<ClassModelRecord>> {
  const ready = usableClassModel(ctx);
  if (ready) return { ok: true, value: ready };
  let ended: (record: ClassModelRecord | null) => void = () => undefined;
  const done = new Promise<ClassModelRecord | null>((resolve) => (ended = resolve));
  const submission = ctx.services.queue.submitClassModel(ctx.user, { guildId: ctx.guildId, channelId: ctx.channelId, locale: ctx.locale }, {
    onEnd: (end) => {
      if (end.kind === 'class-model') return ended(end.classModel);
      ctx.services.log.error(`class model job ${end.job.id} ended without a model: ${end.kind === 'failed' ? end.failure.detail : end.kind}`);
      ended(null);
    },
  });
  await ctx.progress({
    content: ctx.t('classify.training_class_model', { jobId: submission.job.id, estimate: formatDuration(submission.estimateSeconds) }),
  });
  const record = await done;
  return record ? { ok: true, value: record } : refused(CLASS_MODEL_FAILED);
}

/** The bytes, or the error saying they are over the cap by what arrived (the declared size may lie). */
async function fetchWithin(attachment: AttachmentInput, maxBytes: number): Promise<Result<{ bytes: Uint8Array }, { error: ImageError }>> {
  const tooLarge = (bytes: number) => ({ ok: false as const, error: imageError('too-large', { name: attachment.name, bytes, maxBytes }) });
  let bytes: Uint8Array;
  try {
    bytes = await attachment.fetch();
  } catch (error) {
    if (error instanceof AttachmentTooLargeError) return tooLarge(error.bytes);
    throw error;
  }
  return bytes.length > maxBytes ? tooLarge(bytes.length) : { ok: true, bytes };
}

interface ChosenModel {
  ref: ModelRef;
  normalize: boolean;
  line: string;
}

/** The model that answers: a named run's, or the class model. */
async function chooseModel(ctx: CommandContext, runId: string | undefined): Promise<Checked<ChosenModel>> {
  if (runId !== undefined) {
    const run = findRunWithModel(ctx, runId);
    if (!run.ok) return run;
    const accuracy = run.value.result.evaluation ? formatAccuracy(run.value.result.evaluation.testAccuracy) : '-';
    return {
      ok: true,
      value: {
        ref: { kind: 'run', path: run.value.result.modelPath ?? '' },
        normalize: run.value.spec.normalize,
        line: ctx.t('classify.model.run', { runId: run.value.runId, user: run.value.ownerName, accuracy }),
      },
    };
  }
  const classModel = await ensureClassModel(ctx);
  if (!classModel.ok) return classModel;
  return {
    ok: true,
    value: {
      ref: { kind: 'class-model', path: classModel.value.path },
      normalize: true,
      line: ctx.t('classify.model.class', { accuracy: formatAccuracy(classModel.value.testAccuracy) }),
    },
  };
}

/**
 * Classifies one uploaded photo: checks it before downloading, preprocesses it into what the
 * model expects, and answers with the top three, a probability chart and the 28x28 picture the
 * model saw. Bad pictures get a clear answer and change nothing.
 */
export async function classifyAttachment(ctx: CommandContext, attachment: AttachmentInput, runId?: string): Promise<Answer> {
  const maxBytes = ctx.services.config.maxUploadBytes;
  const declared = checkAttachment(attachment, maxBytes);
  if (!declared.ok) return refusalAnswer(ctx.t, imageRefusal(ctx, declared.error));
  const fetched = await fetchWithin(attachment, maxBytes);
  if (!fetched.ok) return refusalAnswer(ctx.t, imageRefusal(ctx, fetched.error));
  const photo = await preprocessPhoto(fetched.bytes);
  if (!photo.ok) return refusalAnswer(ctx.t, imageRefusal(ctx, photo.error));
  const chosen = await chooseModel(ctx, runId);
  if (!chosen.ok) return refusalAnswer(ctx.t, chosen.refusal);
  const model = chosen.value;
  const prediction = await ctx.services.trainer.predict(model.ref, { kind: 'pixels', pixels: Array.from(photo.pixels) }, model.normalize);
  const [best] = rankClasses(prediction.probabilities, classNames(ctx.t));
  const lines = [
    ctx.t('classify.answer', { class: best.name, probability: formatProbability(best.probability) }),
    ...(photo.inverted ? [ctx.t('classify.inverted')] : []),
    ctx.t('classify.seen'),
    model.line,
  ];
  const answer = await describePrediction(ctx, prediction, ctx.t('classify.title', { name: attachment.name }), lines, path.parse(attachment.name).name || 'photo');
  return { ...answer, data: { ...(answer.data as object), model: model.ref.kind, inverted: photo.inverted } };
}
