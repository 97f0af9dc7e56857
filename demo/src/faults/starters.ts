import { startCpuBurn } from './effects/cpu-burn';
import type { Levels } from './effects/levels';
import { startMemoryLeak } from './effects/memory-leak';
import { providerFaultStarters, type ProviderFaultControl } from './effects/provider-faults';
import type { RouteFaults } from './effects/route-faults';
import { FAULT_DEFAULTS, type FaultKind } from './kinds';
import type { FaultStarter } from './registry';

/** The places in the service where faults act. */
export interface FaultHooks {
  providers: ProviderFaultControl;
  routes: RouteFaults;
  /** Non-zero while the cache backend must fail. */
  cacheOutage: Levels;
  /** Milliseconds added to every database query. */
  dbDelayMs: Levels;
}

/** How each kind of fault starts, wired to the service's hooks. */
export function faultStarters(hooks: FaultHooks): Record<FaultKind, FaultStarter> {
  const stopper = (remove: () => unknown) => ({ stop: () => void remove() });
  return {
    ...providerFaultStarters(hooks.providers),
    http_errors: (spec) => stopper(hooks.routes.add(spec.target.route ?? '', spec.params.probability ?? FAULT_DEFAULTS.probability)),
    cache_outage: () => stopper(hooks.cacheOutage.add(1)),
    slow_db: (spec) => stopper(hooks.dbDelayMs.add(spec.params.delayMs ?? FAULT_DEFAULTS.delayMs)),
    memory_leak: (spec) => startMemoryLeak(spec.params.mbPerSecond ?? FAULT_DEFAULTS.mbPerSecond, spec.params.maxMb ?? FAULT_DEFAULTS.maxMb),
    cpu_burn: (spec) => startCpuBurn(spec.params.cpuPercent ?? FAULT_DEFAULTS.cpuPercent),
  };
}
