import { leaderboardChart, leaderboardSize } from '../charts/leaderboard';
import type { Answer, CommandContext } from './command';
import { formatAccuracy, formatDuration } from './format';
import { describeSettings } from './settings-description';

/** The server's leaderboard: a line per student and the same as a chart. */
export async function leaderboardAnswer(ctx: CommandContext, exercise: number | undefined): Promise<Answer> {
  const { t } = ctx;
  const ranking = ctx.services.runs.leaderboard(ctx.guildId, exercise);
  const title = exercise === undefined ? t('leaderboard.title') : t('leaderboard.title_exercise', { exercise });
  if (ranking.length === 0) return { content: t('leaderboard.empty'), data: { ranking: [] } };
  const accuracyOf = (entry: (typeof ranking)[number]) => entry.run.result.evaluation?.testAccuracy ?? 0;
  const lines = ranking.map((entry) =>
    t('leaderboard.line', {
      rank: entry.rank,
      user: entry.run.ownerName,
      accuracy: formatAccuracy(accuracyOf(entry)),
      time: formatDuration(entry.run.result.seconds),
      runId: entry.run.runId,
      settings: describeSettings(t, entry.run.spec),
    }),
  );
  const points = ranking.map((entry) => ({ label: entry.run.ownerName, testAccuracy: accuracyOf(entry) }));
  const chart = leaderboardChart(points, { title, accuracyAxis: t('chart.percent_axis', { name: t('chart.test_accuracy') }) });
  const file = { name: 'leaderboard.png', data: await ctx.services.charts.render(chart, leaderboardSize(points.length)) };
  return {
    embeds: [{ title, description: lines.join('\n').slice(0, 4000), image: file.name }],
    files: [file],
    data: { ranking: ranking.map((entry) => ({ rank: entry.rank, user: entry.run.ownerName, runId: entry.run.runId, testAccuracy: accuracyOf(entry), seconds: entry.run.result.seconds })) },
  };
}
