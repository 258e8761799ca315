import { z } from 'zod';
import type { AttachmentInput, SlashCommand } from '../src/commands/command';
import { classifyAttachment } from '../src/commands/classify-flow';
import { runAutocomplete } from '../src/commands/run-lookup';

const attachment = z.custom<AttachmentInput>(
  (value) => typeof value === 'object' && value !== null && 'fetch' in value && 'size' in value && 'name' in value,
  'an attached picture',
);
const schema = z.object({ image: attachment, run: z.string().max(100).optional() }).strict();

/** `/classify image:<photo> [run:<id>]`: what piece of clothing is in the photo. */
export default {
  kind: 'slash',
  name: 'classify',
  key: 'classify',
  options: [
    { name: 'image', type: 'attachment', required: true },
    { name: 'run', type: 'string', autocomplete: true },
  ],
  schema,
  execute: async (ctx, options) => ctx.reply(await classifyAttachment(ctx, options.image, options.run)),
  autocomplete: (ctx, _option, typed) => runAutocomplete(ctx, typed),
} satisfies SlashCommand<z.infer<typeof schema>>;
