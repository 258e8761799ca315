import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Routes,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type MessageContextMenuCommandInteraction,
  type TextChannel,
} from 'discord.js';
import sharp from 'sharp';
import { WebSocket } from 'ws';
import { FakeDiscord, type FakeDiscordOptions, type FakeUser } from './fake-discord';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const mina: FakeUser = { id: '212345678901234567', username: 'mina', locale: 'ko' };

const trainCommand = {
  name: 'train',
  description: 'Train a network',
  description_localizations: { ko: '신경망을 학습합니다' },
  options: [
    { type: 4, name: 'epochs', description: 'Epochs', required: true, min_value: 1, max_value: 50 },
    { type: 10, name: 'learning_rate', description: 'Learning rate' },
    { type: 5, name: 'normalize', description: 'Scale pixels to 0-1' },
    {
      type: 3,
      name: 'optimizer',
      description: 'Optimizer',
      choices: [
        { name: 'Adam', value: 'adam' },
        { name: 'SGD', value: 'sgd' },
      ],
    },
    { type: 11, name: 'photo', description: 'A photo' },
    { type: 3, name: 'model', description: 'Saved model', autocomplete: true },
  ],
};

/** A command with subcommands, as a bot registers one. */
const labCommand = {
  name: 'lab',
  description: 'Run the lab',
  options: [
    { type: 1, name: 'pause', description: 'Pause the lab' },
    {
      type: 1,
      name: 'limits',
      description: 'Set limits',
      options: [
        { type: 4, name: 'max_epochs', description: 'Most epochs', min_value: 1, max_value: 1000 },
        { type: 6, name: 'student', description: 'A student' },
      ],
    },
  ],
};

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fake Discord and a real discord.js client logged in to it, its commands registered. */
async function connect(options: FakeDiscordOptions = {}) {
  const fake = await FakeDiscord.start(options);
  cleanups.push(() => fake.stop());
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: `${fake.url}/api` },
    allowedMentions: { parse: [] },
  });
  cleanups.push(() => client.destroy());
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  await client.application!.commands.set(
    [trainCommand, { type: 3, name: 'Classify clothing' }],
    fake.guildId,
  );
  return { fake, client };
}

function nextInteraction(client: Client): Promise<Interaction> {
  return once(client, Events.InteractionCreate).then(([interaction]) => interaction as Interaction);
}

async function slash(fake: FakeDiscord, client: Client, options: Record<string, string | number | boolean> = { epochs: 3 }) {
  const arrived = nextInteraction(client);
  const recorded = await fake.slashCommand({ user: mina, name: 'train', options });
  return { recorded, interaction: (await arrived) as ChatInputCommandInteraction };
}

function pngOf(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#336699' } }).png().toBuffer();
}

