import { EXERCISES } from '../experiments/exercises';
import { integerOption, stringOption } from './option-declarations';

/** Options several commands share, declared once. */

/** An exercise's number: 1 to the number of exercises there are. */
export const exerciseNumberOption = <Required extends boolean = false>(presence: { required?: Required } = {}) =>
  integerOption<Required>({ min: 1, max: EXERCISES.length, ...presence });

/** A run's id, with suggestions as the student types. */
export const runIdOption = stringOption({ maxLength: 100, autocomplete: true });
