export * from './catalogue';
export { findOnPath } from './find-on-path';
export * from './install-command';
export * from './resolve';
export * from './provision';
export * from './run-tool';
