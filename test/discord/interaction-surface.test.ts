/**
 * Where an interaction's answer goes, with a stand-in for discord.js's interaction that records
 * the calls and fails the way Discord does: visibility changes, expired tokens, a late defer.
 */
import { DiscordAPIError, RESTJSONErrorCodes, type RepliableInteraction, type SendableChannels } from 'discord.js';
import type { Logger } from '../../src/commands/services';
import { InteractionSurface, switchMargin } from '../../src/discord/interaction-surface';

type Call = [string, unknown?];

function discordError(code: number, status: number): DiscordAPIError {
  return new DiscordAPIError({ code, message: 'from the stand-in' }, code, status, 'PATCH', '/webhooks/x', {});
}

/** An interaction whose webhook calls start failing with `failWith` after `okCalls` successful ones. */
function standIn(options: { okCalls?: number; failWith?: DiscordAPIError; deferError?: DiscordAPIError } = {}) {
  const calls: Call[] = [];
  let webhookCalls = 0;
  let followUps = 0;
  const webhook = async (name: string, body?: unknown) => {
    webhookCalls += 1;
    if (options.failWith && webhookCalls > (options.okCalls ?? Infinity)) throw options.failWith;
    calls.push([name, body]);
  };
  const interaction = {
    id: '1',
    commandName: 'train',
    isCommand: () => true,
    deferReply: async () => {
      if (options.deferError) throw options.deferError;
      calls.push(['defer']);
    },
    editReply: (body: unknown) => webhook('editReply', body),
    deleteReply: () => webhook('deleteReply'),
    followUp: async (body: unknown) => {
      await webhook('followUp', body);
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
    make: (lifetimeMs?: number) =>
      new InteractionSurface(interaction as unknown as RepliableInteraction, async () => channel as unknown as SendableChannels, log, lifetimeMs),
  };
}

const contentOf = (call: Call) => (call[1] as { content?: string; flags?: number } | undefined)?.content;
const flagsOf = (call: Call) => (call[1] as { flags?: number } | undefined)?.flags;

describe('the answer to an interaction', () => {
  it('defers at once, then edits the deferred reply', async () => {
    const { calls, make } = standIn();
    const surface = make();
    await surface.show({ content: 'queued' }, 'reply');
    await surface.show({ content: 'epoch 1' }, 'progress');
    expect(calls.map(([name]) => name)).toEqual(['defer', 'editReply', 'editReply']);
    expect(calls.map(contentOf)).toEqual([undefined, 'queued', 'epoch 1']);
  });

  it('replaces a bare "thinking…" with an ephemeral follow-up for an ephemeral answer', async () => {
    const { calls, make } = standIn();
    await make().show({ content: 'bad option', ephemeral: true }, 'reply');
    expect(calls.map(([name]) => name)).toEqual(['defer', 'deleteReply', 'followUp']);
    expect(flagsOf(calls[2])).toBe(64);
  });

  it('keeps a public answer the user has seen and adds the ephemeral one after it, then edits that one', async () => {
    const { calls, make } = standIn();
    const surface = make();
    await surface.show({ content: 'queued' }, 'reply');
    await surface.show({ content: 'sorry', ephemeral: true }, 'reply');
    await surface.show({ content: 'sorry again', ephemeral: true }, 'reply');
    expect(calls.map(([name]) => name)).toEqual(['defer', 'editReply', 'followUp', 'editReply']);
    expect(calls[3][1]).toMatchObject({ message: 'followup-1', content: 'sorry again' });
  });

  it('moves to one channel message when Discord says the token expired, sending once and then editing', async () => {
    const { calls, channelCalls, make } = standIn({ okCalls: 1, failWith: discordError(RESTJSONErrorCodes.InvalidWebhookToken, 401) });
    const surface = make();
    await surface.show({ content: 'queued' }, 'reply');
    await surface.show({ content: 'epoch 5' }, 'progress');
    await surface.show({ content: 'result' }, 'reply');
    await surface.followUp({ content: 'one more thing' });
    expect(calls.map(([name]) => name)).toEqual(['defer', 'editReply']);
    expect(channelCalls.map(([name, body]) => [name, (body as { content: string }).content])).toEqual([
      ['send', 'epoch 5'],
      ['edit', 'result'],
      ['send', 'one more thing'],
    ]);
  });

  it('moves to the channel shortly before the token’s lifetime ends, without waiting for an error', async () => {
    const { calls, channelCalls, make } = standIn();
    const surface = make(200);
    await surface.show({ content: 'queued' }, 'reply');
    await new Promise((resolve) => setTimeout(resolve, 200 - switchMargin(200)));
    await surface.show({ content: 'result' }, 'reply');
    expect(calls.map(([name]) => name)).toEqual(['defer', 'editReply']);
    expect(channelCalls.map(([name]) => name)).toEqual(['send']);
  });

  it('answers in the channel when the interaction could not even be acknowledged', async () => {
    const { channelCalls, make } = standIn({ deferError: discordError(RESTJSONErrorCodes.UnknownInteraction, 404) });
    await make().show({ content: 'late, but here' }, 'reply');
    expect(channelCalls.map(([name]) => name)).toEqual(['send']);
  });

  it('lets other failures through to the caller', async () => {
    const { make } = standIn({ okCalls: 1, failWith: discordError(50035, 400) });
    const surface = make();
    await surface.show({ content: 'queued' }, 'reply');
    await expect(surface.show({ content: 'too big' }, 'reply')).rejects.toBeInstanceOf(DiscordAPIError);
  });
});
