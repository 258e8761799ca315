/**
 * Where an interaction's answer goes, with a stand-in for discord.js's interaction that records
 * the calls and fails the way Discord does: visibility changes, expired tokens, a late or refused
 * first response. Time is the subject here, so the clock is jest's.
 */
import { DiscordAPIError, RESTJSONErrorCodes, type RepliableInteraction, type SendableChannels } from 'discord.js';
import type { Logger } from '../../src/logger';
import { DEFER_AFTER_MS, InteractionSurface } from '../../src/discord/interaction-surface';
import { switchMargin } from '../../src/discord/token-window';

type Call = [string, unknown?];

function discordError(code: number, status: number): DiscordAPIError {
  return new DiscordAPIError({ code, message: 'from the stand-in' }, code, status, 'PATCH', '/webhooks/x', {});
}

interface StandInOptions {
  /** Calls that succeed before every later one fails with `failWith`. */
  okCalls?: number;
  failWith?: DiscordAPIError;
  /** Errors of the first response itself. */
  replyError?: DiscordAPIError;
  deferError?: DiscordAPIError;
}

/** An interaction whose calls start failing with `failWith` after `okCalls` successful ones. */
function standIn(options: StandInOptions = {}) {
  const calls: Call[] = [];
  let counted = 0;
  let followUps = 0;
  const call = async (name: string, body?: unknown) => {
    counted += 1;
    if (options.failWith && counted > (options.okCalls ?? Infinity)) throw options.failWith;
    calls.push([name, body]);
  };
  let replyError = options.replyError;
  const interaction = {
    id: '1',
    commandName: 'train',
    isCommand: () => true,
    reply: async (body: unknown) => {
      const error = replyError;
      replyError = undefined;
      if (error) throw error;
      await call('reply', body);
    },
    deferReply: async () => {
      if (options.deferError) throw options.deferError;
      await call('defer');
    },
    editReply: (body: unknown) => call('editReply', body),
    deleteReply: () => call('deleteReply'),
    followUp: async (body: unknown) => {
      await call('followUp', body);
      followUps += 1;
      return { id: `followup-${followUps}` };
    },
  };
  const channelCalls: Call[] = [];
  const message = { edit: async (body: unknown) => (channelCalls.push(['edit', body]), message) };
  const channel = { send: async (body: unknown) => (channelCalls.push(['send', body]), message) };
  const log: Logger = { info: () => undefined, error: () => undefined };
  return {
    calls,
    channelCalls,
    names: () => calls.map(([name]) => name),
    make: (lifetimeMs?: number) =>
      new InteractionSurface(interaction as unknown as RepliableInteraction, async () => channel as unknown as SendableChannels, log, lifetimeMs),
  };
}

