import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Answer, CommandContext, ThreadPost } from '../commands/command';
import type { Services } from '../commands/services';
import { translator, type Locale } from '../i18n/translate';
import { withLocalTimes } from './timestamps';

export interface ConsoleOutput {
  /** Human-readable text. */
  text: (line: string) => void;
  /** One line that replaces itself (progress); null when the terminal cannot redraw lines. */
  status: ((line: string) => void) | null;
  /** Where chart images and other files go. */
  folder: string;
}

/** Prints an answer as plain text; files are written to the output folder and their paths printed. */
export function printAnswer(answer: Answer, output: ConsoleOutput): string[] {
  const lines: string[] = [];
  if (answer.content) lines.push(answer.content);
  for (const embed of answer.embeds ?? []) {
    if (embed.title) lines.push(`== ${embed.title} ==`);
    if (embed.description) lines.push(embed.description);
    for (const field of embed.fields ?? []) lines.push(`${field.name}: ${field.value}`);
    if (embed.footer) lines.push(embed.footer);
  }
  const written: string[] = [];
  if (answer.files?.length) {
    fs.mkdirSync(output.folder, { recursive: true });
    for (const file of answer.files) {
      const target = path.join(output.folder, path.basename(file.name));
      fs.writeFileSync(target, file.data);
      written.push(target);
      lines.push(`[file] ${target}`);
    }
  }
  if (answer.buttons?.length) lines.push(`[buttons] ${answer.buttons.map((button) => button.label).join(' | ')}`);
  output.text(withLocalTimes(lines.join('\n')));
  return written;
}

export interface ConsoleContext extends CommandContext {
  /** The last answer given, which --json prints. */
  readonly lastAnswer: Answer | null;
}

/** A command context for the console: the teacher's own machine, no server, replies printed. */
export function createConsoleContext(services: Services, locale: Locale, output: ConsoleOutput): ConsoleContext {
  let lastAnswer: Answer | null = null;
  let statusShown = false;
  const clearStatus = () => {
    if (statusShown) output.status?.('');
    statusShown = false;
  };
  const print = async (answer: Answer) => {
    clearStatus();
    lastAnswer = answer;
    printAnswer(answer, output);
  };
  return {
    user: { id: 'console', name: os.userInfo().username },
    guildId: null,
    channelId: null,
    locale,
    t: translator(locale),
    isTeacher: true,
    services,
    get lastAnswer() {
      return lastAnswer;
    },
    reply: print,
    followUp: print,
    async progress(answer) {
      if (!output.status || !answer.content) return;
      // Only one line fits: the answer's own one-line form (the progress bar), else its first line.
      output.status(answer.status ?? answer.content.split('\n')[0]);
      statusShown = true;
    },
    async postInThread(name, answer): Promise<ThreadPost> {
      output.text(`--- ${name} ---`);
      await print(answer);
      return { threadId: name, messageId: String(Date.now()) };
    },
  };
}
