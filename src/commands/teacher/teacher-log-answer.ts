import type { Params, Translate } from '../../i18n/translate';
import type { TeacherAction } from '../../store/teacher-log';
import type { Answer, CommandContext } from '../command';
import { momentMarkup } from '../format';
import { teacherActionKey } from '../message-keys';

/** How many changes `/teacher log` shows. */
const SHOWN_CHANGES = 20;

/** What the change was, in the reader's words: the stored details fill the action's sentence. */
function describeAction(t: Translate, entry: TeacherAction): string {
  const { details } = entry;
  const params: Params = Object.fromEntries(Object.entries(details).map(([name, value]) => [name, value ?? '']));
  if (entry.action === 'limits') {
    params.changes = Object.entries(details)
      .map(([option, value]) => `${option} ${value ?? t('limits.no_limit')}`)
      .join(', ');
  }
  if (entry.action === 'clear-queue') params.whose = details.user ?? t('teacher.log.everyone');
  return t(teacherActionKey(entry.action), params);
}

/** `/teacher log`: the server's last changes by teachers, newest first, with who and when. */
export function teacherLogAnswer(ctx: CommandContext): Answer {
  const entries = ctx.services.teacherLog.latest(ctx.guildId, SHOWN_CHANGES);
  const data = { log: entries.map((entry) => ({ action: entry.action, details: entry.details, by: entry.actorName, at: entry.at })) };
  if (entries.length === 0) return { content: ctx.t('teacher.log_empty'), ephemeral: true, data };
  const lines = entries.map((entry) => ctx.t('teacher.log_line', { time: momentMarkup(entry.at), teacher: entry.actorName, what: describeAction(ctx.t, entry) }));
  return { embeds: [{ title: ctx.t('teacher.log_title', { count: SHOWN_CHANGES }), description: lines.join('\n') }], ephemeral: true, data };
}
