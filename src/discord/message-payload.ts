import { ActionRowBuilder, ButtonBuilder, ButtonStyle, EmbedBuilder, MessageFlags, type AttachmentPayload } from 'discord.js';
import type { Answer, AnswerButton, AnswerEmbed, AnswerFile } from '../commands/command';

/** Discord's size limits; over them a message is refused (400 50035), so long text is cut instead. */
const LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embeds: 10,
  files: 10,
  buttonLabel: 80,
  buttonsPerRow: 5,
  rows: 5,
};

const STYLES: Record<AnswerButton['style'], ButtonStyle> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

/** No echoed text (a student's name, a run label) may ever ping anyone. */
export const NO_MENTIONS = { parse: [] as [] };

export interface MessageBody {
  content: string;
  embeds: EmbedBuilder[];
  files: AttachmentPayload[];
  components: ActionRowBuilder<ButtonBuilder>[];
  allowedMentions: typeof NO_MENTIONS;
}

/** An edit also says which attachments remain: exactly the files it uploads. */
export interface MessageEditBody extends MessageBody {
  attachments: [];
}

export function clip(text: string, max: number): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}

/** Discord refuses an empty field name or value. */
function nonEmpty(text: string): string {
  return text.trim() === '' ? '\u200b' : text;
}

function embedOf(embed: AnswerEmbed): EmbedBuilder {
  const builder = new EmbedBuilder();
  if (embed.title) builder.setTitle(clip(embed.title, LIMITS.title));
  if (embed.description) builder.setDescription(clip(embed.description, LIMITS.description));
  if (embed.fields?.length) {
    builder.addFields(
      embed.fields.slice(0, LIMITS.fields).map((field) => ({
        name: clip(nonEmpty(field.name), LIMITS.fieldName),
        value: clip(nonEmpty(field.value), LIMITS.fieldValue),
        inline: field.inline ?? false,
      })),
    );
  }
  if (embed.image) builder.setImage(`attachment://${embed.image}`);
  if (embed.footer) builder.setFooter({ text: clip(embed.footer, LIMITS.footer) });
  if (embed.color !== undefined) builder.setColor(embed.color);
  return builder;
}

function buttonOf(button: AnswerButton): ButtonBuilder {
  return new ButtonBuilder().setCustomId(button.customId).setLabel(clip(button.label, LIMITS.buttonLabel)).setStyle(STYLES[button.style]);
}

/** A file to upload; a description is only sent when there is one (AttachmentBuilder would send null). */
function attachmentOf(file: AnswerFile): AttachmentPayload {
  return file.description === undefined ? { attachment: file.data, name: file.name } : { attachment: file.data, name: file.name, description: file.description };
}

/** Buttons in action rows of at most five. */
export function buttonRows(buttons: readonly AnswerButton[]): ActionRowBuilder<ButtonBuilder>[] {
  const rows: ActionRowBuilder<ButtonBuilder>[] = [];
  const usable = buttons.slice(0, LIMITS.rows * LIMITS.buttonsPerRow);
  for (let start = 0; start < usable.length; start += LIMITS.buttonsPerRow) {
    rows.push(new ActionRowBuilder<ButtonBuilder>().addComponents(usable.slice(start, start + LIMITS.buttonsPerRow).map(buttonOf)));
  }
  return rows;
}

/** An answer as a new message. */
export function messageBody(answer: Answer): MessageBody {
  return {
    content: clip(answer.content ?? '', LIMITS.content),
    embeds: (answer.embeds ?? []).slice(0, LIMITS.embeds).map(embedOf),
    files: (answer.files ?? []).slice(0, LIMITS.files).map(attachmentOf),
    components: buttonRows(answer.buttons ?? []),
    allowedMentions: NO_MENTIONS,
  };
}

/** An answer replacing a message's whole content: text, embeds, files and buttons. */
export function messageEditBody(answer: Answer): MessageEditBody {
  return { ...messageBody(answer), attachments: [] };
}

/** An answer as an interaction follow-up, ephemeral when asked. */
export function followUpBody(answer: Answer): MessageBody & { flags?: MessageFlags.Ephemeral } {
  return answer.ephemeral ? { ...messageBody(answer), flags: MessageFlags.Ephemeral } : messageBody(answer);
}
