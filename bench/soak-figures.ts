/**
 * What the soak measures, the targets it checks them against, and the report it prints. The
 * targets are those of issue 8 for a 60-minute run on the project's 2-core machine.
 */
export const TARGETS = {
  lateAcknowledgements: 0,
  lostJobs: 0,
  rateLimited: 0,
  rssGrowthMb: 50,
};

/** Discord's rule: an interaction not answered within 3 s is lost to its user. */
export const ACK_DEADLINE_MS = 3000;

export interface RssSample {
  botMb: number | null;
  trainerMb: number | null;
}

export interface SoakFigures {
  minutes: number;
  students: number;
  commandsSent: number;
  /** Milliseconds from each interaction's dispatch to its first response (null: none came). */
  acknowledgements: (number | null)[];
  jobsQueued: number;
  jobsFinished: number;
  jobsCancelled: number;
  jobsFailed: number;
  jobsLost: number;
  rateLimited: number;
  /** RSS "at start" is the median of the samples of the window after this warm-up; "at end" that of the last window. */
  warmUpSeconds: number;
  windowSeconds: number;
  rssStart: RssSample;
  rssEnd: RssSample;
  /** Every sample, seconds after the first command. */
  rssSeries: TimedSample[];
  /** The trainer's live tensors after each job, in order, as the bot logged them (null: the trainer had died). */
  liveTensors: (number | null)[];
  trainerRestarts: number;
}

export interface TimedSample {
  second: number;
  sample: RssSample;
}

function median(values: number[]): number | null {
  return percentile(values, 0.5);
}

/**
 * The median of the samples taken from `from` to `to` seconds, each process on its own: RSS
 * rises and falls by tens of MB with every garbage collection, and one sample could catch either.
 */
export function medianSample(series: TimedSample[], from: number, to: number): RssSample {
  const within = series.filter((entry) => entry.second >= from && entry.second <= to).map((entry) => entry.sample);
  const of = (process: keyof RssSample) => median(within.map((sample) => sample[process]).filter((value): value is number => value !== null));
  return { botMb: of('botMb'), trainerMb: of('trainerMb') };
}

export function percentile(values: number[], fraction: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function growth(start: number | null, end: number | null): number | null {
  return start === null || end === null ? null : end - start;
}

export interface Verdict {
  target: string;
  measured: string;
  met: boolean;
}

/** Every target, what was measured against it, and whether it was met. */
export function verdicts(figures: SoakFigures): Verdict[] {
  const late = figures.acknowledgements.filter((ms) => ms === null || ms > ACK_DEADLINE_MS).length;
  const botGrowth = growth(figures.rssStart.botMb, figures.rssEnd.botMb);
  const trainerGrowth = growth(figures.rssStart.trainerMb, figures.rssEnd.trainerMb);
  const baseline = figures.liveTensors.find((count) => count !== null) ?? null;
  const offBaseline = figures.liveTensors.filter((count) => count !== baseline).length;
  return [
    { target: `late acknowledgements (over ${ACK_DEADLINE_MS} ms or none) = ${TARGETS.lateAcknowledgements}`, measured: String(late), met: late <= TARGETS.lateAcknowledgements },
    { target: `lost jobs = ${TARGETS.lostJobs}`, measured: String(figures.jobsLost), met: figures.jobsLost <= TARGETS.lostJobs },
    { target: `429 answers = ${TARGETS.rateLimited}`, measured: String(figures.rateLimited), met: figures.rateLimited <= TARGETS.rateLimited },
    { target: `bot RSS growth < ${TARGETS.rssGrowthMb} MB`, measured: botGrowth === null ? 'not measured' : `${botGrowth.toFixed(1)} MB`, met: botGrowth !== null && botGrowth < TARGETS.rssGrowthMb },
    {
      target: `trainer RSS growth < ${TARGETS.rssGrowthMb} MB`,
      measured: trainerGrowth === null ? 'not measured' : `${trainerGrowth.toFixed(1)} MB`,
      met: trainerGrowth !== null && trainerGrowth < TARGETS.rssGrowthMb,
    },
    {
      target: 'live tensors back to the baseline after every job',
      measured: baseline === null ? 'no job reported' : `${offBaseline} of ${figures.liveTensors.length} jobs off the baseline of ${baseline}`,
      met: baseline !== null && offBaseline === 0,
    },
  ];
}

function peak(figures: SoakFigures, process: keyof RssSample): number | null {
  const values = [figures.rssStart, figures.rssEnd, ...figures.rssSeries.map((entry) => entry.sample)].map((sample) => sample[process]).filter((value): value is number => value !== null);
  return values.length ? Math.max(...values) : null;
}

const mb = (value: number | null) => (value === null ? '-' : `${value.toFixed(1)} MB`);

/** The report, one figure a line. */
export function report(figures: SoakFigures): string {
  const acknowledged = figures.acknowledgements.filter((ms): ms is number => ms !== null);
  const inTime = acknowledged.filter((ms) => ms <= ACK_DEADLINE_MS).length;
  const p99 = percentile(acknowledged, 0.99);
  const lines = [
    `soak: ${figures.minutes} min, ${figures.students} students`,
    `commands sent: ${figures.commandsSent}`,
    `acknowledged within ${ACK_DEADLINE_MS / 1000} s: ${inTime} of ${figures.acknowledgements.length} (p50 ${percentile(acknowledged, 0.5) ?? '-'} ms, p99 ${p99 ?? '-'} ms, max ${percentile(acknowledged, 1) ?? '-'} ms)`,
    `jobs: ${figures.jobsQueued} queued, ${figures.jobsFinished} finished, ${figures.jobsCancelled} cancelled, ${figures.jobsFailed} failed, ${figures.jobsLost} lost`,
    `429 answers: ${figures.rateLimited}`,
    `bot RSS: ${mb(figures.rssStart.botMb)} at start, ${mb(figures.rssEnd.botMb)} at end, ${mb(peak(figures, 'botMb'))} peak (medians of ${figures.windowSeconds} s, start after ${figures.warmUpSeconds} s of warm-up)`,
    `trainer RSS: ${mb(figures.rssStart.trainerMb)} at start, ${mb(figures.rssEnd.trainerMb)} at end, ${mb(peak(figures, 'trainerMb'))} peak${figures.trainerRestarts ? ` (restarted ${figures.trainerRestarts} times)` : ''}`,
    `live tensors after each job: ${figures.liveTensors.map((count) => count ?? '?').join(' ') || '-'}`,
    '',
    ...verdicts(figures).map((verdict) => `${verdict.met ? 'ok  ' : 'MISS'} ${verdict.target}: ${verdict.measured}`),
  ];
  return lines.join('\n');
}
