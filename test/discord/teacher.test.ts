/**
 * A teacher runs the lesson from Discord with /teacher, through the real bot, the real trainer and
 * the fake Discord: students are refused it; pause holds new jobs and resume lets them run; limits
 * lowered while a job waits; a removed run leaves the leaderboard and comes back; a new term starts
 * the leaderboard afresh and keeps the history; the daily quota on the lab's own clock; clearing
 * the queue tells each student privately; every change in /teacher log. English and Korean.
 */
import { parseCsv } from '../store/fixtures/parse-csv';
import type { FakeInteraction, FakeUser, OptionValue } from '../support/fake-discord';
import { answered, en, jobIdOf, ko, latestMessage, runEnded, runIdOf, sentencePattern, startLab, textOf, until, users, type Lab } from './lab';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The lab's clock: real time, moved on by the quota's test (never by sleeping). */
let clockOffset = 0;
let lab: Lab;

beforeAll(async () => {
  lab = await startLab({ now: () => Date.now() + clockOffset });
});

afterAll(async () => {
  await lab?.stop();
});

const koreanTeacher: FakeUser = { ...users.teacher, locale: 'ko' };

function teacher(subcommand: string, options: Record<string, OptionValue> = {}, user: FakeUser = users.teacher): Promise<FakeInteraction> {
  return lab.fake.slashCommand({ user, name: 'teacher', subcommand, options });
}

function train(user: FakeUser, epochs = 1): Promise<FakeInteraction> {
  return lab.fake.slashCommand({ user, name: 'train', options: { epochs } });
}

const guildId = () => lab.fake.guildId;
const jobState = (jobId: number) => lab.app.services.jobs.get(jobId)?.state;
const leaderboardRuns = () => lab.app.services.runs.leaderboard(guildId()).map((entry) => entry.run.runId);

it('refuses /teacher to a student, privately and in their language, and changes nothing', async () => {
  const english = await answered(await teacher('pause', {}, users.alex));
  const korean = await answered(await teacher('limits', { max_epochs: 1 }, users.mina));
  expect(english).toMatchObject({ ephemeral: true, content: en('error.teacher_only') });
  expect(korean).toMatchObject({ ephemeral: true, content: ko('error.teacher_only') });
  expect(lab.app.services.settings.pauseOf(guildId())).toBeNull();
  expect(lab.app.services.settings.overridesOf(guildId())).toEqual({});
  expect(lab.app.services.teacherLog.latest(guildId(), 20)).toEqual([]);
});

describe('pause, queue, resume', () => {
  let alexRun: FakeInteraction;
  let minaRun: FakeInteraction;
  let minaJob: number;

  it('lets the running job finish while new jobs wait, saying so with their position', async () => {
    alexRun = await train(users.alex, 2);
    const alexJob = jobIdOf(await answered(alexRun));
    await until(() => lab.app.services.queue.running()[0]?.id === alexJob, 'alex’s job to start');

    const paused = await answered(await teacher('pause'));
    expect(paused).toMatchObject({ ephemeral: false, content: en('teacher.paused', { teacher: 'ms_kim' }) });

    minaRun = await train(users.mina);
    const queued = await answered(minaRun);
    expect(queued.content).toMatch(sentencePattern(ko, 'queue.queued_paused', { position: 2, teacher: 'ms_kim' }));
    minaJob = jobIdOf(queued);

    await runEnded(alexRun);
    // Had the pause not held it, Mina's job would have been claimed the moment Alex's ended.
    expect(jobState(minaJob)).toBe('queued');
    expect(lab.app.services.queue.running()).toEqual([]);
  });

  it('shows in /queue and /status that the lab is paused and by whom, in English and Korean', async () => {
    const queueEn = textOf(await answered(await lab.fake.slashCommand({ user: users.sam, name: 'queue' })));
    const queueKo = textOf(await answered(await lab.fake.slashCommand({ user: users.mina, name: 'queue' })));
    const status = textOf(await answered(await lab.fake.slashCommand({ user: users.sam, name: 'status' }), 60_000));
    expect(queueEn).toMatch(sentencePattern(en, 'queue.paused', { teacher: 'ms_kim' }));
    expect(queueEn).toMatch(sentencePattern(en, 'queue.waiting', { position: 1, jobId: minaJob, user: 'mina' }));
    expect(queueKo).toMatch(sentencePattern(ko, 'queue.paused', { teacher: 'ms_kim' }));
    expect(status).toMatch(sentencePattern(en, 'status.lab_paused', { teacher: 'ms_kim' }));
  });

  it('says so when the lab is paused already, and resume lets the waiting job run', async () => {
    const again = await answered(await teacher('pause'));
    expect(again.ephemeral).toBe(true);
    expect(again.content).toMatch(sentencePattern(en, 'teacher.already_paused', { teacher: 'ms_kim' }));

    const resumed = await answered(await teacher('resume'));
    expect(resumed).toMatchObject({ ephemeral: false, content: en('teacher.resumed', { teacher: 'ms_kim', waiting: 1 }) });
    const result = await runEnded(minaRun);
    expect(textOf(result)).toMatch(sentencePattern(ko, 'result.title', { headline: ko('result.headline.accuracy', { accuracy: '{accuracy}' }) }));
    expect(lab.app.services.settings.pauseOf(guildId())).toBeNull();
  });
});

