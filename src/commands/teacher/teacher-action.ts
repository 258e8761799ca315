import type { TeacherActionDetails, TeacherActionKind } from '../../store/teacher-log';
import type { CommandContext } from '../command';

/** Records a change the teacher of `ctx` made, for `/teacher log`. */
export function logTeacherAction(ctx: CommandContext, action: TeacherActionKind, details: TeacherActionDetails = {}): void {
  ctx.services.teacherLog.record(ctx.guildId, { action, details, actor: ctx.user });
}
