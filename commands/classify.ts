import type { SlashCommand } from '../src/commands/command';
import { classifyAttachment } from '../src/commands/classify-flow';
import { runIdOption } from '../src/commands/common-options';
import { attachmentOption, declareOptions } from '../src/commands/option-declarations';
import { runAutocomplete } from '../src/commands/run-lookup';

const options = declareOptions({ image: attachmentOption({ required: true }), run: runIdOption });

/** `/classify image:<photo> [run:<id>]`: what piece of clothing is in the photo. */
export default {
  kind: 'slash',
  name: 'classify',
  key: 'classify',
  options,
  execute: async (ctx, { image, run }) => ctx.reply(await classifyAttachment(ctx, image, run)),
  autocomplete: (ctx, _option, typed) => runAutocomplete(ctx, typed),
} satisfies SlashCommand<typeof options>;
