import { leaderboardChart, leaderboardSize } from '../../src/charts/leaderboard';
import { HIGHLIGHT_COLOR } from '../../src/charts/theme';

const text = { title: 'Exercise 2', accuracyAxis: 'Test accuracy (%)' };
const points = [
  { label: 'mina', testAccuracy: 0.8812 },
  { label: 'joon', testAccuracy: 0.8897 },
  { label: 'seo', testAccuracy: 0.8423 },
];

describe('leaderboardChart', () => {
  it('ranks results best first, with rank and value in each label', () => {
    const config = leaderboardChart(points, text);
    expect(config.data.labels).toEqual(['1. joon  89.0%', '2. mina  88.1%', '3. seo  84.2%']);
    expect(config.data.datasets[0].data).toEqual([88.97, 88.12, 84.23]);
  });

  it('highlights the point the caller names, wherever it ranks', () => {
    const colors = leaderboardChart(points, text, 0).data.datasets[0].backgroundColor as string[];
    expect(colors.map((c) => c === HIGHLIGHT_COLOR)).toEqual([false, true, false]);
  });

  it('starts the axis a round ten below the weakest result so differences show', () => {
    expect(leaderboardChart(points, text).options?.scales?.x).toMatchObject({ min: 70, max: 100 });
    expect(leaderboardChart([{ label: 'raw pixels', testAccuracy: 0.05 }], text).options?.scales?.x).toMatchObject({ min: 0 });
  });

  it('is plain data that survives a JSON round trip', () => {
    const config = leaderboardChart(points, text, 1);
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });
});

describe('leaderboardSize', () => {
  it('grows with the number of results and never gets too small', () => {
    expect(leaderboardSize(30).height).toBeGreaterThan(leaderboardSize(10).height);
    expect(leaderboardSize(30).height / 30).toBeGreaterThanOrEqual(30);
    expect(leaderboardSize(1).height).toBeGreaterThanOrEqual(300);
  });
});
