import type { Answer } from '../../src/commands/command';
import { followUpBody, messageBody, messageEditBody } from '../../src/discord/message-payload';

const answer: Answer = {
  content: 'Hello @everyone and <@212345678901234567>',
  embeds: [{ title: 'Run r1', description: 'x'.repeat(5000), fields: [{ name: 'Loss', value: '' }], image: 'r1-curves.png', footer: 'f', color: 0x2f9e44 }],
  files: [{ name: 'r1-curves.png', data: Buffer.from('png') }],
  buttons: Array.from({ length: 7 }, (_, index) => ({ customId: `b:${index}`, label: `Button ${index}`, style: 'primary' as const })),
};

describe('answers as Discord messages', () => {
  it('never lets echoed text mention anyone', () => {
    expect(messageBody(answer).allowedMentions).toEqual({ parse: [] });
    expect(messageEditBody(answer).allowedMentions).toEqual({ parse: [] });
    expect(followUpBody({ content: 'x', ephemeral: true }).allowedMentions).toEqual({ parse: [] });
  });

  it('shows an embed’s image from the attached file of that name', () => {
    const body = messageBody(answer);
    expect(body.embeds[0].toJSON().image?.url).toBe('attachment://r1-curves.png');
    expect(body.files.map((file) => file.name)).toEqual(['r1-curves.png']);
  });

  it('puts buttons in rows of at most five', () => {
    const rows = messageBody(answer).components.map((row) => row.toJSON().components.length);
    expect(rows).toEqual([5, 2]);
  });

  it('cuts text to Discord’s limits instead of being refused', () => {
    const embed = messageBody(answer).embeds[0].toJSON();
    expect([...(embed.description ?? '')]).toHaveLength(4096);
    expect(embed.description?.endsWith('…')).toBe(true);
    expect(embed.fields?.[0].value).toBe('\u200b');
    expect(messageBody({ content: '가'.repeat(2500) }).content).toHaveLength(2000);
  });

  it('replaces everything on edit, and marks ephemeral follow-ups', () => {
    const edit = messageEditBody({ content: 'only text' });
    expect(edit).toMatchObject({ content: 'only text', embeds: [], files: [], components: [], attachments: [] });
    expect(followUpBody({ content: 'secret', ephemeral: true }).flags).toBe(64);
    expect(followUpBody({ content: 'public' }).flags).toBeUndefined();
  });
});
