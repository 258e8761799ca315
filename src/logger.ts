/** Where the bot's parts write: notes, and errors with their cause (stderr or a file, see logging.ts). */
export interface Logger {
  info(message: string): void;
  error(message: string, cause?: unknown): void;
}

/** A logger that drops everything, for parts made without one (tests, tools). */
export const SILENT_LOGGER: Logger = { info: () => undefined, error: () => undefined };
