import { getValueFormat, formattedValueToString } from '@grafana/data';
import { UNIT, requestRateScale } from './units';

const format = (unit: string, value: number, decimals?: number) => formattedValueToString(getValueFormat(unit)(value, decimals));

describe('units', () => {
  it('formats through Grafana without scientific notation', () => {
    // Grafana itself prints values below a millionth in exponent form ($3.5e-7): costs per call are shown per thousand calls instead.
    expect(format(UNIT.usd, 3.5e-7 * 1000)).toBe('$0.000350');
    expect(format(UNIT.seconds, 0.0042)).toBe('4.20 ms');
    expect(format(UNIT.ratio, 0.999, 2)).toBe('99.90%');
    expect(format(UNIT.burnRate, 3.25, 1)).toBe('3.3 ×');
    expect(format(UNIT.tokensPerSecond, 12.5, 1)).toBe('12.5 tok/s');
  });

  it('shows rates below one per second per minute', () => {
    expect(requestRateScale([0.0411, undefined])).toEqual({ factor: 60, unit: UNIT.requestsPerMinute });
    expect(format(UNIT.requestsPerMinute, 0.0411 * 60, 2)).toBe('2.47 req/m');
    expect(requestRateScale([0.2, 3])).toEqual({ factor: 1, unit: UNIT.requestsPerSecond });
  });
});