describe('fake Discord with the real discord.js client', () => {
  it('takes a login through HELLO, IDENTIFY, READY and GUILD_CREATE and acknowledges heartbeats', async () => {
    const { fake, client } = await connect({ heartbeatIntervalMs: 50 });

    expect(client.user?.id).toBe(fake.applicationId);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(fake.channelId)?.isTextBased()).toBe(true);
    expect(fake.stats.identifies).toEqual([{ intents: GatewayIntentBits.Guilds }]);

    // discord.js measures the ping only from an acknowledged heartbeat, once it has read the
    // acknowledgement: the probe runs again at each of the next heartbeats (every 50 ms).
    await fake.waitFor((f) => f.stats.heartbeats >= 2 && client.ws.ping >= 0, 60_000, 'two heartbeats, and a ping measured by discord.js');
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it('refuses a wrong token on REST', async () => {
    const fake = await FakeDiscord.start();
    cleanups.push(() => fake.stop());
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: `${fake.url}/api` } });
    cleanups.push(() => client.destroy());

    await expect(client.login('not.the.token')).rejects.toThrow(/token/i);
    expect(fake.stats.rejections[0]).toMatchObject({ path: '/gateway/bot', status: 401 });
  });

  it('closes the gateway on another API version (4012) and on a wrong token in IDENTIFY (4004)', async () => {
    const fake = await FakeDiscord.start();
    cleanups.push(() => fake.stop());

    const oldVersion = new WebSocket(`${fake.gatewayUrl}?v=9&encoding=json`);
    expect((await once(oldVersion, 'close'))[0]).toBe(4012);

    const socket = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json`);
    const [hello] = await once(socket, 'message');
    expect(JSON.parse(String(hello))).toEqual({ op: 10, d: { heartbeat_interval: 41_250 } });
    socket.send(JSON.stringify({ op: 2, d: { token: 'wrong', intents: 1, properties: {} } }));
    expect((await once(socket, 'close'))[0]).toBe(4004);
  });

  it('disconnects a client still connected on stop() with a code it does not reconnect after', async () => {
    const { fake, client } = await connect();
    const disconnected = once(client, Events.ShardDisconnect);

    await fake.stop();

    expect((await disconnected)[0]).toMatchObject({ code: 4004 });
    expect(fake.botConnected).toBe(false);
  });

  it('records registered commands, keeps their ids on overwrite and refuses what Discord refuses', async () => {
    const { fake, client } = await connect();
    const first = fake.registeredCommands('guild').map((command) => command.id);

    await client.application!.commands.set([trainCommand], fake.guildId);
    await client.application!.commands.set([{ name: 'help', description: 'Help' }]);

    expect(fake.registeredCommands('guild').map((command) => [command.name, command.id])).toEqual([['train', first[0]]]);
    expect(fake.registeredCommands('global').map((command) => command.name)).toEqual(['help']);
    const fetched = await client.application!.commands.fetch({ guildId: fake.guildId });
    expect(fetched.map((command) => command.descriptionLocalizations?.ko)).toEqual(['신경망을 학습합니다']);

    const refused = client.application!.commands.set(
      [{ name: 'Train', description: 'x'.repeat(101), name_localizations: { 'ko-KR': 'train' } }] as never,
      fake.guildId,
    );
    await expect(refused).rejects.toMatchObject({ status: 400, code: 50035 });
  });

  it('delivers a slash command with options typed as Discord sends them, attachment bytes served', async () => {
    const { fake, client } = await connect();
    const photo = await pngOf(28, 28);
    const arrived = nextInteraction(client);

    const recorded = await fake.slashCommand({
      user: { ...mina, roles: [] },
      name: 'train',
      options: { epochs: 30, learning_rate: 0.001, normalize: false, optimizer: 'sgd' },
      attachments: { photo: { name: 'shirt.png', contentType: 'image/png', bytes: photo } },
    });
    const interaction = (await arrived) as ChatInputCommandInteraction;

    const data = recorded.payload.data as { options: Array<{ name: string; type: number }> };
    expect(data.options.map((option) => [option.name, option.type])).toEqual([
      ['epochs', 4],
      ['learning_rate', 10],
      ['normalize', 5],
      ['optimizer', 3],
      ['photo', 11],
    ]);
    expect(interaction.commandName).toBe('train');
    expect(interaction.locale).toBe('ko');
    expect(interaction.user.username).toBe('mina');
    expect(interaction.options.getInteger('epochs')).toBe(30);
    expect(interaction.options.getNumber('learning_rate')).toBe(0.001);
    expect(interaction.options.getBoolean('normalize')).toBe(false);
    expect(interaction.options.getString('optimizer')).toBe('sgd');
    const attachment = interaction.options.getAttachment('photo', true);
    expect([attachment.name, attachment.width, attachment.height]).toEqual(['shirt.png', 28, 28]);
    const downloaded = Buffer.from(await (await fetch(attachment.url)).arrayBuffer());
    expect(downloaded.equals(photo)).toBe(true);
  });

  it('refuses to dispatch what the Discord client would not let a user send', async () => {
    const { fake } = await connect();

    await expect(fake.slashCommand({ user: mina, name: 'train', options: { epochs: 99 } })).rejects.toThrow(/maximum 50/);
    await expect(fake.slashCommand({ user: mina, name: 'train', options: { epochs: 2.5 } })).rejects.toThrow(/integer/);
    await expect(fake.slashCommand({ user: mina, name: 'train', options: {} })).rejects.toThrow(/needs option "epochs"/);
    await expect(fake.slashCommand({ user: mina, name: 'nope' })).rejects.toThrow(/No command "nope"/);
  });

  it('delivers a subcommand with its own options nested in it, as Discord sends them', async () => {
    const { fake, client } = await connect();
    await client.application!.commands.set([trainCommand, labCommand], fake.guildId);
    const arrived = nextInteraction(client);
    const recorded = await fake.slashCommand({ user: mina, name: 'lab', subcommand: 'limits', options: { max_epochs: 10, student: mina } });
    const interaction = (await arrived) as ChatInputCommandInteraction;

    const [subcommand] = (recorded.payload.data as { options: { name: string; type: number; options?: { name: string; type: number }[] }[] }).options;
    expect(subcommand).toMatchObject({ name: 'limits', type: 1, options: [{ name: 'max_epochs', type: 4 }, { name: 'student', type: 6 }] });
    expect(interaction.options.getSubcommand()).toBe('limits');
    expect(interaction.options.getInteger('max_epochs')).toBe(10);
    expect(interaction.options.getUser('student')?.username).toBe('mina');

    const bare = nextInteraction(client);
    const paused = await fake.slashCommand({ user: mina, name: 'lab', subcommand: 'pause' });
    expect((paused.payload.data as { options: unknown[] }).options).toEqual([{ name: 'pause', type: 1 }]);
    expect(((await bare) as ChatInputCommandInteraction).options.getSubcommand()).toBe('pause');
  });

  it('refuses commands that mix subcommands with plain options or nest them too deep, and a command sent without its subcommand', async () => {
    const { fake, client } = await connect();
    const mixed = client.application!.commands.set([{ ...labCommand, options: [...labCommand.options, { type: 5, name: 'loud', description: 'Loudly' }] }], fake.guildId);
    await expect(mixed).rejects.toMatchObject({ status: 400, code: 50035, message: expect.stringMatching(/mutually exclusive to all other types/) });
    const nested = client.application!.commands.set(
      [{ name: 'lab', description: 'Lab', options: [{ type: 1, name: 'pause', description: 'Pause', options: [{ type: 1, name: 'deeper', description: 'Deeper' }] }] }] as never,
      fake.guildId,
    );
    await expect(nested).rejects.toMatchObject({ status: 400, code: 50035, message: expect.stringMatching(/cannot contain these option types/) });

    await client.application!.commands.set([labCommand], fake.guildId);
    await expect(fake.slashCommand({ user: mina, name: 'lab' })).rejects.toThrow(/needs a subcommand: pause, limits/);
    await expect(fake.slashCommand({ user: mina, name: 'lab', subcommand: 'fly' })).rejects.toThrow(/no subcommand "fly"/);
    await expect(fake.slashCommand({ user: mina, name: 'lab', subcommand: 'pause', options: { max_epochs: 3 } })).rejects.toThrow(/no option "max_epochs"/);
  });

  it('records reply, editReply and followUp with their files, flags and allowed mentions', async () => {
    const { fake, client } = await connect();
    const { recorded, interaction } = await slash(fake, client);
    const chart = await pngOf(64, 32);

    await interaction.reply({ content: 'Queued <@212345678901234567>', files: [{ attachment: chart, name: 'chart.png' }] });
    const edited = await interaction.editReply({ content: 'Epoch 1/3' });
    await interaction.editReply({ content: 'Done', files: [{ attachment: await pngOf(10, 10), name: 'loss.png' }] });
    const followUp = await interaction.followUp({ content: 'Only you', flags: MessageFlags.Ephemeral });

    expect(recorded.callbacks.map((callback) => callback.type)).toEqual([4]);
    expect(recorded.callbacks[0].elapsedMs).toBeLessThan(3000);
    const original = recorded.original()!;
    expect(original.versions.map((version) => [version.kind, version.payload.content])).toEqual([
      ['create', 'Queued <@212345678901234567>'],
      ['edit', 'Epoch 1/3'],
      ['edit', 'Done'],
    ]);
    expect(original.versions[0].files[0].bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(original.versions[1].files).toEqual([]);
    expect(edited.attachments.first()?.name).toBe('chart.png');
    expect(original.files.map((file) => file.name)).toEqual(['loss.png']);
    expect(original.allowedMentions).toEqual({ parse: [] });
    expect(followUp.flags.has(MessageFlags.Ephemeral)).toBe(true);
    expect(recorded.followups().map((message) => [message.content, message.ephemeral])).toEqual([['Only you', true]]);
    expect(fake.channelMessages().map((message) => message.id)).toEqual([original.id, followUp.id]);

    const fetched = await interaction.fetchReply();
    expect([fetched.content, fetched.attachments.first()?.width]).toEqual(['Done', 10]);
    await interaction.deleteReply();
    expect(original.deleted).toBe(true);
  });

  it('fills the "thinking..." message with the first follow-up after a deferred reply, as Discord does', async () => {
    const { fake, client } = await connect();
    const { recorded, interaction } = await slash(fake, client);

    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    expect(recorded.original()?.flags).toBe(MessageFlags.Ephemeral | MessageFlags.Loading);
    await interaction.followUp({ content: 'Result' });

    expect(recorded.messages().map((message) => [message.content, message.flags])).toEqual([['Result', MessageFlags.Ephemeral]]);
  });

  it('refuses messages over Discord limits and empty messages', async () => {
    const { fake, client } = await connect();
    const { interaction } = await slash(fake, client);

    await expect(interaction.reply({ content: 'x'.repeat(2001) })).rejects.toMatchObject({ code: 50035 });
    const elevenEmbeds = Array.from({ length: 11 }, () => ({ description: 'epoch' }));
    await expect(interaction.reply({ embeds: elevenEmbeds })).rejects.toMatchObject({ code: 50035 });
    const twinButtons = { type: 1, components: [1, 2].map(() => ({ type: 2, style: 1, label: 'Go', custom_id: 'go' })) };
    await expect(interaction.reply({ content: 'x', components: [twinButtons] })).rejects.toThrow(/cannot be duplicated/);
    await interaction.reply({ content: 'ok' });
    await expect(interaction.editReply({ content: '', embeds: [], files: [], attachments: [] })).rejects.toMatchObject({
      code: 50006,
    });
  });

  it('expires tokens after their lifetime', async () => {
    const { fake, client } = await connect({ tokenLifetimeMs: 200 });
    const { interaction } = await slash(fake, client);
    await interaction.deferReply();
    await sleep(300);
    await expect(interaction.followUp({ content: 'too late' })).rejects.toMatchObject({ status: 401, code: 50027 });
  });

  it('answers a callback later than the acknowledgement window with 10062 Unknown interaction', async () => {
    const { fake, client } = await connect({ ackTimeoutMs: 150 });
    const { recorded, interaction } = await slash(fake, client);

    await sleep(250);
    const late = interaction.deferReply();

    await expect(late).rejects.toBeInstanceOf(DiscordAPIError);
    await expect(late).rejects.toMatchObject({ status: 404, code: 10062, message: 'Unknown interaction' });
    expect(recorded.acknowledged).toBe(false);
  });

  it('answers a second callback with 40060 already acknowledged', async () => {
    const { fake, client } = await connect();
    const { recorded, interaction } = await slash(fake, client);
    await interaction.reply({ content: 'first' });

    // discord.js itself refuses a second reply, so send the raw callback as a buggy bot would.
    const second = client.rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type: 4, data: { content: 'second' } },
      auth: false,
    });

    await expect(second).rejects.toMatchObject({ status: 400, code: 40060 });
    expect(recorded.callbacks).toHaveLength(1);
  });

  it('answers webhook calls with an expired interaction token with 50027 Invalid Webhook Token', async () => {
    const { fake, client } = await connect();
    const { recorded, interaction } = await slash(fake, client);
    await interaction.deferReply();
    await interaction.editReply({ content: 'in time' });

    recorded.expireToken();

    await expect(interaction.editReply({ content: 'too late' })).rejects.toMatchObject({ status: 401, code: 50027 });
    await expect(interaction.followUp({ content: 'too late' })).rejects.toMatchObject({ code: 50027 });
  });

  it('rate limits edits of one message with 429; discord.js waits retry_after and the edit lands', async () => {
    const { fake, client } = await connect({ editRateLimit: { limit: 2, windowMs: 300 }, advertiseRateLimits: false });
    const { recorded, interaction } = await slash(fake, client);
    await interaction.reply({ content: 'Epoch 0' });

    for (let epoch = 1; epoch <= 4; epoch += 1) await interaction.editReply({ content: `Epoch ${epoch}` });

    expect(fake.stats.rateLimited).toBeGreaterThanOrEqual(1);
    expect(fake.stats.rejections.some((rejection) => rejection.status === 429)).toBe(true);
    expect(recorded.original()?.content).toBe('Epoch 4');
    expect(recorded.original()?.versions).toHaveLength(5);
  });

  it('advertises the edit limit in x-ratelimit headers so discord.js paces itself and meets no 429', async () => {
    const { fake, client } = await connect({ editRateLimit: { limit: 2, windowMs: 300 } });
    const { recorded, interaction } = await slash(fake, client);
    await interaction.reply({ content: 'Epoch 0' });
    const started = Date.now();

    for (let epoch = 1; epoch <= 4; epoch += 1) await interaction.editReply({ content: `Epoch ${epoch}` });

    expect(fake.stats.rateLimited).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(recorded.original()?.content).toBe('Epoch 4');
  });

  it('delivers a button click on a reply and records the message update', async () => {
    const { fake, client } = await connect();
    const { interaction } = await slash(fake, client);
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('run-again').setLabel('Run again').setStyle(ButtonStyle.Primary),
    );
    const reply = await interaction.reply({ content: 'Done', components: [row], withResponse: true });
    const messageId = reply.resource!.message!.id;

    const arrived = nextInteraction(client);
    const click = await fake.clickButton({ user: mina, messageId, customId: 'run-again' });
    const button = (await arrived) as ButtonInteraction;
    await button.update({ content: 'Queued again', components: [] });

    expect([button.customId, button.message.id]).toEqual(['run-again', messageId]);
    expect(click.callbacks.map((callback) => callback.type)).toEqual([7]);
    expect(fake.message(messageId)?.content).toBe('Queued again');
    await expect(fake.clickButton({ user: mina, messageId, customId: 'run-again' })).rejects.toThrow(/no button/);
  });

  it('delivers a message command on a user photo and an autocomplete request', async () => {
    const { fake, client } = await connect();
    const photo = await pngOf(30, 40);
    let arrived = nextInteraction(client);
    await fake.messageCommand({
      user: mina,
      name: 'Classify clothing',
      targetMessage: { author: mina, content: 'my shirt', files: [{ name: 'shirt.png', contentType: 'image/png', bytes: photo }] },
    });
    const menu = (await arrived) as MessageContextMenuCommandInteraction;
    const url = menu.targetMessage.attachments.first()!.url;
    expect(Buffer.from(await (await fetch(url)).arrayBuffer()).equals(photo)).toBe(true);
    expect(menu.targetMessage.author.id).toBe(mina.id);

    arrived = nextInteraction(client);
    const typing = await fake.autocomplete({ user: mina, name: 'train', options: { model: 'fa' }, focused: 'model' });
    const autocomplete = (await arrived) as AutocompleteInteraction;
    expect(autocomplete.options.getFocused(true)).toMatchObject({ name: 'model', value: 'fa' });
    await autocomplete.respond([{ name: 'fashion-1', value: 'fashion-1' }]);
    expect(typing.callbacks[0]).toMatchObject({ type: 8, data: { choices: [{ name: 'fashion-1', value: 'fashion-1' }] } });
  });

  it('records channel messages, pins and threads', async () => {
    const { fake, client } = await connect();
    const channel = client.channels.cache.get(fake.channelId) as TextChannel;

    const summary = await channel.send({ content: 'Leaderboard' });
    await summary.pin();
    const thread = await summary.startThread({ name: 'Compare runs' });
    await thread.send({ content: 'run 1 vs run 2', files: [{ attachment: await pngOf(8, 8), name: 'compare.png' }] });
    const standalone = await channel.threads.create({ name: 'Questions' });
    const edited = await summary.edit({ content: 'Leaderboard (updated)' });

    expect(fake.message(summary.id)?.pinned).toBe(true);
    expect(edited.content).toBe('Leaderboard (updated)');
    expect(fake.threads().map((t) => [t.name, t.parentId, t.starterMessageId])).toEqual([
      ['Compare runs', fake.channelId, summary.id],
      ['Questions', fake.channelId, undefined],
    ]);
    expect(thread.id).toBe(summary.id);
    expect(standalone.parentId).toBe(fake.channelId);
    expect(fake.channelMessages(thread.id).map((message) => message.files[0]?.name)).toEqual(['compare.png']);
  });
});
