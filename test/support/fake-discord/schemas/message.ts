import { z } from 'zod';

/**
 * What a bot may send as a message body (create, edit, interaction reply), with the limits Discord
 * enforces, so a bot that would be refused by Discord is refused here too.
 */

export const MessageFlag = {
  SuppressEmbeds: 1 << 2,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;

const EMBED_TOTAL_CHARACTERS = 6000;

const embedSchema = z
  .looseObject({
    title: z.string().max(256).optional(),
    description: z.string().max(4096).optional(),
    url: z.string().optional(),
    color: z.number().int().min(0).max(0xffffff).optional(),
    fields: z
      .array(
        z.looseObject({
          name: z.string().min(1).max(256),
          value: z.string().min(1).max(1024),
          inline: z.boolean().optional(),
        }),
      )
      .max(25)
      .optional(),
    footer: z.looseObject({ text: z.string().min(1).max(2048) }).optional(),
    author: z.looseObject({ name: z.string().min(1).max(256) }).optional(),
    image: z.looseObject({ url: z.string() }).optional(),
    thumbnail: z.looseObject({ url: z.string() }).optional(),
  })
  .refine((embed) => embedCharacters(embed) <= EMBED_TOTAL_CHARACTERS, {
    message: `Embed size exceeds maximum size of ${EMBED_TOTAL_CHARACTERS}`,
  });

function embedCharacters(embed: {
  title?: string;
  description?: string;
  fields?: Array<{ name: string; value: string }>;
  footer?: { text: string };
  author?: { name: string };
}): number {
  const fields = embed.fields ?? [];
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    fields.reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

const componentSchema = z.looseObject({
  type: z.number().int(),
  custom_id: z.string().min(1).max(100).optional(),
  label: z.string().max(80).optional(),
  options: z.array(z.looseObject({ label: z.string().min(1).max(100) })).max(25).optional(),
});

const actionRowSchema = z.looseObject({
  type: z.literal(1),
  components: z.array(componentSchema).min(1).max(5),
});

export const allowedMentionsSchema = z.looseObject({
  parse: z.array(z.enum(['users', 'roles', 'everyone'])).optional(),
  users: z.array(z.string()).max(100).optional(),
  roles: z.array(z.string()).max(100).optional(),
  replied_user: z.boolean().optional(),
});

export type AllowedMentions = z.infer<typeof allowedMentionsSchema>;

const attachmentReferenceSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  filename: z.string().min(1).optional(),
  description: z.string().max(1024).nullish(),
});

export const messagePayloadSchema = z
  .looseObject({
    content: z.string().max(2000).nullish(),
    embeds: z.array(embedSchema).max(10).nullish(),
    components: z.array(z.looseObject({ type: z.number().int() })).nullish(),
    flags: z.number().int().min(0).nullish(),
    allowed_mentions: allowedMentionsSchema.nullish(),
    attachments: z.array(attachmentReferenceSchema).max(10).nullish(),
    message_reference: z.looseObject({ message_id: z.string().optional() }).nullish(),
    tts: z.boolean().nullish(),
  })
  .superRefine((payload, context) => {
    if (((payload.flags ?? 0) & MessageFlag.IsComponentsV2) !== 0) return;
    checkLegacyComponents(payload.components ?? [], context);
  });

export type MessagePayload = z.infer<typeof messagePayloadSchema>;

/** Classic components: at most five action rows, and custom ids unique within the message. */
function checkLegacyComponents(rows: unknown[], context: z.RefinementCtx): void {
  if (rows.length > 5) {
    context.addIssue({ code: 'custom', path: ['components'], message: 'Must be 5 or fewer in length.' });
  }
  const seen = new Set<string>();
  rows.forEach((row, rowIndex) => {
    const parsed = actionRowSchema.safeParse(row);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        context.addIssue({ code: 'custom', path: ['components', rowIndex, ...issue.path], message: issue.message });
      }
      return;
    }
    parsed.data.components.forEach((component, index) => {
      if (component.custom_id === undefined) return;
      if (seen.has(component.custom_id)) {
        context.addIssue({
          code: 'custom',
          path: ['components', rowIndex, 'components', index, 'custom_id'],
          message: 'Component custom id cannot be duplicated',
        });
      }
      seen.add(component.custom_id);
    });
  });
}
