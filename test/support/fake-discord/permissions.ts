/** The few permission bits the fake hands out (Discord's numbering). */
const Permission = {
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseApplicationCommands: 1n << 31n,
  ManageThreads: 1n << 34n,
  CreatePublicThreads: 1n << 35n,
  CreatePrivateThreads: 1n << 36n,
  SendMessagesInThreads: 1n << 38n,
  PinMessages: 1n << 51n,
} as const;

/** What @everyone may do in a class server. */
export const EVERYONE_PERMISSIONS = (
  Permission.AddReactions |
  Permission.ViewChannel |
  Permission.SendMessages |
  Permission.EmbedLinks |
  Permission.AttachFiles |
  Permission.ReadMessageHistory |
  Permission.UseApplicationCommands |
  Permission.CreatePublicThreads |
  Permission.SendMessagesInThreads
).toString();

/** What the bot may do: everything a student may, plus pinning and managing threads. */
export const BOT_PERMISSIONS = (
  BigInt(EVERYONE_PERMISSIONS) |
  Permission.ManageMessages |
  Permission.ManageThreads |
  Permission.CreatePrivateThreads |
  Permission.PinMessages
).toString();

/** A member's permissions: the union of @everyone's and their roles'. */
export function combinePermissions(permissions: string[]): string {
  return permissions.reduce((all, bits) => all | BigInt(bits), 0n).toString();
}
