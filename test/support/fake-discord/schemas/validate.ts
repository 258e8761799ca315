import type { z } from 'zod';
import { discordErrors } from '../errors';

/**
 * Parses a request body with a zod schema; on failure throws Discord's "Invalid Form Body" (50035)
 * with the issues nested by path under `_errors`, the shape discord.js flattens into its message
 * (for example `content[TOO_BIG]: Too big: expected string to have <=2000 characters`).
 */
export function parseFormBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw discordErrors.invalidFormBody(nestIssues(parsed.error.issues));
}

interface ErrorNode {
  [key: string]: ErrorNode | Array<{ code: string; message: string }>;
}

function nestIssues(issues: z.core.$ZodIssue[]): ErrorNode {
  const root: ErrorNode = {};
  for (const issue of issues) {
    let node = root;
    for (const key of issue.path) node = (node[String(key)] ??= {}) as ErrorNode;
    const list = (node._errors ??= []) as Array<{ code: string; message: string }>;
    list.push({ code: issue.code.toUpperCase(), message: issue.message });
  }
  return root;
}
