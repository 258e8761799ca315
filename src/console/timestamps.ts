/** Discord's timestamp markup, `<t:SECONDS>` or `<t:SECONDS:STYLE>`. */
const TIMESTAMP = /<t:(-?\d+)(?::[tTdDfFR])?>/g;

function localTime(seconds: number): string {
  const date = new Date(seconds * 1000);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Text with Discord's timestamps written as this machine's local time, as a terminal shows them. */
export function withLocalTimes(text: string): string {
  return text.replace(TIMESTAMP, (_markup, seconds: string) => localTime(Number(seconds)));
}
