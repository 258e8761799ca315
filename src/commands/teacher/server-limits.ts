import type { ServerLimitName, LimitOverrides, ServerLimits } from '../../experiments/server-limits';
import type { MessageKey, Sentence } from '../../i18n/translate';
import { trainingPayloadSchema } from '../../jobs/queue';
import type { Answer, CommandContext } from '../command';
import { booleanOption, declareOptions, integerOption, type OptionValues } from '../option-declarations';
import { optionsRefusal } from '../options';
import { refusalAnswer } from '../refusal';
import { logTeacherAction } from './teacher-action';

/** A limit as `/teacher limits` sets it: its option, its line in the answer, and the variable of the configuration that caps it. */
interface LimitOption {
  option: Exclude<keyof LimitsOptions, 'reset'>;
  limit: ServerLimitName;
  label: MessageKey;
  variable: string | null;
}

const LIMIT_OPTIONS: readonly LimitOption[] = [
  { option: 'max_epochs', limit: 'maxEpochs', label: 'limits.max_epochs', variable: 'MAX_EPOCHS' },
  { option: 'max_units', limit: 'maxUnits', label: 'limits.max_units', variable: 'MAX_UNITS' },
  { option: 'max_batch_size', limit: 'maxBatchSize', label: 'limits.max_batch_size', variable: 'MAX_BATCH_SIZE' },
  { option: 'train_examples', limit: 'trainExamples', label: 'limits.train_examples', variable: 'TRAIN_EXAMPLES' },
  { option: 'jobs_per_day', limit: 'jobsPerDay', label: 'limits.jobs_per_day', variable: null },
];

/** The options of `/teacher limits`, bounded as the configuration's variables are; 0 jobs a day means no limit. */
const LIMITS_DECLARATIONS = {
  max_epochs: integerOption({ min: 1, max: 1000 }),
  max_units: integerOption({ min: 1, max: 8192 }),
  max_batch_size: integerOption({ min: 1, max: 60000 }),
  train_examples: integerOption({ min: 1, max: 60000 }),
  jobs_per_day: integerOption({ min: 0, max: 1000 }),
  reset: booleanOption(),
};

export const limitsOptions = declareOptions(LIMITS_DECLARATIONS);
export type LimitsOptions = OptionValues<typeof LIMITS_DECLARATIONS>;

/** The changes the options ask for, as overrides of the configuration. */
function requestedChanges(options: LimitsOptions): LimitOverrides {
  const changes: LimitOverrides = {};
  for (const { option, limit } of LIMIT_OPTIONS) {
    const value = options[option];
    if (typeof value !== 'number') continue;
    changes[limit] = limit === 'jobsPerDay' && value === 0 ? null : value;
  }
  return changes;
}

/** One line per option set above what this machine allows (a teacher lowers limits, never past the configuration's). */
function aboveConfigured(ctx: CommandContext, changes: LimitOverrides): Sentence[] {
  const { configured } = ctx.services.rules;
  return LIMIT_OPTIONS.flatMap(({ option, limit, variable }): Sentence[] => {
    const value = changes[limit];
    const maximum = configured[limit];
    if (value === undefined || value === null || maximum === null || variable === null || value <= maximum) return [];
    return [{ key: 'error.limit_above_configured', params: { option, maximum, variable } }];
  });
}

/** The server's limits, one line each, saying which a teacher set here. */
function limitsEmbed(ctx: CommandContext, limits: ServerLimits, overrides: LimitOverrides) {
  const { t } = ctx;
  const lines = LIMIT_OPTIONS.map(({ limit, label }) =>
    t('limits.line', {
      name: t(label),
      value: limits[limit] ?? t('limits.no_limit'),
      source: t(overrides[limit] === undefined ? 'limits.configured' : 'limits.set_here'),
    }),
  );
  return { title: t('teacher.limits_title'), description: lines.join('\n'), footer: t('teacher.limits_window') };
}

/** How many of the server's waiting jobs the limits no longer admit (their students hear it when the job's turn comes). */
function waitingOverLimits(ctx: CommandContext): number {
  const { queue, rules } = ctx.services;
  return queue.waiting().filter((job) => {
    const payload = trainingPayloadSchema.safeParse(job.payload);
    return job.guildId === ctx.guildId && payload.success && !rules.settingsToRun(job, payload.data.spec).ok;
  }).length;
}

/**
 * `/teacher limits`: without options, this server's limits; with them, the limits changed live
 * (after going back to the configuration's first, with `reset`), stored and logged.
 */
export function limitsAnswer(ctx: CommandContext, options: LimitsOptions): Answer {
  const { settings, rules } = ctx.services;
  const changes = requestedChanges(options);
  const changing = Object.keys(changes).length > 0;
  if (!changing && !options.reset) {
    const limits = rules.limitsOf(ctx.guildId);
    return { embeds: [limitsEmbed(ctx, limits, settings.overridesOf(ctx.guildId))], ephemeral: true, data: { limits } };
  }
  const tooHigh = aboveConfigured(ctx, changes);
  if (tooHigh.length > 0) return refusalAnswer(ctx.t, optionsRefusal(tooHigh));
  if (options.reset) {
    settings.clearOverrides(ctx.guildId);
    logTeacherAction(ctx, 'limits-reset');
  }
  if (changing) {
    settings.setOverrides(ctx.guildId, changes);
    logTeacherAction(ctx, 'limits', Object.fromEntries(LIMIT_OPTIONS.flatMap(({ option, limit }) => (limit in changes ? [[option, changes[limit] ?? null]] : []))));
  }
  const limits = rules.limitsOf(ctx.guildId);
  const over = waitingOverLimits(ctx);
  const headline = ctx.t(changing ? 'teacher.limits_changed' : 'teacher.limits_reset', { teacher: ctx.user.name });
  return {
    content: [headline, ...(over > 0 ? [ctx.t('teacher.limits_waiting_over', { count: over })] : [])].join('\n'),
    embeds: [limitsEmbed(ctx, limits, settings.overridesOf(ctx.guildId))],
    data: { limits, waitingOverLimits: over },
  };
}
