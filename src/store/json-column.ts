import type { z } from 'zod';

/**
 * A row whose stored JSON no longer matches what the program expects (edited by hand, written by
 * another version). Callers show a short apology and log `message` and `cause`.
 */
export class CorruptRecordError extends Error {
  constructor(
    readonly where: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Stored data in ${where} is invalid: ${detail}`, options);
  }
}

/** JSON text for a column; refuses values JSON cannot hold (undefined, functions, bigint). */
export function toJsonText(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} is not JSON-serialisable`);
  return text;
}

/** Parses a JSON column and checks it against `schema`. `where` names the row for the error. */
export function parseJsonColumn<T extends z.ZodType>(text: string, schema: T, where: string): z.output<T> {
  return checkColumn(readJson(text, where), schema, where);
}

/** Checks a column's value against `schema`. `where` names the row for the error. */
export function checkColumn<T extends z.ZodType>(value: unknown, schema: T, where: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new CorruptRecordError(where, summariseIssues(parsed.error), { cause: parsed.error });
  }
  return parsed.data;
}

/** Parses a JSON column whose shape the caller checks (job payloads, reply references). */
export function readJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CorruptRecordError(where, 'not valid JSON', { cause: error });
  }
}

/** "epochs: Too big: expected number to be <=50; seed: ..." */
export function summariseIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}
