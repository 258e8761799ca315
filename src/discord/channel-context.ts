import type { Answer, CommandContext } from '../commands/command';
import { answerJobEnd } from '../commands/job-end';
import { runAnswer } from '../commands/run-answer';
import { localeFrom, translator } from '../i18n/translate';
import type { JobEnd } from '../jobs/queue';
import type { JobRow } from '../store/jobs';
import { pacedContext, type AnswerSurface } from './answer-surface';
import { ChannelMessage, sendableChannel } from './channel-message';
import type { DiscordDeps } from './interaction-context';
import { postInThread } from './threads';

/**
 * A command context with no interaction behind it, answering in the job's channel: for jobs whose
 * interaction is gone (queued before the bot restarted). Answers there are public.
 */
export function createChannelContext(job: Pick<JobRow, 'userId' | 'userName' | 'guildId' | 'channelId' | 'locale'>, deps: Omit<DiscordDeps, 'tokenLifetimeMs'>): CommandContext {
  const { client, services } = deps;
  const message = new ChannelMessage(() => sendableChannel(client, job.channelId));
  const surface: AnswerSurface = {
    show: (answer: Answer) => message.show(answer),
    followUp: (answer: Answer) => message.send(answer),
  };
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
    surface,
    services.log,
  );
}

/** Posts the end of a job nobody was watching in the channel it was started from. */
export async function announceUnwatchedEnd(end: JobEnd, deps: Omit<DiscordDeps, 'tokenLifetimeMs'>): Promise<void> {
  const { log } = deps.services;
  if (end.job.kind === 'class-model') {
    // The photo that asked for it was answered (or not) before the restart; nothing to post.
    log.info(`class model job ${end.job.id} ended with nobody watching`);
    return;
  }
  if (end.job.channelId === null) {
    log.info(`job ${end.job.id} ended with nobody watching and no channel to tell`);
    return;
  }
  const ctx = createChannelContext(end.job, deps);
  try {
    await answerJobEnd(ctx, end, (run) => runAnswer(ctx, run));
  } catch (error) {
    log.error(`could not announce the end of job ${end.job.id} in channel ${end.job.channelId}`, error);
  }
}
