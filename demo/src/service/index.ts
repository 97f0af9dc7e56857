export { startDemoService, type DemoService } from './start';
export type { DemoFaults } from '../faults/service-faults';
export { optionsFromEnv, ConfigError, type DemoServiceOptions } from './options';
export { ROUTE } from './app';
export type { ActiveFault, FaultRequest } from '../faults';
