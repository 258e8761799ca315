import fs from 'node:fs';
import path from 'node:path';
import { checkAttachment } from '../images/attachment-check';
import type { ImageError } from '../images/image-error';
import { preprocessPhoto } from '../images/preprocess';
import type { ModelRef } from '../protocol/trainer-messages';
import type { ClassModelRecord } from '../store/class-models';
import type { MessageKey } from '../i18n/translate';
import { AttachmentTooLargeError, type Answer, type AttachmentInput, type CommandContext } from './command';
import { formatAccuracy, formatDuration, formatProbability } from './format';
import { describePrediction, rankClasses } from './prediction-answer';
import { classNames } from './class-names';
import { findRunWithModel } from './run-lookup';
import { refusal } from './refusal';

const MEGABYTE = 1024 * 1024;

/** The polite sentence for a refused picture, in the user's language. */
export function describeImageError(ctx: CommandContext, error: ImageError): string {
  const params = {
    ...error.params,
    megabytes: typeof error.params.bytes === 'number' ? (error.params.bytes / MEGABYTE).toFixed(1) : '?',
    limit:
      error.code === 'too-many-pixels'
        ? Math.round(Number(error.params.maxPixels) / 1e6)
        : Math.round(ctx.services.config.MAX_UPLOAD_MB),
  };
  return ctx.t(`image.${error.code}` as MessageKey, params);
}

function imageRefusal(ctx: CommandContext, error: ImageError): Answer {
  return refusal(error.code, describeImageError(ctx, error));
}

function usableClassModel(ctx: CommandContext): ClassModelRecord | null {
  const record = ctx.services.classModels.latest();
  return record && fs.existsSync(path.join(record.path, 'model.json')) ? record : null;
}

/**
 * The class model, trained first (in the trainer's queue, ahead of training runs) when there is
 * none yet; the user is told while they wait. Null when its training failed (the user is told).
 */
export async function ensureClassModel(ctx: CommandContext): Promise<ClassModelRecord | null> {
  const ready = usableClassModel(ctx);
  if (ready) return ready;
  let ended: (record: ClassModelRecord | null) => void = () => undefined;
  const done = new Promise<ClassModelRecord | null>((resolve) => (ended = resolve));
  const submission = ctx.services.queue.submitClassModel(ctx.user, { guildId: ctx.guildId, channelId: ctx.channelId, locale: ctx.locale }, {
    onEnd: (end) => {
      if (!end.classModel) ctx.services.log.error(`class model job ${end.job.id} ended without a model: ${end.failure?.detail ?? 'cancelled'}`);
      ended(end.classModel);
    },
  });
  await ctx.progress({
    content: ctx.t('classify.training_class_model', { jobId: submission.job.id, estimate: formatDuration(submission.estimateSeconds) }),
  });
  const record = await done;
  if (!record) await ctx.reply({ content: ctx.t('classify.class_model_failed'), data: { error: { code: 'class-model-failed', message: ctx.t('classify.class_model_failed') } } });
  return record;
}

/** The bytes, or the error saying the download ran past the cap (the declared size may lie). */
async function fetchWithin(attachment: AttachmentInput): Promise<Uint8Array | AttachmentTooLargeError> {
  try {
    return await attachment.fetch();
  } catch (error) {
    if (error instanceof AttachmentTooLargeError) return error;
    throw error;
  }
}

type ChosenModel = { ref: ModelRef; normalize: boolean; line: string };

/** The model that answers: a named run's, or the class model. */
async function chooseModel(ctx: CommandContext, runId: string | undefined): Promise<ChosenModel | Answer> {
  if (runId !== undefined) {
    const run = findRunWithModel(ctx, runId);
    if (!run.ok) return refusal('no-run', run.message);
    const accuracy = run.value.result.evaluation ? formatAccuracy(run.value.result.evaluation.testAccuracy) : '-';
    return {
      ref: { kind: 'run', path: run.value.result.modelPath ?? '' },
      normalize: run.value.spec.normalize,
      line: ctx.t('classify.model.run', { runId: run.value.runId, user: run.value.ownerName, accuracy }),
    };
  }
  const classModel = await ensureClassModel(ctx);
  if (!classModel) return { content: ctx.t('classify.class_model_failed'), data: { error: { code: 'class-model-failed', message: ctx.t('classify.class_model_failed') } } };
  return {
    ref: { kind: 'class-model', path: classModel.path },
    normalize: true,
    line: ctx.t('classify.model.class', { accuracy: formatAccuracy(classModel.testAccuracy) }),
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
  if (!declared.ok) return imageRefusal(ctx, declared.error);
  const bytes = await fetchWithin(attachment);
  if (bytes instanceof AttachmentTooLargeError || bytes.length > maxBytes) {
    const size = bytes instanceof AttachmentTooLargeError ? bytes.bytes : bytes.length;
    return imageRefusal(ctx, { code: 'too-large', params: { name: attachment.name, bytes: size, maxBytes } });
  }
  const photo = await preprocessPhoto(bytes);
  if (!photo.ok) return imageRefusal(ctx, photo.error);
  const model = await chooseModel(ctx, runId);
  if (!('ref' in model)) return model;
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
