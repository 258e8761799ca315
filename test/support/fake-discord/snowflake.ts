const DISCORD_EPOCH_MS = 1_420_070_400_000n;
const INCREMENT_MASK = 0xfffn;

let increment = 0n;

/**
 * A new id shaped like Discord's: milliseconds since Discord's epoch in the top bits, so ids are
 * 18-19 digit strings that sort by creation time. @discordjs/rest only recognises 17-19 digit ids
 * as "major parameters" of a rate-limit bucket, so shorter made-up ids would change its behaviour.
 */
export function newSnowflake(now: number = Date.now()): string {
  increment = (increment + 1n) & INCREMENT_MASK;
  return (((BigInt(now) - DISCORD_EPOCH_MS) << 22n) | increment).toString();
}

/** Whether a string looks like a Discord id. */
export function isSnowflake(value: string): boolean {
  return /^\d{17,20}$/.test(value);
}
