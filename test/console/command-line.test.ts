import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadCommands } from '../../commands';
import type { AttachmentInput } from '../../src/commands/command';
import { parseCommandLine, splitWords } from '../../src/console/command-line';
import { translator } from '../../src/i18n/translate';

const commands = loadCommands();
const t = translator('en');

describe('parseCommandLine', () => {
  it('types named options as Discord would', () => {
    const parsed = parseCommandLine('/train epochs:3 units:128 normalize:false learning_rate:0.01 optimizer:sgd', commands, t);
    expect(parsed).toMatchObject({ ok: true, options: { epochs: 3, units: 128, normalize: false, learning_rate: 0.01, optimizer: 'sgd' } });
  });

  it('puts a bare word in the first option: /exercise 3', () => {
    expect(parseCommandLine('/exercise 3', commands, t)).toMatchObject({ ok: true, options: { number: 3 } });
  });

  it('refuses an unknown command, an unknown option and a badly typed value, politely', () => {
    expect(parseCommandLine('/fly', commands, t)).toEqual({ ok: false, message: expect.stringContaining('I do not know the command `fly`') });
    expect(parseCommandLine('/train colour:red', commands, t)).toEqual({ ok: false, message: expect.stringContaining('`colour` is not an option') });
    expect(parseCommandLine('/train epochs:many', commands, t)).toEqual({ ok: false, message: expect.stringContaining('`epochs` must be integer') });
  });

  it('takes a subcommand first, then its options: /teacher limits max_epochs:10', () => {
    expect(parseCommandLine('/teacher pause', commands, t)).toMatchObject({ ok: true, options: { pause: {} } });
    expect(parseCommandLine('/teacher limits max_epochs:10 reset:yes', commands, t)).toMatchObject({ ok: true, options: { limits: { max_epochs: 10, reset: true } } });
    expect(parseCommandLine('/teacher new-term "Spring 2027"', commands, t)).toMatchObject({ ok: true, options: { 'new-term': { name: 'Spring 2027' } } });
    expect(parseCommandLine('/teacher clear-queue user:123', commands, t)).toMatchObject({ ok: true, options: { 'clear-queue': { user: { id: '123', name: '123' } } } });
  });

  it('asks for a subcommand when there is none or it is unknown, and refuses an option the subcommand lacks', () => {
    const choose = t('error.choose_subcommand', { subcommands: 'pause, resume, limits, clear-queue, remove, restore, new-term, log' });
    expect(parseCommandLine('/teacher', commands, t)).toEqual({ ok: false, message: choose });
    expect(parseCommandLine('/teacher fly', commands, t)).toEqual({ ok: false, message: choose });
    expect(parseCommandLine('/teacher pause max_epochs:3', commands, t)).toEqual({ ok: false, message: expect.stringContaining('`max_epochs` is not an option') });
  });

  it('keeps quoted words together', () => {
    expect(splitWords('/compare runs:"r1 r2" x')).toEqual(['/compare', 'runs:r1 r2', 'x']);
  });

  it('reads an attachment option from a file path', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cl-')), 'shirt.png');
    fs.writeFileSync(file, Buffer.from('png bytes'));
    const parsed = parseCommandLine(`/classify image:${file}`, commands, t);
    if (!parsed.ok) throw new Error(parsed.message);
    const image = parsed.options.image as AttachmentInput;
    expect(image).toMatchObject({ name: 'shirt.png', size: 9, contentType: 'image/png' });
    expect(Buffer.from(await image.fetch()).toString()).toBe('png bytes');
  });
});
