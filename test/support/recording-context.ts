import type { Answer, CommandContext } from '../../src/commands/command';
import type { Services } from '../../src/commands/services';
import { translator, type Locale } from '../../src/i18n/translate';

export interface Recorded {
  kind: 'reply' | 'progress' | 'followUp' | 'thread';
  answer: Answer;
  thread?: string;
  /** For a thread post: the thread and message it was asked to post in or edit. */
  post?: Parameters<CommandContext['postInThread']>[2];
}

/** A command context that keeps every answer, for tests that call commands without an adapter. */
export function recordingContext(services: Services, options: { locale?: Locale; userId?: string; guildId?: string | null; isTeacher?: boolean } = {}) {
  const answers: Recorded[] = [];
  let threadCount = 0;
  const ctx: CommandContext = {
    user: { id: options.userId ?? 'u1', name: `student ${options.userId ?? 'u1'}` },
    guildId: options.guildId === undefined ? 'g1' : options.guildId,
    channelId: 'c1',
    locale: options.locale ?? 'en',
    t: translator(options.locale ?? 'en'),
    isTeacher: options.isTeacher ?? false,
    services,
    reply: async (answer) => void answers.push({ kind: 'reply', answer }),
    progress: async (answer) => void answers.push({ kind: 'progress', answer }),
    followUp: async (answer) => void answers.push({ kind: 'followUp', answer }),
    postInThread: async (name, answer, post) => {
      answers.push({ kind: 'thread', answer, thread: name, post });
      return { threadId: post?.threadId ?? `thread-${++threadCount}`, messageId: post?.editMessageId ?? `m${answers.length}` };
    },
  };
  const last = () => answers.filter((recorded) => recorded.kind === 'reply').at(-1)?.answer;
  return { ctx, answers, last };
}