describe('limits', () => {
  it('tells a waiting job that no longer fits lowered limits, when its turn comes', async () => {
    await answered(await teacher('pause'));
    const alexRun = await train(users.alex, 3);
    const alexJob = jobIdOf(await answered(alexRun));

    const changed = await answered(await teacher('limits', { max_epochs: 2 }));
    expect(changed.ephemeral).toBe(false);
    expect(changed.content).toContain(en('teacher.limits_changed', { teacher: 'ms_kim' }));
    expect(changed.content).toContain(en('teacher.limits_waiting_over', { count: 1 }));

    await answered(await teacher('resume'));
    const told = await alexRun.waitFor((i) => (latestMessage(i)?.content === en('failure.over-limits', { maxEpochs: 2, maxUnits: 2048, maxBatchSize: 1024 }) ? latestMessage(i) : undefined), 30_000);
    expect(told).toBeDefined();
    expect(lab.app.services.jobs.get(alexJob)).toMatchObject({ state: 'failed', failure: { code: 'over-limits' } });
  });

  it('applies them to new jobs at once: /train refuses more epochs, in the student’s language', async () => {
    const english = await answered(await train(users.sam, 3));
    const korean = await answered(await train(users.mina, 3));
    expect(english.ephemeral).toBe(true);
    expect(english.content).toContain(en('error.option.too_big', { option: 'epochs', maximum: 2 }));
    expect(korean.content).toContain(ko('error.option.too_big', { option: 'epochs', maximum: 2 }));
    expect(lab.app.services.queue.waiting()).toEqual([]);
  });

  it('shows the current limits without options, saying which were set here, and /help uses them', async () => {
    const shown = textOf(await answered(await teacher('limits', {}, koreanTeacher)));
    expect(shown).toContain(ko('teacher.limits_title'));
    expect(shown).toContain(ko('limits.line', { name: ko('limits.max_epochs'), value: 2, source: ko('limits.set_here') }));
    expect(shown).toContain(ko('limits.line', { name: ko('limits.max_units'), value: 2048, source: ko('limits.configured') }));
    expect(shown).toContain(ko('limits.line', { name: ko('limits.jobs_per_day'), value: ko('limits.no_limit'), source: ko('limits.configured') }));
    const help = textOf(await answered(await lab.fake.slashCommand({ user: users.alex, name: 'help' })));
    expect(help).toContain(en('help.limits_value', { maxEpochs: 2, maxUnits: 2048, maxBatchSize: 1024, trainExamples: 600, jobs: en('help.no_daily_limit') }));
    expect(help).toContain('/teacher new-term');
  });

  it('trains new runs on the server’s number of training images', async () => {
    await answered(await teacher('limits', { train_examples: 300 }));
    const result = await runEnded(await train(users.mina));
    expect(lab.app.services.runs.getRun(runIdOf(result))?.result.trainExamples).toBe(300);
  });

  it('refuses a limit above the configuration’s, changing nothing, and `reset` goes back to the configuration’s', async () => {
    const refused = await answered(await teacher('limits', { max_epochs: 100 }));
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toContain(en('error.limit_above_configured', { option: 'max_epochs', maximum: 50, variable: 'MAX_EPOCHS' }));
    expect(lab.app.services.rules.limitsOf(guildId()).maxEpochs).toBe(2);

    const reset = await answered(await teacher('limits', { reset: true }));
    expect(reset.content).toBe(en('teacher.limits_reset', { teacher: 'ms_kim' }));
    expect(lab.app.services.rules.limitsOf(guildId())).toEqual(lab.app.services.rules.configured);
  });
});

