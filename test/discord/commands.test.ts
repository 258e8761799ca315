/**
 * The real bot against the fake Discord, for everything that answers without training: command
 * registration in both languages, /help, /queue, /cancel, /status, bad options, Korean answers.
 */
import { REST, Routes } from 'discord.js';
import { loadCommands } from '../../commands';
import { bothLanguages, type MessageKey } from '../../src/i18n/translate';
import { commandData } from '../../src/discord/command-data';
import { registerCommands } from '../../src/discord/register';
import { registerTarget } from '../../src/register-main';
import { parseConfig } from '../../src/config';
import type { OptionDefinition } from '../../src/commands/command';
import type { FakeInteraction } from '../support/fake-discord';
import type { CommandOption } from '../support/fake-discord/schemas/commands';
import { answered, botMessageVersions, en, ko, sentencePattern, startLab, textOf, users, type Lab } from './lab';

let lab: Lab;

beforeAll(async () => {
  lab = await startLab();
});

afterAll(async () => {
  await lab?.stop();
});

const OPTION_TYPES = { string: 3, integer: 4, boolean: 5, user: 6, number: 10, attachment: 11 } as const;
const EPHEMERAL = 1 << 6;

/** Each declared option was registered with its type, bounds and both languages' texts. */
function expectOptions(registered: CommandOption[], definitions: readonly OptionDefinition[]): void {
  expect(registered).toHaveLength(definitions.length);
  definitions.forEach((option, index) => {
    const registeredOption = registered[index];
    const descriptionKey = option.descriptionKey ?? `option.${option.name}.description`;
    expect(registeredOption).toMatchObject({
      name: option.name,
      type: OPTION_TYPES[option.type],
      required: option.required ?? false,
      name_localizations: { ko: both(`option.${option.name}.name`).ko },
      description: both(descriptionKey).en,
      description_localizations: { ko: both(descriptionKey).ko },
    });
    if (option.min !== undefined) expect(registeredOption.min_value).toBe(option.min);
    if (option.max !== undefined) expect(registeredOption.max_value).toBe(option.max);
    if (option.choices) expect(registeredOption.choices?.map((choice) => choice.value)).toEqual(option.choices);
    expect(registeredOption.autocomplete ?? false).toBe(option.autocomplete ?? false);
  });
}

function both(key: string) {
  return bothLanguages(key as MessageKey);
}

describe('registration', () => {
  it('registers every command in the guild on start, with English names and Korean localizations', () => {
    const registered = lab.fake.registeredCommands('guild');
    const commands = loadCommands();
    expect(registered).toHaveLength(commands.length);
    for (const command of commands) {
      const name = both(`command.${command.key}.name`);
      if (command.kind === 'message') {
        expect(registered.find((entry) => entry.type === 3 && entry.name === name.en)).toMatchObject({ name_localizations: { ko: name.ko } });
        continue;
      }
      const description = both(`command.${command.key}.description`);
      const entry = registered.find((candidate) => candidate.type === 1 && candidate.name === command.name);
      expect(entry).toMatchObject({ name_localizations: { ko: name.ko }, description: description.en, description_localizations: { ko: description.ko } });
      const { subcommands } = command.options;
      if (!subcommands) {
        expectOptions(entry?.options ?? [], command.options.definitions);
        continue;
      }
      expect(entry?.options ?? []).toHaveLength(subcommands.length);
      subcommands.forEach((subcommand, index) => {
        const registeredSubcommand = entry?.options?.[index];
        expect(registeredSubcommand).toMatchObject({
          type: 1,
          name: subcommand.name,
          name_localizations: { ko: both(`subcommand.${subcommand.name}.name`).ko },
          description: both(`subcommand.${subcommand.name}.description`).en,
          description_localizations: { ko: both(`subcommand.${subcommand.name}.description`).ko },
        });
        expectOptions(registeredSubcommand?.options ?? [], subcommand.options);
      });
    }
  });

  it('registers globally through the same function `npm run register` uses', async () => {
    const rest = new REST({ api: `${lab.fake.url}/api` }).setToken(lab.fake.token);
    await registerCommands(rest, lab.fake.applicationId, null, loadCommands());
    expect(lab.fake.registeredCommands('global').map((command) => command.name)).toEqual(lab.fake.registeredCommands('guild').map((command) => command.name));
  });

  it('says which variables `npm run register` is missing', () => {
    expect(() => registerTarget(parseConfig({ DISCORD_CLIENT_ID: '123' }))).toThrow(/DISCORD_TOKEN/);
    expect(() => registerTarget(parseConfig({ DISCORD_TOKEN: 'x' }))).toThrow(/DISCORD_CLIENT_ID/);
    expect(registerTarget(parseConfig({ DISCORD_TOKEN: 'x', DISCORD_CLIENT_ID: '123' }))).toMatchObject({ guildId: null });
  });
});

async function run(name: string, user = users.alex, options: Record<string, string | number | boolean> = {}): Promise<FakeInteraction> {
  return lab.fake.slashCommand({ user, name, options });
}

