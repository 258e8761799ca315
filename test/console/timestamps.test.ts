import { withLocalTimes } from '../../src/console/timestamps';

describe('Discord timestamps in the console', () => {
  it('are written as this machine’s local date and time, whatever their style', () => {
    const moment = new Date(2027, 2, 1, 9, 5);
    const seconds = Math.floor(moment.getTime() / 1000);
    expect(withLocalTimes(`next job from <t:${seconds}:f>, paused since <t:${seconds}:R> and <t:${seconds}>`)).toBe(
      'next job from 2027-03-01 09:05, paused since 2027-03-01 09:05 and 2027-03-01 09:05',
    );
  });

  it('leave other text alone, channel mentions and look-alikes included', () => {
    expect(withLocalTimes('see <#123> and <t:abc:f> and <t:12:Q>')).toBe('see <#123> and <t:abc:f> and <t:12:Q>');
  });
});
