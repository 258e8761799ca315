import type { AutocompleteInteraction } from 'discord.js';
import type { CommandContext, SlashCommand } from '../commands/command';
import { localeFrom, translator } from '../i18n/translate';
import type { DiscordDeps } from './interaction-context';
import { clip } from './message-payload';
import { displayName } from './raw-options';
import { isTeacher } from './teacher';

const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

class NoAnswerFromAutocomplete extends Error {}

/** Autocomplete only suggests; a command that tries to answer from it is a programming error. */
function noAnswer(): Promise<never> {
  return Promise.reject(new NoAnswerFromAutocomplete('autocomplete cannot answer, only suggest'));
}

function autocompleteContext(interaction: AutocompleteInteraction, deps: DiscordDeps): CommandContext {
  const locale = localeFrom(interaction.locale);
  return {
    user: { id: interaction.user.id, name: displayName(interaction.user, interaction.member) },
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    locale,
    t: translator(locale),
    isTeacher: isTeacher(interaction, deps.services.config.TEACHER_ROLE),
    services: deps.services,
    reply: noAnswer,
    progress: noAnswer,
    followUp: noAnswer,
    postInThread: noAnswer,
  };
}

/** Discord refuses a choice over 100 characters; a name can be cut, a value (an id) cannot. */
function usable(choices: { name: string; value: string }[]): { name: string; value: string }[] {
  return choices
    .filter((choice) => choice.value.length <= MAX_CHOICE_LENGTH)
    .slice(0, MAX_CHOICES)
    .map((choice) => ({ name: clip(choice.name, MAX_CHOICE_LENGTH), value: choice.value }));
}

/** Suggestions for the option being typed: at most 25; on any failure an empty list (and a log line). */
export async function answerAutocomplete(interaction: AutocompleteInteraction, command: SlashCommand | undefined, deps: DiscordDeps): Promise<void> {
  const { log } = deps.services;
  let choices: { name: string; value: string }[] = [];
  try {
    if (command?.autocomplete) {
      const focused = interaction.options.getFocused(true);
      const subcommand = interaction.options.getSubcommand(false);
      choices = usable(await command.autocomplete(autocompleteContext(interaction, deps), focused.name, String(focused.value), subcommand));
    }
  } catch (error) {
    log.error(`autocomplete of /${interaction.commandName} failed`, error);
  }
  try {
    await interaction.respond(choices);
  } catch (error) {
    log.error(`could not send autocomplete choices of /${interaction.commandName}`, error);
  }
}
