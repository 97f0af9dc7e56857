import type { Logger } from '../service/logger';
import type { ProviderFaultControl } from './effects/provider-faults';
import { Levels } from './effects/levels';
import { RouteFaults } from './effects/route-faults';
import type { FaultRequest } from './kinds';
import { parseFaultRequest, type FaultTargets } from './parse-request';
import { FaultRegistry, type ActiveFault } from './registry';
import { faultStarters, type FaultHooks } from './starters';

/** What the admin API does, as a TypeScript API (for tests and the launcher). */
export interface DemoFaults {
  /** Validates like `POST /admin/faults` (throws `FaultRequestError` naming the field) and injects. */
  inject(request: FaultRequest): Promise<ActiveFault>;
  list(): ActiveFault[];
  /** Ends one fault now; false when it is not in force. */
  heal(id: string): boolean;
  /** Ends every fault. */
  clear(): void;
}

export interface ServiceFaults {
  registry: FaultRegistry;
  api: DemoFaults;
  /** Where the service consults the faults in force. */
  hooks: Omit<FaultHooks, 'providers'>;
}

/** The service's fault injection: hooks for the app, a registry that logs every fault injected and healed, and its API. */
export function serviceFaults(providers: ProviderFaultControl, targets: FaultTargets, logger: Logger): ServiceFaults {
  const hooks = { routes: new RouteFaults(), cacheOutage: new Levels(), dbDelayMs: new Levels() };
  const registry = new FaultRegistry(faultStarters({ providers, ...hooks }), (event) => {
    const { id, kind, target, params, endsAt } = event.fault;
    logger.warn(event.type === 'injected' ? 'fault injected' : 'fault healed', { fault_id: id, fault_kind: kind, target, params, ends_at: endsAt, reason: event.reason });
  });
  const api: DemoFaults = {
    inject: async (request) => registry.inject(parseFaultRequest(request, targets)),
    list: () => registry.list(),
    heal: (id) => registry.heal(id),
    clear: () => registry.clear(),
  };
  return { registry, api, hooks };
}