describe('answers in the user’s language', () => {
  it.each([
    ['en', users.alex, en],
    ['ko', users.mina, ko],
  ])('/help in %s', async (_, user, t) => {
    const reply = await answered(await run('help', user));
    expect(reply.ephemeral).toBe(false);
    expect(textOf(reply)).toContain(t('help.title'));
    expect(textOf(reply)).toContain(t('exercise.3.title'));
  });

  it.each([
    ['en', users.alex, en],
    ['ko', users.mina, ko],
  ])('/queue in %s when nothing waits', async (_, user, t) => {
    const reply = await answered(await run('queue', user));
    expect(reply.content?.split('\n')[0]).toBe(t('queue.empty'));
    // Each trainer of the pool, idle: one by default.
    expect(reply.content).toContain(t('trainers.title'));
    expect(reply.content).toMatch(sentencePattern(t, 'trainers.idle', { number: 1 }));
  });

  it.each([
    ['en', users.alex, en],
    ['ko', users.mina, ko],
  ])('/cancel in %s with no job: a private answer from the first response on, nothing public', async (_, user, t) => {
    const interaction = await run('cancel', user);
    const reply = await answered(interaction);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(t('cancel.nothing'));
    // The refusal is the first response itself: classmates never saw a public "thinking…".
    expect(interaction.callbacks.map((callback) => [callback.type, (callback.data as { flags?: number }).flags])).toEqual([[4, EPHEMERAL]]);
    expect(interaction.messages()).toEqual([reply]);
  });

  it.each([
    ['en', users.alex, en],
    ['ko', users.mina, ko],
  ])('/status in %s', async (_, user, t) => {
    const reply = await answered(await run('status', user));
    const text = textOf(reply);
    expect(text).toContain(t('status.title'));
    expect(text).toContain(t('status.queue'));
    expect(text).toMatch(sentencePattern(t, 'trainers.idle', { number: 1, backend: 'wasm' }));
    expect(text).toContain('discord.js');
  });
});

describe('a first-time student', () => {
  it.each([
    ['en', users.alex, en],
    ['ko', users.mina, ko],
  ])('/predict in %s before any run: no trained model yet, and /exercise number:1 trains one', async (_, user, t) => {
    const reply = await answered(await run('predict', user, { index: 0 }));
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(t('error.no_model_yet'));
    expect(reply.content).toContain('/exercise number:1');
  });

  it('/predict with a run id that does not exist still says so', async () => {
    const reply = await answered(await run('predict', users.alex, { index: 0, run: 'r-nowhere' }));
    expect(reply.content).toBe(en('error.no_run'));
  });
});

describe('bad options', () => {
  it('refuses what only zod can refuse, ephemerally, in the user’s language, and queues nothing', async () => {
    const englishTrain = await run('train', users.alex, { epochs: 2, early_stopping_patience: 3 });
    const koreanTrain = await run('train', users.mina, { epochs: 2, early_stopping_patience: 3 });
    const english = await answered(englishTrain);
    const korean = await answered(koreanTrain);

    expect(english.ephemeral).toBe(true);
    expect(english.content).toContain(en('error.option.needs_validation'));
    for (const interaction of [englishTrain, koreanTrain]) expect(interaction.messages().every((message) => message.ephemeral)).toBe(true);
    expect(korean.ephemeral).toBe(true);
    expect(korean.content).toContain(ko('error.option.needs_validation'));
    expect(lab.app.services.queue.running()).toEqual([]);
    expect(lab.app.services.queue.waiting()).toEqual([]);
    expect(lab.app.services.jobs.activeForUser(users.alex.id)).toEqual([]);
  });
});

describe('a command the bot does not know', () => {
  it('gets a polite answer in the user’s language (a command left registered by an older version)', async () => {
    const rest = new REST({ api: `${lab.fake.url}/api` }).setToken(lab.fake.token);
    const ghost = { type: 1, name: 'ghost', description: 'Removed in a newer version' };
    await rest.put(Routes.applicationGuildCommands(lab.fake.applicationId, lab.fake.guildId), { body: [...commandData(loadCommands()), ghost] });
    const reply = await answered(await run('ghost', users.mina));
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(ko('error.unknown_command', { name: '/ghost' }));
  });
});

describe('Discord’s rules', () => {
  it('acknowledged every interaction within 3 s and never pinged anyone', () => {
    const interactions = lab.fake.interactions();
    expect(interactions.length).toBeGreaterThan(5);
    for (const interaction of interactions) {
      expect(interaction.callbacks).toHaveLength(1);
      expect(interaction.callbacks[0].elapsedMs).toBeLessThan(3000);
    }
    const sent = botMessageVersions(lab.fake);
    expect(sent.length).toBeGreaterThan(5);
    for (const version of sent) expect(version.payload.allowed_mentions).toEqual({ parse: [] });
    expect(lab.fake.stats.rejections).toEqual([]);
  });
});
