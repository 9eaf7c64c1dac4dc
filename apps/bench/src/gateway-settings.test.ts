import { describe, expect, it } from 'vitest';
import { gatewaySettings } from './gateway-settings';

describe('BENCH_GATEWAY_ENV', () => {
  it('reads NAME=value pairs, values as given (an = inside one included)', () => {
    expect(gatewaySettings('')).toEqual({});
    expect(gatewaySettings('LANGSMITH_TRACING_ENABLED=false,METRICS_ENABLED=false')).toEqual({
      LANGSMITH_TRACING_ENABLED: 'false',
      METRICS_ENABLED: 'false',
    });
    expect(gatewaySettings('REDIS_KEY_PREFIX=a=b,EMPTY=')).toEqual({ REDIS_KEY_PREFIX: 'a=b', EMPTY: '' });
  });

  it('refuses anything else with a message naming the item', () => {
    for (const bad of ['bad', '=x', 'lower=1', 'OK=1,9LIVES=1']) {
      expect(() => gatewaySettings(bad)).toThrow(/BENCH_GATEWAY_ENV: ".*" is not NAME=value/);
    }
  });
});
