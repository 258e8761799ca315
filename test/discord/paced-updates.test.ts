/** The pacing of a message's edits. Time is the subject, so the clock is jest's: no real waits. */
import { PacedUpdates } from '../../src/discord/paced-updates';

const INTERVAL = 2000;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A PacedUpdates whose sends take `sendMs` and are recorded with their start times. */
function recorder(sendMs = 20, failOn: string | null = null) {
  const sent: { value: string; at: number }[] = [];
  const errors: unknown[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const paced = new PacedUpdates<string>({
    intervalMs: INTERVAL,
    onError: (error) => errors.push(error),
    send: async (value) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      sent.push({ value, at: Date.now() });
      await wait(sendMs);
      inFlight -= 1;
      if (value === failOn) throw new Error(`could not send ${value}`);
    },
  });
  return { paced, sent, errors, maxInFlight: () => maxInFlight };
}

/** Lets `promise` settle while the fake clock runs far enough for every paced send. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  await jest.advanceTimersByTimeAsync(INTERVAL * 5);
  return promise;
}

beforeEach(() => {
  jest.useFakeTimers();
});

afterEach(() => {
  jest.useRealTimers();
});

describe('PacedUpdates', () => {
  it('sends only the latest progress of a burst, and the next burst an interval later', async () => {
    const { paced, sent } = recorder();
    for (let i = 1; i <= 10; i++) paced.progress(`p${i}`);
    await jest.advanceTimersByTimeAsync(10);
    for (let i = 1; i <= 10; i++) paced.progress(`q${i}`);
    await jest.advanceTimersByTimeAsync(INTERVAL - 11);
    expect(sent.map((entry) => entry.value)).toEqual(['p10']);
    await settle(paced.settled());
    expect(sent.map((entry) => entry.value)).toEqual(['p10', 'q10']);
    expect(sent[1].at - sent[0].at).toBe(INTERVAL);
  });

  it('keeps at least the interval between the starts of two sends, and never two in flight', async () => {
    const { paced, sent, maxInFlight } = recorder(INTERVAL / 2);
    for (let i = 1; i <= 6; i++) {
      paced.progress(`p${i}`);
      await jest.advanceTimersByTimeAsync(INTERVAL / 3);
    }
    await settle(paced.update('final'));
    const gaps = sent.slice(1).map((entry, index) => entry.at - sent[index].at);
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(INTERVAL);
    expect(maxInFlight()).toBe(1);
    expect(sent.at(-1)?.value).toBe('final');
  });

  it('lets an update supersede waiting progress, after the send in flight', async () => {
    const { paced, sent } = recorder(60);
    paced.progress('p1');
    await jest.advanceTimersByTimeAsync(10); // p1 is being sent
    paced.progress('p2');
    await settle(paced.update('final'));
    await settle(paced.settled());
    expect(sent.map((entry) => entry.value)).toEqual(['p1', 'final']);
  });

  it('sends progress given after an update after that update', async () => {
    const { paced, sent } = recorder();
    const done = paced.update('queued');
    paced.progress('p1');
    await settle(done);
    await settle(paced.settled());
    expect(sent.map((entry) => entry.value)).toEqual(['queued', 'p1']);
    expect(sent[1].at - sent[0].at).toBe(INTERVAL);
  });

  it('rejects an update that fails, reports a failed progress, and carries on', async () => {
    const { paced, sent, errors } = recorder(5, 'p1');
    paced.progress('p1');
    await jest.advanceTimersByTimeAsync(1);
    await expect(settle(paced.update('final'))).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
    const failing = recorder(5, 'final');
    const failed = failing.paced.update('final');
    await expect(settle(failed)).rejects.toThrow('could not send final');
    await settle(failing.paced.update('again'));
    expect(sent.map((entry) => entry.value)).toEqual(['p1', 'final']);
    expect(failing.sent.map((entry) => entry.value)).toEqual(['final', 'again']);
  });
});
