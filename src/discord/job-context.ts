import { InteractionWebhook } from 'discord.js';
import type { Answer, CommandContext } from '../commands/command';
import { answerJobEnd } from '../commands/job-end';
import { cancelButton, followJob } from '../commands/job-progress';
import { runAnswer } from '../commands/run-answer';
import { storedSpecSchema } from '../experiments/spec';
import { localeFrom, translator } from '../i18n/translate';
import { trainingPayloadSchema, type JobEnd, type JobListener, type RecoveredAs } from '../jobs/queue';
import type { JobRow } from '../store/jobs';
import { pacedContext, type AnswerSurface } from './answer-surface';
import { ChannelMessage, sendableChannel } from './channel-message';
import type { DiscordDeps } from './interaction-context';
import { interactionRefSchema } from './interaction-ref';
import { postInThread } from './threads';
import { TokenWindow } from './token-window';
import { WebhookSurface } from './webhook-surface';

type JobPlace = Pick<JobRow, 'id' | 'userId' | 'userName' | 'guildId' | 'channelId' | 'locale' | 'replyRef'>;

/** Where a job's answers go: the student's message while the interaction's token lives, else one channel message. */
function jobSurface(job: JobPlace, deps: DiscordDeps): AnswerSurface {
  const { client, services } = deps;
  const channel = new ChannelMessage(() => sendableChannel(client, job.channelId));
  const ref = interactionRefSchema.safeParse(job.replyRef);
  if (!ref.success || !client.isReady()) return { show: (answer: Answer) => channel.show(answer), followUp: (answer: Answer) => channel.send(answer) };
  const webhook = new InteractionWebhook(client, ref.data.applicationId, ref.data.token);
  return new WebhookSurface(webhook, new TokenWindow(`job #${job.id}`, ref.data.createdAt, deps.tokenLifetimeMs, services.log), channel);
}

/**
 * A command context for a job whose interaction this process never saw (queued before the bot
 * restarted, or nobody follows it). It answers where the student is looking, in their language:
 * their own message while its token lives, else a public post in the job's channel.
 */
export function createJobContext(job: JobPlace, deps: DiscordDeps): CommandContext {
  const { client, services } = deps;
  const locale = localeFrom(job.locale);
  return pacedContext(
    {
      user: { id: job.userId, name: job.userName },
      guildId: job.guildId,
      channelId: job.channelId,
      locale,
      t: translator(locale),
      isTeacher: false,
      services,
      postInThread: (name, answer, options) => postInThread(client, job.channelId, name, answer, options),
    },
    jobSurface(job, deps),
    services.log,
  );
}

/** Whether there is anywhere to answer a job's student. */
function reachable(job: JobPlace): boolean {
  return job.channelId !== null || interactionRefSchema.safeParse(job.replyRef).success;
}

/** Posts the end of a job nobody was watching where its student is looking. */
export async function announceUnwatchedEnd(end: JobEnd, deps: DiscordDeps): Promise<void> {
  const { log } = deps.services;
  if (end.job.kind === 'class-model') {
    // The photo that asked for it was answered (or not) before the restart; nothing to post.
    log.info(`class model job ${end.job.id} ended with nobody watching`);
    return;
  }
  if (!reachable(end.job)) {
    log.info(`job ${end.job.id} ended with nobody watching and no channel to tell`);
    return;
  }
  const ctx = createJobContext(end.job, deps);
  try {
    await answerJobEnd(ctx, end, (run) => runAnswer(ctx, run));
  } catch (error) {
    log.error(`could not announce the end of job ${end.job.id} in channel ${end.job.channelId}`, error);
  }
}

/**
 * The listener that answers the student of a training job left from before a restart: one that
 * was running says at once that it runs again, first in the queue (or, on a worker, that it
 * trained on); then come its progress and its end. Null when there is nobody to tell (the class model) or the job is unreadable (the queue
 * fails it, and its end is announced).
 */
export function followRecoveredJob(job: JobRow, recoveredAs: RecoveredAs, deps: DiscordDeps, track: (work: Promise<void>) => void): JobListener | null {
  const payload = trainingPayloadSchema.safeParse(job.payload);
  const spec = payload.success ? storedSpecSchema.safeParse(payload.data.spec) : null;
  if (job.kind === 'class-model' || !reachable(job) || !payload.success || !spec?.success) return null;
  const { log } = deps.services;
  const ctx = createJobContext(job, deps);
  const queued = { runId: payload.data.runId, jobId: job.id };
  const preface = recoveredAs === 'waiting' ? undefined : ctx.t(recoveredAs === 'rerun' ? 'queue.restarted' : 'queue.resumed', queued);
  if (preface) track(ctx.reply({ content: preface, buttons: [cancelButton(ctx, job.id)] }).catch((error: unknown) => log.error(`could not tell the student of job ${job.id} that it runs again`, error)));
  const follower = followJob(ctx, spec.data, preface, () => queued);
  track(
    follower.end
      .then((end) => answerJobEnd(ctx, end, (run) => runAnswer(ctx, run)))
      .catch((error: unknown) => log.error(`could not answer the end of job ${job.id}`, error)),
  );
  return follower.listener;
}
