import { createApp, type App } from '../../src/app';
import type { AttachmentInput } from '../../src/commands/command';
import { classifyAttachment } from '../../src/commands/classify-flow';
import { parseConfig } from '../../src/config';
import { DEBIAN_DATASET_DIR, readFashionMnist } from '../../src/trainer/dataset';
import { decompressionBombPng, photoLikeSample, solidPng, SVG_PICTURE, TEXT_FILE } from '../support/photos';
import { recordingContext } from '../support/recording-context';
import { trainerTestEnv } from '../support/trainer-env';

const quiet = { info: () => undefined, error: () => undefined };
let app: App;

beforeAll(() => {
  const env = trainerTestEnv();
  app = createApp(parseConfig(env), { log: quiet, trainerEnv: env });
});
afterAll(() => app.close());

function attachment(name: string, bytes: Uint8Array, contentType: string | null, declaredSize = bytes.length): AttachmentInput {
  return { name, size: declaredSize, contentType, fetch: async () => bytes };
}

const test10k = readFashionMnist(DEBIAN_DATASET_DIR).test;

describe('bad pictures get a clear answer in the user’s language, and change nothing', () => {
  const cases: [string, () => Promise<AttachmentInput>, string][] = [
    ['a photo over the size cap, refused before download', async () => attachment('big.jpg', new Uint8Array(0), 'image/jpeg', 9 * 1024 * 1024), 'too-large'],
    ['a text file named .png', async () => attachment('shirt.png', Buffer.from(TEXT_FILE), 'image/png'), 'not-an-image'],
    ['an SVG', async () => attachment('shirt.svg', Buffer.from(SVG_PICTURE), 'image/svg+xml'), 'svg'],
    ['an SVG declared as PNG', async () => attachment('shirt.png', Buffer.from(SVG_PICTURE), 'image/png'), 'svg'],
    ['a 1x1 PNG', async () => attachment('dot.png', await solidPng(1, 1), 'image/png'), 'too-small'],
    ['a 20000x1 PNG', async () => attachment('line.png', await solidPng(20000, 1), 'image/png'), 'bad-aspect'],
    ['a decompression bomb', async () => attachment('bomb.png', decompressionBombPng(), 'image/png'), 'too-many-pixels'],
    ['a truncated JPEG', async () => {
      const photo = await photoLikeSample(test10k, 0);
      return attachment('cut.jpg', photo.bytes.subarray(0, Math.floor(photo.bytes.length / 2)), 'image/jpeg');
    }, 'corrupt'],
    ['an empty file', async () => attachment('empty.png', new Uint8Array(0), 'image/png'), 'not-an-image'],
  ];

  it.each(cases)('%s', async (_name, make, code) => {
    const { ctx } = recordingContext(app.services, { locale: 'ko' });
    const answer = await classifyAttachment(ctx, await make());
    expect(answer.ephemeral).toBe(true);
    expect(answer.data).toEqual({ error: { code, message: expect.any(String) } });
    expect(answer.content).toMatch(/[가-힣]/);
    expect(app.services.queue.waiting()).toEqual([]);
    expect(app.services.trainer.clients.map((client) => client.pid)).toEqual([undefined]);
  });

  it('never downloads more than the cap even when the declared size lied', async () => {
    const { ctx } = recordingContext(app.services);
    const lie = attachment('small.png', new Uint8Array(9 * 1024 * 1024), 'image/png', 10);
    expect((await classifyAttachment(ctx, lie)).data).toEqual({ error: { code: 'too-large', message: expect.stringContaining('8 MB') } });
  });
});
