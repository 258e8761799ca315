import type { EventEmitter } from 'node:events';
import type { RecordedMessage } from './messages';
import type { FakeFile } from './request-body';
import { waitForChange, type Truthy } from './wait';

export const InteractionType = {
  ApplicationCommand: 2,
  MessageComponent: 3,
  Autocomplete: 4,
  ModalSubmit: 5,
} as const;

/** An accepted answer to POST /interactions/{id}/{token}/callback. */
export interface RecordedCallback {
  /** 4 reply, 5 defer, 6 deferred update, 7 update, 8 autocomplete result, 9 modal. */
  type: number;
  /** The callback's `data` as sent (for 8: `{ choices }`, for 9: the modal). */
  data: unknown;
  files: FakeFile[];
  /** Milliseconds between the dispatch and the callback. */
  elapsedMs: number;
}

export interface MessageLookup {
  message(id: string): RecordedMessage | undefined;
  readonly changes: EventEmitter;
}

export interface InteractionInit {
  id: string;
  token: string;
  type: number;
  channelId: string;
  /** Message type of the responses (20 for slash commands, 23 for context menus, 0 otherwise). */
  responseMessageType: number;
  /** The INTERACTION_CREATE payload exactly as dispatched. */
  payload: Record<string, unknown>;
  /** For component interactions: the message whose button was clicked. */
  componentMessageId?: string;
}

/** One interaction the fake dispatched, and everything the bot answered to it. */
export class FakeInteraction {
  readonly id: string;
  readonly token: string;
  readonly type: number;
  readonly channelId: string;
  readonly responseMessageType: number;
  readonly payload: Record<string, unknown>;
  readonly componentMessageId: string | undefined;
  readonly createdAt = Date.now();
  readonly callbacks: RecordedCallback[] = [];
  /** The @original message: the reply, or for component updates the message clicked. */
  originalMessageId: string | undefined;
  readonly followupIds: string[] = [];
  /** Set by `expireToken`: the token is dead from then on, whatever its lifetime. */
  tokenExpired = false;

  constructor(
    init: InteractionInit,
    private readonly lookup: MessageLookup,
  ) {
    this.id = init.id;
    this.token = init.token;
    this.type = init.type;
    this.channelId = init.channelId;
    this.responseMessageType = init.responseMessageType;
    this.payload = init.payload;
    this.componentMessageId = init.componentMessageId;
  }

  /** Ends the token's life now, as its 15 minutes running out would (webhook calls then get 401 50027). */
  expireToken(): void {
    this.tokenExpired = true;
  }

  get acknowledged(): boolean {
    return this.callbacks.length > 0;
  }

  original(): RecordedMessage | undefined {
    return this.originalMessageId === undefined ? undefined : this.lookup.message(this.originalMessageId);
  }

  followups(): RecordedMessage[] {
    return this.followupIds.flatMap((id) => this.lookup.message(id) ?? []);
  }

  /** The original response (if any) followed by the follow-ups, in order. */
  messages(): RecordedMessage[] {
    const original = this.original();
    return original ? [original, ...this.followups()] : this.followups();
  }

  /**
   * Resolves with the first truthy value of `probe`, re-checked after every change in the fake;
   * a timeout names `awaited` (what the probe waits for) in its message.
   */
  waitFor<T>(probe: (interaction: FakeInteraction) => T, timeoutMs = 5000, awaited = 'its probe'): Promise<Truthy<T>> {
    return waitForChange(this.lookup.changes, () => probe(this), timeoutMs, `interaction ${this.id}: ${awaited}`);
  }
}
