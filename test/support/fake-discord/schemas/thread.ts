import { z } from 'zod';

/** The body of POST /channels/{id}/threads and /channels/{id}/messages/{id}/threads. */
export const threadCreateSchema = z.looseObject({
  name: z.string().min(1).max(100),
  type: z.union([z.literal(10), z.literal(11), z.literal(12)]).optional(),
  auto_archive_duration: z.union([z.literal(60), z.literal(1440), z.literal(4320), z.literal(10080)]).optional(),
  invitable: z.boolean().optional(),
  rate_limit_per_user: z.number().int().min(0).max(21600).nullish(),
});
