/**
 * One simulated student of the soak: thinks a few seconds, then does what students do (train,
 * run exercises, predict, classify good and bad photos, compare, look at history, the queue and
 * the leaderboard, cancel, press the buttons of their results), through the fake Discord only,
 * as a person would. Every command's acknowledgement and every queued job's end is recorded.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { translator } from '../src/i18n/translate';
import type { FakeDiscord, FakeFile, FakeInteraction, FakeUser, RecordedMessage } from '../test/support/fake-discord';

const LOADING = 1 << 7;
const en = translator('en');
const ko = translator('ko');

/** How long a command's first response may take before it counts as missing (the fake refuses it after 3 s anyway). */
const ACK_WAIT_MS = 15_000;
/** A token lives 15 minutes; a job that waited longer than this may end in a channel post instead. */
const TOKEN_LIFETIME_MS = 15 * 60_000;

export interface JobEnd {
  outcome: 'finished' | 'cancelled' | 'failed';
  message: RecordedMessage;
}

/** What the students share: the fake, the photos, the clock and where figures go. */
export interface Classroom {
  fake: FakeDiscord;
  goodPhotos: FakeFile[];
  badPhotos: FakeFile[];
  /** No command starts after this (ms since 1970). */
  deadline: number;
  random: () => number;
  acknowledged(ms: number | null): void;
  jobQueued(end: Promise<JobEnd | null>): void;
}

function buttonIds(message: RecordedMessage): string[] {
  const rows = message.components as { components?: { custom_id?: string }[] }[];
  return rows.flatMap((row) => (row.components ?? []).flatMap((component) => (component.custom_id ? [component.custom_id] : [])));
}

function textOf(message: RecordedMessage): string {
  const embeds = message.embeds as { title?: string; description?: string }[];
  return [message.content, ...embeds.flatMap((embed) => [embed.title ?? '', embed.description ?? ''])].join('\n');
}

/** The job a message said was queued, in any of its versions (a short job may be over already). */
function queuedJobId(message: RecordedMessage): number | null {
  for (const version of message.versions) {
    const rows = (version.payload.components ?? []) as { components?: { custom_id?: string }[] }[];
    const cancel = rows.flatMap((row) => row.components ?? []).find((component) => component.custom_id?.startsWith('cancel:'));
    if (cancel?.custom_id) return Number(cancel.custom_id.split(':')[1]);
  }
  return null;
}

/** How a job ended, if `message` says it did. */
function endShown(message: RecordedMessage, jobId: number): JobEnd['outcome'] | null {
  const buttons = buttonIds(message);
  if (buttons.includes(`rerun:${jobId}`)) return 'failed';
  const cancelled = [en, ko].some((t) => message.content === t('cancel.cancelled', { jobId }) || textOf(message).includes(t('result.headline.cancelled')));
  if (buttons.some((id) => id.startsWith('again:'))) return cancelled ? 'cancelled' : 'finished';
  return message.content === en('cancel.cancelled', { jobId }) || message.content === ko('cancel.cancelled', { jobId }) ? 'cancelled' : null;
}

type Action = (student: Student) => Promise<unknown>;

const ACTIONS: { weight: number; act: Action }[] = [
  { weight: 14, act: (s) => s.train() },
  { weight: 10, act: (s) => s.exercise() },
  { weight: 10, act: (s) => s.slash('predict', { index: s.upTo(10000) }) },
  { weight: 6, act: (s) => s.classify(true) },
  { weight: 6, act: (s) => s.classify(false) },
  { weight: 2, act: (s) => s.classifyMessage() },
  { weight: 5, act: (s) => s.slash('compare') },
  { weight: 8, act: (s) => s.slash('history') },
  { weight: 8, act: (s) => s.slash('queue') },
  { weight: 4, act: (s) => s.slash('leaderboard') },
  { weight: 3, act: (s) => s.slash('help') },
  { weight: 2, act: (s) => s.slash('status') },
  { weight: 4, act: (s) => s.cancel() },
  { weight: 8, act: (s) => s.pressResultButton() },
];
const TOTAL_WEIGHT = ACTIONS.reduce((sum, action) => sum + action.weight, 0);

export class Student {
  private job: { id: number; interaction: FakeInteraction } | null = null;
  private lastResult: RecordedMessage | null = null;

  constructor(
    readonly user: FakeUser,
    private readonly room: Classroom,
    private readonly thinkMs: { min: number; max: number },
  ) {}

  /** Acts until the deadline. */
  async attend(): Promise<void> {
    while (Date.now() < this.room.deadline) {
      await sleep(this.thinkMs.min + this.room.random() * (this.thinkMs.max - this.thinkMs.min));
      if (Date.now() >= this.room.deadline) return;
      await this.pick()(this);
    }
  }

  upTo(count: number): number {
    return Math.floor(this.room.random() * count);
  }

  private choose<T>(items: readonly T[]): T {
    return items[this.upTo(items.length)];
  }

  private pick(): Action {
    let left = this.room.random() * TOTAL_WEIGHT;
    for (const action of ACTIONS) {
      left -= action.weight;
      if (left < 0) return action.act;
    }
    return ACTIONS[0].act;
  }

