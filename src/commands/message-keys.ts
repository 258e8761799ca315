import type { ExerciseNumber, VariantKey } from '../experiments/exercises';
import type { RunFailure, StopReason } from '../experiments/results';
import type { ImageErrorCode } from '../images/image-error';
import type { TeacherActionKind } from '../store/teacher-log';
import type { KeyPart, MessageKey } from '../i18n/translate';

/**
 * The catalogue key of each code the program names, as a function of the code's type: a code
 * without its sentence (a new failure, exercise or option) is a type error, not a crash at run time.
 */
export type CommandKey = KeyPart<'command.', '.name'>;
export type SlashCommandKey = KeyPart<'command.', '.description'>;
export type OptionName = KeyPart<'option.', '.name'>;
export type SubcommandName = KeyPart<'subcommand.', '.name'>;

export const commandNameKey = (key: CommandKey): MessageKey => `command.${key}.name`;
export const commandDescriptionKey = (key: SlashCommandKey): MessageKey => `command.${key}.description`;
export const optionNameKey = (name: OptionName): MessageKey => `option.${name}.name`;
export const optionDescriptionKey = (name: OptionName): MessageKey => `option.${name}.description`;
export const subcommandNameKey = (name: SubcommandName): MessageKey => `subcommand.${name}.name`;
export const subcommandDescriptionKey = (name: SubcommandName): MessageKey => `subcommand.${name}.description`;

export const failureKey = (code: RunFailure['code']): MessageKey => `failure.${code}`;
export const imageErrorKey = (code: ImageErrorCode): MessageKey => `image.${code}`;
export const comparedStopKey = (kind: StopReason['kind']): MessageKey => `compare.stop.${kind}`;
export const teacherActionKey = (action: TeacherActionKind): MessageKey => `teacher.log.${action}`;

export type ExerciseText = 'title' | 'what' | 'notice' | 'after';
export const exerciseKey = (number: ExerciseNumber, part: ExerciseText): MessageKey => `exercise.${number}.${part}`;
export const variantLabelKey = (key: VariantKey): MessageKey => `exercise.variant.${key}`;
