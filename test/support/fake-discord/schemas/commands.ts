import { z } from 'zod';

/**
 * Application commands as a bot registers them (bulk overwrite), with Discord's naming and size
 * rules, so a command Discord would refuse (an upper-case name, a 101-character Korean description,
 * a made-up locale) is refused here too.
 */

/** Locales Discord accepts in `name_localizations` and `description_localizations`. */
export const DISCORD_LOCALES = [
  'id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no',
  'pl', 'pt-BR', 'ro', 'fi', 'sv-SE', 'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th', 'zh-CN',
  'ja', 'zh-TW', 'ko',
] as const;

export const CommandType = { ChatInput: 1, User: 2, Message: 3 } as const;

export const OptionType = {
  Subcommand: 1,
  SubcommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

const CHAT_INPUT_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

const chatInputName = z
  .string()
  .regex(CHAT_INPUT_NAME, 'Invalid command name')
  .refine((name) => name === name.toLowerCase(), 'Command name must be lower case');

const localizations = (value: z.ZodString) =>
  z.partialRecord(z.enum(DISCORD_LOCALES), value.nullable()).nullish();

const choiceSchema = z.looseObject({
  name: z.string().min(1).max(100),
  name_localizations: localizations(z.string().min(1).max(100)),
  value: z.union([z.string().max(100), z.number()]),
});

type Localizations = Partial<Record<(typeof DISCORD_LOCALES)[number], string | null>> | null;

/** A declared option; subcommands and groups nest their own options. */
export interface CommandOption {
  [key: string]: unknown;
  type: number;
  name: string;
  name_localizations?: Localizations;
  description: string;
  description_localizations?: Localizations;
  required?: boolean;
  choices?: Array<z.infer<typeof choiceSchema>>;
  autocomplete?: boolean;
  min_length?: number;
  max_length?: number;
  min_value?: number;
  max_value?: number;
  options?: CommandOption[];
}

const optionSchema: z.ZodType<CommandOption> = z.lazy(() =>
  z
    .looseObject({
      type: z.number().int().min(OptionType.Subcommand).max(OptionType.Attachment),
      name: chatInputName,
      name_localizations: localizations(chatInputName),
      description: z.string().min(1).max(100),
      description_localizations: localizations(z.string().min(1).max(100)),
      required: z.boolean().optional(),
      choices: z.array(choiceSchema).max(25).optional(),
      autocomplete: z.boolean().optional(),
      min_length: z.number().int().min(0).max(6000).optional(),
      max_length: z.number().int().min(1).max(6000).optional(),
      min_value: z.number().optional(),
      max_value: z.number().optional(),
      options: z.array(optionSchema).max(25).optional(),
    })
    .refine((option) => !(option.autocomplete && option.choices?.length), {
      message: 'Autocomplete cannot be used with choices',
    })
    .superRefine((option, context) => {
      checkNesting(option, context);
      checkOptionList(option.options ?? [], context);
    }),
);

const isSubcommandLike = (option: CommandOption) => option.type === OptionType.Subcommand || option.type === OptionType.SubcommandGroup;

/**
 * Discord's nesting: a group holds subcommands only, a subcommand holds plain options only, and a
 * plain option holds none (so a command nests at most group > subcommand > option).
 */
function checkNesting(option: CommandOption, context: z.RefinementCtx): void {
  const nested = option.options ?? [];
  const allowed =
    option.type === OptionType.SubcommandGroup
      ? nested.every((inner) => inner.type === OptionType.Subcommand)
      : option.type === OptionType.Subcommand
        ? !nested.some(isSubcommandLike)
        : nested.length === 0;
  if (!allowed) context.addIssue({ code: 'custom', path: ['options'], message: `Option type ${option.type} cannot contain these option types` });
}

/**
 * Names unique, required options before optional ones (Discord refuses the reverse), and
 * subcommands (or groups) never beside plain options.
 */
function checkOptionList(options: CommandOption[], context: z.RefinementCtx): void {
  const names = new Set<string>();
  let optionalSeen = false;
  if (options.some(isSubcommandLike) && !options.every(isSubcommandLike)) {
    context.addIssue({ code: 'custom', path: ['options'], message: 'Sub-command and sub-command group option types are mutually exclusive to all other types' });
  }
  options.forEach((option, index) => {
    if (names.has(option.name)) {
      context.addIssue({ code: 'custom', path: ['options', index, 'name'], message: 'Option names must be unique' });
    }
    names.add(option.name);
    if (option.required && optionalSeen) {
      context.addIssue({
        code: 'custom',
        path: ['options', index, 'required'],
        message: 'Required options must be placed before non-required options',
      });
    }
    optionalSeen ||= !option.required;
  });
}

const chatInputCommandSchema = z
  .looseObject({
    type: z.literal(CommandType.ChatInput),
    name: chatInputName,
    name_localizations: localizations(chatInputName),
    description: z.string().min(1).max(100),
    description_localizations: localizations(z.string().min(1).max(100)),
    options: z.array(optionSchema).max(25).optional(),
  })
  .superRefine((command, context) => checkOptionList(command.options ?? [], context));

const contextMenuName = z.string().min(1).max(32);

const contextMenuCommandSchema = (type: typeof CommandType.User | typeof CommandType.Message) =>
  z.looseObject({
    type: z.literal(type),
    name: contextMenuName,
    name_localizations: localizations(contextMenuName),
    description: z.literal('').optional(),
  });

/** `type` may be left out for chat-input commands, as Discord allows. */
export const commandSchema = z.preprocess(
  (body) => (isRecord(body) && body.type === undefined ? { ...body, type: CommandType.ChatInput } : body),
  z.discriminatedUnion('type', [
    chatInputCommandSchema,
    contextMenuCommandSchema(CommandType.User),
    contextMenuCommandSchema(CommandType.Message),
  ]),
);

export const commandListSchema = z.array(commandSchema).max(110);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export type CommandBody = z.infer<typeof commandSchema>;
