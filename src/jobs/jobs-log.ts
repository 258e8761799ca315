/** Where the queue and the trainer client write: notes, and errors with their cause (the adapters' Logger fits). */
export interface JobsLog {
  info(message: string): void;
  error(message: string, cause?: unknown): void;
}

export const SILENT_LOG: JobsLog = { info: () => undefined, error: () => undefined };
