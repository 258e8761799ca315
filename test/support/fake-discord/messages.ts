import { attachmentJson, type AttachmentStore, type StoredAttachment } from './attachments';
import { discordErrors } from './errors';
import type { FakeFile, UploadedFile } from './request-body';
import { MessageFlag, type AllowedMentions, type MessagePayload } from './schemas/message';

export const MessageType = {
  Default: 0,
  Reply: 19,
  ChatInputCommand: 20,
  ContextMenuCommand: 23,
} as const;

const MAX_ATTACHMENTS = 10;

/** One create or edit of a message, as the bot sent it. */
export interface MessageVersion {
  kind: 'create' | 'edit';
  /** `Date.now()` when the fake accepted it. */
  at: number;
  /** The JSON body (or `payload_json`) exactly as received. */
  payload: MessagePayload;
  /** The files uploaded with this request. */
  files: FakeFile[];
}

export interface MessageOrigin {
  author: Record<string, unknown>;
  type: number;
  /** Set on messages an interaction created: Discord marks them as sent by the app's webhook. */
  applicationId?: string;
  interactionMetadata?: Record<string, unknown>;
}

/**
 * A message as the fake holds it: its current state (what GET returns) and every version the bot
 * sent, each with its files, so a test can look at the whole history of a progress message.
 */
export class RecordedMessage {
  readonly versions: MessageVersion[] = [];
  content = '';
  embeds: unknown[] = [];
  components: unknown[] = [];
  attachments: StoredAttachment[] = [];
  flags = 0;
  pinned = false;
  deleted = false;
  threadId: string | undefined;
  editedAt: number | undefined;
  /** `allowed_mentions` of the latest version that carried one. */
  allowedMentions: AllowedMentions | undefined;
  messageReference: string | undefined;

  constructor(
    readonly id: string,
    readonly channelId: string,
    readonly guildId: string,
    readonly origin: MessageOrigin,
    readonly createdAt: number = Date.now(),
  ) {}

  get authorId(): string {
    return String(this.origin.author.id);
  }

  /** The files currently attached (name, content type, bytes, plus id and url). */
  get files(): StoredAttachment[] {
    return this.attachments;
  }

  /** A plain message that quotes another one is a reply (19). */
  get type(): number {
    return this.messageReference !== undefined && this.origin.type === MessageType.Default
      ? MessageType.Reply
      : this.origin.type;
  }

  get ephemeral(): boolean {
    return (this.flags & MessageFlag.Ephemeral) !== 0;
  }

  /** Applies a create or an edit, following Discord's rules for flags and attachments. */
  apply(
    kind: MessageVersion['kind'],
    payload: MessagePayload,
    files: UploadedFile[],
    store: AttachmentStore,
    now: number = Date.now(),
  ): void {
    const attachments = resolveAttachments(kind, this.attachments, payload.attachments, files, store);
    const next = {
      content: payload.content === undefined ? this.content : (payload.content ?? ''),
      embeds: payload.embeds === undefined ? this.embeds : (payload.embeds ?? []),
      components: payload.components === undefined ? this.components : (payload.components ?? []),
    };
    const flags = nextFlags(kind, this.flags, payload.flags);
    if (isEmpty(next, attachments, flags)) throw discordErrors.emptyMessage();

    Object.assign(this, next, { attachments, flags });
    if (payload.allowed_mentions) this.allowedMentions = payload.allowed_mentions;
    if (kind === 'create') this.messageReference = payload.message_reference?.message_id;
    if (kind === 'edit') this.editedAt = now;
    this.versions.push({ kind, at: now, payload, files: files.map(toFakeFile) });
  }

  /** Discord's message object, shaped as discord.js reads it. */
  toJson(thread?: Record<string, unknown>): Record<string, unknown> {
    return {
      id: this.id,
      channel_id: this.channelId,
      guild_id: this.guildId,
      author: this.origin.author,
      content: this.content,
      timestamp: new Date(this.createdAt).toISOString(),
      edited_timestamp: this.editedAt === undefined ? null : new Date(this.editedAt).toISOString(),
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      mention_channels: [],
      attachments: this.attachments.map(attachmentJson),
      embeds: this.embeds,
      components: this.components,
      reactions: [],
      pinned: this.pinned,
      type: this.type,
      flags: this.flags,
      ...(this.origin.applicationId === undefined
        ? {}
        : { webhook_id: this.origin.applicationId, application_id: this.origin.applicationId }),
      ...(this.origin.interactionMetadata === undefined
        ? {}
        : { interaction_metadata: this.origin.interactionMetadata }),
      ...(this.messageReference === undefined
        ? {}
        : { message_reference: { type: 0, message_id: this.messageReference, channel_id: this.channelId, guild_id: this.guildId } }),
      ...(thread === undefined ? {} : { thread }),
    };
  }
}

/**
 * Ephemeral can only be chosen when a message is created, and an edit ends the "thinking..."
 * (loading) state of a deferred reply.
 */
function nextFlags(kind: MessageVersion['kind'], current: number, requested: number | null | undefined): number {
  if (kind === 'create') return requested ?? 0;
  const kept = current & MessageFlag.Ephemeral;
  const changed = requested ?? current;
  return (changed & ~MessageFlag.Ephemeral & ~MessageFlag.Loading) | kept;
}

function isEmpty(
  next: { content: string; embeds: unknown[]; components: unknown[] },
  attachments: StoredAttachment[],
  flags: number,
): boolean {
  if ((flags & MessageFlag.Loading) !== 0) return false;
  return next.content === '' && next.embeds.length === 0 && next.components.length === 0 && attachments.length === 0;
}

/**
 * Discord's attachment rules: without an `attachments` list, a create attaches every upload and an
 * edit keeps the old files and adds the new ones; with a list, the message has exactly the listed
 * ones, each either an existing attachment id or the n of an uploaded `files[n]`.
 */
function resolveAttachments(
  kind: MessageVersion['kind'],
  current: StoredAttachment[],
  references: MessagePayload['attachments'],
  files: UploadedFile[],
  store: AttachmentStore,
): StoredAttachment[] {
  let result: StoredAttachment[];
  if (references == null) {
    const added = files.map((file) => store.add(file));
    result = kind === 'create' ? added : [...current, ...added];
  } else {
    result = references.map((reference, index) => {
      const existing = current.find((attachment) => attachment.id === reference.id);
      if (existing) return existing;
      const upload = files.find((file) => String(file.index) === reference.id);
      if (!upload) throw discordErrors.invalidFormBody(attachmentError(index, `Unknown attachment id ${reference.id}`));
      return store.add({ ...upload, name: reference.filename ?? upload.name }, reference.description ?? undefined);
    });
  }
  if (result.length > MAX_ATTACHMENTS) {
    throw discordErrors.invalidFormBody(attachmentError(MAX_ATTACHMENTS, 'Must be 10 or fewer in length.'));
  }
  return result;
}

function attachmentError(index: number, message: string): Record<string, unknown> {
  return { attachments: { [index]: { _errors: [{ code: 'ATTACHMENT_INVALID', message }] } } };
}

function toFakeFile(file: UploadedFile): FakeFile {
  return { name: file.name, contentType: file.contentType, bytes: file.bytes };
}
