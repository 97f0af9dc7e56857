import { describe, it } from 'vitest';
import { checkFaultScenario, useAlertingStack } from './live-suite';
import { FAULT_SCENARIOS } from './fault-scenarios';

// Every fault scenario of the Prometheus live test (fault-scenarios.live.test.ts), on the scale path: two vmagent shards scrape,
// VictoriaMetrics stores, vmalert evaluates the same generated rules (fast profile) and sends to the same
// Alertmanager. Each must notify the same alert through the same integration with a valid payload, and resolve (or
// stop burning) after healing, exactly as on Prometheus.
const WAIT_MS = 120_000;
const SHARDS = 2;
const live = useAlertingStack({ scale: { shards: SHARDS } });

describe('scale path: every fault scenario pages as on Prometheus (vmagent shards → VictoriaMetrics → vmalert → Alertmanager)', () => {
  it.each(FAULT_SCENARIOS)('$title fires $alert from vmalert to the right receiver with a valid payload, then resolves (or stops burning) after healing', async (scenario) => {
    await checkFaultScenario(live(), scenario, WAIT_MS, 'scale path');
  }, 3 * WAIT_MS + 30_000);
});