  async slash(name: string, options: Record<string, string | number | boolean> = {}, attachments?: Record<string, FakeFile>): Promise<FakeInteraction> {
    const interaction = await this.room.fake.slashCommand({ user: this.user, name, options, attachments });
    await this.acknowledgement(interaction);
    return interaction;
  }

  /** A student with a job may still try to train again: the bot refuses, privately. */
  async train(): Promise<void> {
    const options = {
      epochs: 1 + this.upTo(3),
      units: this.choose([16, 32, 64, 128]),
      batch_size: this.choose([32, 64, 128]),
      ...(this.upTo(2) === 0 ? { seed: this.upTo(5) } : {}),
    };
    await this.followIfQueued(await this.slash('train', options));
  }

  async exercise(): Promise<void> {
    await this.followIfQueued(await this.slash('exercise', { number: 1 + this.upTo(8) }));
  }

  async classify(good: boolean): Promise<void> {
    await this.slash('classify', {}, { image: this.choose(good ? this.room.goodPhotos : this.room.badPhotos) });
  }

  async classifyMessage(): Promise<void> {
    const interaction = await this.room.fake.messageCommand({
      user: this.user,
      name: 'Classify clothing',
      targetMessage: { author: this.user, content: 'what is this?', files: [this.choose(this.room.goodPhotos)] },
    });
    await this.acknowledgement(interaction);
  }

  /** Cancels the student's job by /cancel or by its Cancel button, or asks /cancel with nothing to cancel. */
  async cancel(): Promise<void> {
    const progress = this.job && this.latest(this.job.interaction);
    const button = progress && buttonIds(progress).find((id) => id === `cancel:${this.job?.id}`);
    if (progress && button && this.upTo(2) === 0) await this.click(progress, button);
    else await this.slash('cancel');
  }

  /** Run again, Compare or an exercise variant, on the student's last result. */
  async pressResultButton(): Promise<void> {
    const result = this.lastResult;
    const buttons = result ? buttonIds(result).filter((id) => /^(again|compare|variant):/.test(id)) : [];
    if (!result || buttons.length === 0) return this.train();
    const interaction = await this.click(result, this.choose(buttons));
    if (interaction) await this.followIfQueued(interaction);
  }

  private async click(message: RecordedMessage, customId: string): Promise<FakeInteraction | null> {
    const current = this.room.fake.message(message.id);
    if (!current || current.deleted || !buttonIds(current).includes(customId)) return null;
    const interaction = await this.room.fake.clickButton({ user: this.user, messageId: message.id, customId });
    await this.acknowledgement(interaction);
    return interaction;
  }

  private async acknowledgement(interaction: FakeInteraction): Promise<void> {
    try {
      const callback = await interaction.waitFor((i) => i.callbacks[0], ACK_WAIT_MS, 'its first response');
      this.room.acknowledged(callback.elapsedMs);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('Timed out'))) throw error;
      this.room.acknowledged(null);
    }
  }

  private latest(interaction: FakeInteraction): RecordedMessage | undefined {
    return interaction.messages().filter((message) => !message.deleted && (message.flags & LOADING) === 0).at(-1);
  }

  /** When the answer says the job was queued, follows it to its end (a result, a failure, a cancel). */
  private async followIfQueued(interaction: FakeInteraction): Promise<void> {
    const answer = await interaction
      .waitFor((i) => this.latest(i), ACK_WAIT_MS, 'its answer')
      .catch((error: unknown) => {
        if (error instanceof Error && error.message.startsWith('Timed out')) return undefined;
        throw error;
      });
    const jobId = answer && queuedJobId(answer);
    if (!jobId) return;
    this.job = { id: jobId, interaction };
    this.room.jobQueued(
      this.endOf(interaction, jobId).then((end) => {
        if (this.job?.id === jobId) this.job = null;
        if (end?.outcome === 'finished') this.lastResult = end.message;
        return end;
      }),
    );
  }

  /** Resolves when the job's end is shown; null when it never is (a lost job) within the soak's drain. */
  private endOf(interaction: FakeInteraction, jobId: number): Promise<JobEnd | null> {
    const fake = this.room.fake;
    const probe = (): JobEnd | undefined => {
      const candidates = [...interaction.messages()];
      // Once the token is gone the end is posted in the channel instead.
      if (Date.now() - interaction.createdAt > TOKEN_LIFETIME_MS * 0.9) {
        candidates.push(...fake.channelMessages().filter((message) => message.origin.interactionMetadata === undefined && message.authorId === fake.applicationId));
      }
      for (const message of candidates) {
        const outcome = message.deleted ? null : endShown(message, jobId);
        if (outcome) return { outcome, message };
      }
      return undefined;
    };
    return fake.waitFor(probe, Math.max(0, this.room.deadline - Date.now()) + DRAIN_MS, `the end of job ${jobId}`).catch((error: unknown) => {
      if (error instanceof Error && error.message.startsWith('Timed out')) return null;
      throw error;
    });
  }
}

/** How long after the last command the soak waits for the jobs still queued to end. */
export const DRAIN_MS = 10 * 60_000;
