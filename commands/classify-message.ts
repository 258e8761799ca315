import type { MessageCommand } from '../src/commands/command';
import { classifyAttachment } from '../src/commands/classify-flow';
import { refusal, refusalAnswer } from '../src/commands/refusal';

/** "Apps > Classify clothing" on a message: every picture in it gets an answer. */
export default {
  kind: 'message',
  name: 'Classify clothing',
  key: 'classify-message',
  async execute(ctx, message) {
    const pictures = message.attachments.filter((file) => file.contentType === null || file.contentType.startsWith('image/'));
    if (pictures.length === 0) return ctx.reply(refusalAnswer(ctx.t, refusal('no-images', 'classify.no_images')));
    const [first, ...others] = pictures;
    await ctx.reply(await classifyAttachment(ctx, first));
    for (const picture of others) await ctx.followUp(await classifyAttachment(ctx, picture));
  },
} satisfies MessageCommand;