describe('removing a run', () => {
  let removed = '';

  it('takes it off the leaderboard and /compare’s choices, keeping it in /history and /export', async () => {
    [removed] = leaderboardRuns();
    expect(removed).toBeDefined();
    const answer = await answered(await teacher('remove', { run: removed }));
    expect(answer.ephemeral).toBe(true);
    expect(answer.content).toMatch(sentencePattern(en, 'teacher.removed', { runId: removed }));

    const board = textOf(await answered(await lab.fake.slashCommand({ user: users.sam, name: 'leaderboard' }), 30_000));
    expect(board).not.toContain(removed);
    const choices = await lab.fake.autocomplete({ user: users.sam, name: 'compare', options: { first: removed.slice(0, 4) }, focused: 'first' });
    const { choices: offered } = (await choices.waitFor((i) => i.callbacks[0])).data as { choices: { value: string }[] };
    expect(offered.map((choice) => choice.value)).not.toContain(removed);

    const owner = lab.app.services.runs.getRun(removed)!.ownerId;
    const ownerUser = Object.values(users).find((user) => user.id === owner)!;
    const history = textOf(await answered(await lab.fake.slashCommand({ user: ownerUser, name: 'history' })));
    expect(history).toContain(removed);
    expect(history).toContain((ownerUser.locale === 'ko' ? ko : en)('history.removed'));
    const exported = await answered(await lab.fake.slashCommand({ user: users.teacher, name: 'export' }));
    const [header, ...rows] = parseCsv(exported.files[0].bytes.toString('utf8'));
    const row = rows.find((cells) => cells[header.indexOf('run_id')] === removed);
    expect(row?.[header.indexOf('removed_at')]).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('comes back on restore', async () => {
    const restoreChoices = await lab.fake.autocomplete({ user: users.teacher, name: 'teacher', subcommand: 'restore', options: { run: '' }, focused: 'run' });
    const { choices } = (await restoreChoices.waitFor((i) => i.callbacks[0])).data as { choices: { value: string }[] };
    expect(choices.map((choice) => choice.value)).toEqual([removed]);

    const answer = await answered(await teacher('restore', { run: removed }, koreanTeacher));
    expect(answer.content).toMatch(sentencePattern(ko, 'teacher.restored', { runId: removed }));
    const board = textOf(await answered(await lab.fake.slashCommand({ user: users.sam, name: 'leaderboard' }), 30_000));
    expect(board).toContain(removed);

    const twice = await answered(await teacher('restore', { run: removed }));
    expect(twice.content).toBe(en('teacher.not_removed', { runId: removed }));
  });
});

describe('a new term', () => {
  it('empties the leaderboard and keeps the history, under the earlier term', async () => {
    const before = lab.app.services.runs.history({ guildId: guildId(), userId: users.mina.id, limit: 50 }).map((run) => run.runId);
    expect(before.length).toBeGreaterThan(0);
    const started = await answered(await teacher('new-term', { name: 'Spring 2027' }));
    expect(started).toMatchObject({ ephemeral: false, content: en('teacher.new_term', { teacher: 'ms_kim', name: 'Spring 2027' }) });

    const board = await answered(await lab.fake.slashCommand({ user: users.mina, name: 'leaderboard' }));
    expect(board.content).toBe(ko('leaderboard.empty'));
    const history = textOf(await answered(await lab.fake.slashCommand({ user: users.mina, name: 'history' })));
    for (const runId of before) expect(history).toContain(runId);
    expect(history).toContain(ko('history.before_terms'));

    const result = await runEnded(await train(users.mina));
    const fresh = runIdOf(result);
    expect(leaderboardRuns()).toEqual([fresh]);
    expect(lab.app.services.runs.getRun(fresh)?.term).toBe('Spring 2027');
  });
});

describe('the daily quota', () => {
  it('refuses a job past it, saying when the next is possible, until 24 hours have passed', async () => {
    await answered(await teacher('limits', { jobs_per_day: 1 }));
    const samRun = runIdOf(await runEnded(await train(users.sam)));
    const nextAt = lab.app.services.runs.getRun(samRun)!.createdAt + DAY_MS;

    const refused = await answered(await train(users.sam));
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toBe(en('error.daily_quota', { jobsPerDay: 1, time: `<t:${Math.floor(nextAt / 1000)}:f>` }));
    const minaLast = lab.app.services.runs.lastRun(guildId(), users.mina.id)!.createdAt + DAY_MS;
    const korean = await answered(await train(users.mina));
    expect(korean.content).toBe(ko('error.daily_quota', { jobsPerDay: 1, time: `<t:${Math.floor(minaLast / 1000)}:f>` }));
    expect(lab.app.services.queue.waiting()).toEqual([]);

    clockOffset += DAY_MS;
    const acceptedRun = await train(users.sam);
    expect((await answered(acceptedRun)).content).toMatch(sentencePattern(en, 'queue.queued', { position: 1 }));
    await runEnded(acceptedRun);
    await answered(await teacher('limits', { jobs_per_day: 0 }));
    expect(lab.app.services.rules.limitsOf(guildId()).jobsPerDay).toBeNull();
  });
});

describe('clearing the queue', () => {
  it('cancels one student’s waiting job, then everyone’s, each student told privately', async () => {
    await answered(await teacher('pause'));
    const alexRun = await train(users.alex);
    const minaRun = await train(users.mina);
    const alexJob = jobIdOf(await answered(alexRun));
    const minaJob = jobIdOf(await answered(minaRun));

    const one = await answered(await teacher('clear-queue', { user: users.alex }));
    expect(one).toMatchObject({ ephemeral: true, content: en('teacher.cleared_user', { count: 1, user: 'alex' }) });
    const alexNote = await alexRun.waitFor((i) => i.followups().find((message) => message.content === en('cancel.cancelled_by', { user: 'alex', jobId: alexJob, teacher: 'ms_kim' })));
    expect(alexNote.ephemeral).toBe(true);
    expect(alexRun.original()?.content).toBe(en('cancel.cancelled', { jobId: alexJob }));
    expect(jobState(minaJob)).toBe('queued');

    const all = await answered(await teacher('clear-queue', {}, koreanTeacher));
    expect(all.content).toBe(ko('teacher.cleared', { count: 1 }));
    const minaNote = await minaRun.waitFor((i) => i.followups().find((message) => message.content === ko('cancel.cancelled_by', { user: 'mina', jobId: minaJob, teacher: 'ms_kim' })));
    expect(minaNote.ephemeral).toBe(true);
    expect(jobState(minaJob)).toBe('cancelled');

    const empty = await answered(await teacher('clear-queue'));
    expect(empty.content).toBe(en('teacher.nothing_waiting'));
    await answered(await teacher('resume'));
  });
});

it('/teacher log lists every change, newest first, with who made it, in the teacher’s language', async () => {
  const logged = lab.app.services.teacherLog.latest(guildId(), 20);
  const text = textOf(await answered(await teacher('log', {}, koreanTeacher)));
  expect(text).toContain(ko('teacher.log_title', { count: 20 }));
  const lines = text.split('\n').filter((line) => line.includes('**ms_kim**'));
  expect(lines).toHaveLength(logged.length);
  expect(lines[0]).toContain(ko('teacher.log.resume'));
  expect(lines[0]).toMatch(/^<t:\d+:f> · /);
  expect(text).toContain(ko('teacher.log.limits', { changes: 'max_epochs 2' }));
  expect(text).toContain(ko('teacher.log.new-term', { name: 'Spring 2027' }));
  expect(text).toContain(ko('teacher.log.clear-queue', { count: 1, whose: 'alex' }));
  expect(text).toContain(ko('teacher.log.clear-queue', { count: 1, whose: ko('teacher.log.everyone') }));
  expect(logged.map((entry) => entry.action)).toEqual(
    ['pause', 'resume', 'pause', 'limits', 'resume', 'limits', 'limits-reset', 'remove', 'restore', 'new-term', 'limits', 'limits', 'pause', 'clear-queue', 'clear-queue', 'resume'].reverse(),
  );
});

it('obeyed Discord’s rules throughout: acknowledged in time, nothing refused', () => {
  for (const interaction of lab.fake.interactions()) {
    expect(interaction.callbacks).toHaveLength(1);
    expect(interaction.callbacks[0].elapsedMs).toBeLessThan(3000);
  }
  expect(lab.fake.stats.rejections).toEqual([]);
});
