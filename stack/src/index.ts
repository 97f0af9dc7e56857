/**
 * @modelwatch/stack — the one way to bring the local Modelwatch stack (or a part
 * of it) up: the demo, its traffic, Prometheus and Alertmanager with the repo's
 * configs, the notification sink and the app preview. `npm start` and the live
 * tests of every workspace use it; the pieces it is built of are
 * `@modelwatch/testkit`'s.
 */
export * from './repo';
export * from './demo';
export * from './traffic';
export * from './preview';
export * from './stack-config';
export * from './scale';
export * from './stack';
export * from './status';
// npm start reads START_DURATION as every CLI of the kit reads a duration.
export { parseDuration } from '@modelwatch/conventions';
