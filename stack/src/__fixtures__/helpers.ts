/** Stand-ins for the demo and its traffic generator, for the stack's tests. */
import { join } from 'node:path';

export const STAND_IN_DEMO = join(__dirname, 'stand-in-demo.mjs');
export const STAND_IN_TRAFFIC = join(__dirname, 'stand-in-traffic.mjs');
