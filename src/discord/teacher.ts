import { PermissionFlagsBits, type Interaction } from 'discord.js';

function roleIdsOf(member: Interaction['member']): string[] {
  if (!member) return [];
  return Array.isArray(member.roles) ? member.roles : [...member.roles.cache.keys()];
}

/**
 * A teacher has the role named by TEACHER_ROLE (its id, or its name in any case) or may manage
 * the server.
 */
export function isTeacher(interaction: Interaction, teacherRole: string | undefined): boolean {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  if (!teacherRole) return false;
  const wanted = teacherRole.toLowerCase();
  return roleIdsOf(interaction.member).some(
    (id) => id === teacherRole || interaction.guild?.roles.cache.get(id)?.name.toLowerCase() === wanted,
  );
}
