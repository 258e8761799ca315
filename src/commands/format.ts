/** Number formats shared by every answer, so a loss always looks the same. */
export const formatLoss = (loss: number) => (Number.isFinite(loss) ? loss.toFixed(4) : String(loss));
export const formatAccuracy = (accuracy: number) => accuracy.toFixed(4);
export const formatProbability = (probability: number) => probability.toFixed(3);
export const formatSeconds = (seconds: number) => (seconds < 10 ? seconds.toFixed(1) : Math.round(seconds).toString());

/** 75 -> "1 min 15 s", 20 -> "20 s". */
export function formatDuration(seconds: number): string {
  const rounded = Math.max(0, Math.round(seconds));
  if (rounded < 60) return `${rounded} s`;
  const minutes = Math.floor(rounded / 60);
  if (minutes < 60) return `${minutes} min ${rounded % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A text progress bar: `▰▰▰▱▱▱▱▱▱▱`. */
export function progressBar(fraction: number, width = 12): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '▰'.repeat(filled) + '▱'.repeat(width - filled);
}

/**
 * A moment (milliseconds since 1970) as Discord's timestamp markup: each reader sees its date and
 * time in their own time zone and language. The console adapter writes it as local time.
 */
export const momentMarkup = (ms: number): string => `<t:${Math.floor(ms / 1000)}:f>`;