const contentOf = (call: Call) => (call[1] as { content?: string } | undefined)?.content;
const flagsOf = (call: Call) => (call[1] as { flags?: number } | undefined)?.flags;
const EPHEMERAL = 64;

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('the answer to an interaction', () => {
  it('sends a refusal decided at once as the first response, private from the start, with no "thinking…"', async () => {
    const { calls, names, make } = standIn();
    await make().show({ content: 'bad option', ephemeral: true }, 'reply');
    await jest.advanceTimersByTimeAsync(DEFER_AFTER_MS * 2);
    expect(names()).toEqual(['reply']);
    expect(flagsOf(calls[0])).toBe(EPHEMERAL);
    expect(contentOf(calls[0])).toBe('bad option');
  });

  it('sends a public answer given at once as the first response, then edits it', async () => {
    const { calls, names, make } = standIn();
    const surface = make();
    await surface.show({ content: 'queued' }, 'reply');
    await surface.show({ content: 'epoch 1' }, 'progress');
    expect(names()).toEqual(['reply', 'editReply']);
    expect(flagsOf(calls[0])).toBeUndefined();
    expect(calls.map(contentOf)).toEqual(['queued', 'epoch 1']);
  });

  it('defers when no answer came within DEFER_AFTER_MS, then edits the deferred reply', async () => {
    const { calls, names, make } = standIn();
    const surface = make();
    await jest.advanceTimersByTimeAsync(DEFER_AFTER_MS - 1);
    expect(names()).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(names()).toEqual(['defer']);
    await surface.show({ content: 'the ten probabilities' }, 'reply');
    expect(names()).toEqual(['defer', 'editReply']);
    expect(contentOf(calls[1])).toBe('the ten probabilities');
  });

  it('replaces a bare "thinking…" with an ephemeral follow-up for an ephemeral answer that came late', async () => {
    const { calls, names, make } = standIn();
    const surface = make();
    await jest.advanceTimersByTimeAsync(DEFER_AFTER_MS);
    await surface.show({ content: 'no such run', ephemeral: true }, 'reply');
    expect(names()).toEqual(['defer', 'deleteReply', 'followUp']);
    expect(flagsOf(calls[2])).toBe(EPHEMERAL);
  });

  it('keeps a public answer the user has seen and adds the ephemeral one after it, then edits that one', async () => {
    const { calls, names, make } = standIn();
    const surface = make();
    await surface.show({ content: 'queued' }, 'reply');
    await surface.show({ content: 'sorry', ephemeral: true }, 'reply');
    await surface.show({ content: 'sorry again', ephemeral: true }, 'reply');
    expect(names()).toEqual(['reply', 'followUp', 'editReply']);
    expect(calls[2][1]).toMatchObject({ message: 'followup-1', content: 'sorry again' });
  });

  it('moves to one channel message when Discord says the token expired, sending once and then editing', async () => {
    const { channelCalls, names, make } = standIn({ okCalls: 1, failWith: discordError(RESTJSONErrorCodes.InvalidWebhookToken, 401) });
    const surface = make();
    await surface.show({ content: 'queued' }, 'reply');
    await surface.show({ content: 'epoch 5' }, 'progress');
    await surface.show({ content: 'result' }, 'reply');
    await surface.followUp({ content: 'one more thing' });
    expect(names()).toEqual(['reply']);
    expect(channelCalls.map(([name, body]) => [name, (body as { content: string }).content])).toEqual([
      ['send', 'epoch 5'],
      ['edit', 'result'],
      ['send', 'one more thing'],
    ]);
  });

  it('moves to the channel shortly before the token’s lifetime ends, without waiting for an error', async () => {
    const { channelCalls, names, make } = standIn();
    const lifetime = 10 * 60 * 1000;
    const surface = make(lifetime);
    await surface.show({ content: 'queued' }, 'reply');
    await jest.advanceTimersByTimeAsync(lifetime - switchMargin(lifetime) - 1);
    await surface.show({ content: 'epoch 9' }, 'progress');
    await jest.advanceTimersByTimeAsync(1);
    await surface.show({ content: 'result' }, 'reply');
    expect(names()).toEqual(['reply', 'editReply']);
    expect(channelCalls.map(([name]) => name)).toEqual(['send']);
  });

  it('answers in the channel when the interaction could not even be acknowledged', async () => {
    const late = standIn({ replyError: discordError(RESTJSONErrorCodes.UnknownInteraction, 404) });
    await late.make().show({ content: 'late, but here' }, 'reply');
    expect(late.channelCalls.map(([name]) => name)).toEqual(['send']);

    const lateDeferral = standIn({ deferError: discordError(RESTJSONErrorCodes.UnknownInteraction, 404) });
    const surface = lateDeferral.make();
    await jest.advanceTimersByTimeAsync(DEFER_AFTER_MS);
    await surface.show({ content: 'slow, and late' }, 'reply');
    expect(lateDeferral.channelCalls.map(([name]) => name)).toEqual(['send']);
  });

  it('defers at once when Discord refuses the first response, so that the apology after it still answers', async () => {
    const { calls, names, make } = standIn({ replyError: discordError(50035, 400) });
    const surface = make();
    await expect(surface.show({ content: 'too big' }, 'reply')).rejects.toBeInstanceOf(DiscordAPIError);
    await surface.show({ content: 'sorry', ephemeral: true }, 'reply');
    expect(names()).toEqual(['defer', 'deleteReply', 'followUp']);
    expect(contentOf(calls[2])).toBe('sorry');
  });

  it('lets other failures through to the caller', async () => {
    const { make } = standIn({ okCalls: 1, failWith: discordError(50035, 400) });
    const surface = make();
    await surface.show({ content: 'queued' }, 'reply');
    await expect(surface.show({ content: 'too big' }, 'reply')).rejects.toBeInstanceOf(DiscordAPIError);
  });
});
