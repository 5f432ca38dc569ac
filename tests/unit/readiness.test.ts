import type { ReplicaStatus } from '../../src/data/read-pool.js';
import { readiness } from '../../src/http/readiness.js';

const replica = (healthy: boolean): ReplicaStatus => ({ name: 'replica:5432/reviews', healthy, replayLsn: null, lagBytes: null, reads: 0 });

describe('readiness', () => {
  test('when the primary answers, then the instance is ready whatever its replicas do', () => {
    expect(readiness(true, [])).toEqual({ status: 'ok', checks: { database: 'ok' } });
    expect(readiness(true, [replica(false)])).toEqual({ status: 'ok', checks: { database: 'ok', replicas: 'unavailable' } });
  });

  test('when the primary is down but a replica is healthy, then the instance stays ready for public reads and says the primary is down', () => {
    expect(readiness(false, [replica(false), replica(true)])).toEqual({ status: 'ok', checks: { database: 'unavailable', replicas: 'ok' } });
  });

  test('when neither the primary nor any replica answers, then the instance is not ready', () => {
    expect(readiness(false, [])).toEqual({ status: 'unavailable', checks: { database: 'unavailable' } });
    expect(readiness(false, [replica(false)])).toEqual({ status: 'unavailable', checks: { database: 'unavailable', replicas: 'unavailable' } });
  });
});
