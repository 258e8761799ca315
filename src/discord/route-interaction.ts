import type { ChatInputCommandInteraction, Interaction, MessageContextMenuCommandInteraction, RepliableInteraction } from 'discord.js';
import type { Command, CommandContext, MessageCommand, SlashCommand } from '../commands/command';
import { handleButton } from '../commands/buttons';
import { compareWithPrevious } from '../commands/compare-flow';
import { replyInternalError, runSlashCommand } from '../commands/dispatch';
import { attachmentInput } from './attachment-download';
import { answerAutocomplete } from './autocomplete';
import { messageCommandName } from './command-data';
import { createInteractionContext, type DiscordDeps } from './interaction-context';
import { rawOptionsOf } from './raw-options';
import { refusal, refusalAnswer } from '../commands/refusal';

export interface RouteDeps extends DiscordDeps {
  commands: readonly Command[];
}

function slashCommand(commands: readonly Command[], name: string): SlashCommand | undefined {
  return commands.find((command): command is SlashCommand => command.kind === 'slash' && command.name === name);
}

function messageCommand(commands: readonly Command[], name: string): MessageCommand | undefined {
  return commands.find((command): command is MessageCommand => command.kind === 'message' && messageCommandName(command) === name);
}

function unknownCommand(ctx: CommandContext, name: string): Promise<void> {
  return ctx.reply(refusalAnswer(ctx.t, refusal('unknown-command', 'error.unknown_command', { name })));
}

function runChatInput(ctx: CommandContext, interaction: ChatInputCommandInteraction, deps: RouteDeps): Promise<void> {
  const command = slashCommand(deps.commands, interaction.commandName);
  if (!command) return unknownCommand(ctx, `/${interaction.commandName}`);
  return runSlashCommand(ctx, command, rawOptionsOf(interaction, deps.services.config.maxUploadBytes));
}

function runMessageCommand(ctx: CommandContext, interaction: MessageContextMenuCommandInteraction, deps: RouteDeps): Promise<void> {
  const command = messageCommand(deps.commands, interaction.commandName);
  if (!command) return unknownCommand(ctx, interaction.commandName);
  const limit = deps.services.config.maxUploadBytes;
  const message = interaction.targetMessage;
  return command.execute(ctx, { id: message.id, attachments: [...message.attachments.values()].map((attachment) => attachmentInput(attachment, limit)) });
}

/** Acknowledges at once, then does the work; whatever fails gets the short apology, nothing escapes. */
async function answer(interaction: RepliableInteraction, deps: RouteDeps, what: string, work: (ctx: CommandContext) => Promise<void>): Promise<void> {
  const ctx = createInteractionContext(interaction, deps);
  try {
    await work(ctx);
  } catch (error) {
    await replyInternalError(ctx, what, error);
  }
}

/** Sends each interaction to what handles it: commands, autocomplete, the buttons of our messages. */
export async function routeInteraction(interaction: Interaction, deps: RouteDeps): Promise<void> {
  if (interaction.isAutocomplete()) {
    return answerAutocomplete(interaction, slashCommand(deps.commands, interaction.commandName), deps);
  }
  if (interaction.isChatInputCommand()) {
    return answer(interaction, deps, `/${interaction.commandName}`, (ctx) => runChatInput(ctx, interaction, deps));
  }
  if (interaction.isMessageContextMenuCommand()) {
    return answer(interaction, deps, interaction.commandName, (ctx) => runMessageCommand(ctx, interaction, deps));
  }
  if (interaction.isButton()) {
    return answer(interaction, deps, `button ${interaction.customId}`, (ctx) => handleButton(ctx, interaction.customId, compareWithPrevious));
  }
  deps.services.log.info(`ignored an interaction of type ${interaction.type}`);
}
