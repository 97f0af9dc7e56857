export { FaultClient } from './client';
export { FAULT_KINDS, FAULT_DEFAULTS, DEFAULT_DURATION_SECONDS, MAX_DURATION_SECONDS, type FaultKind, type FaultRequest, type FaultSpec, type FaultTarget, type FaultParams } from './kinds';
export { FaultRegistry, FaultUnavailableError, type ActiveFault, type FaultEffect, type FaultEvent } from './registry';
export { FaultRequestError, parseFaultRequest, type FaultTargets } from './parse-request';
