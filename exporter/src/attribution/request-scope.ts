import type { IncomingMessage } from 'node:http';
import { OptionError } from '../options/schema';
import type { Attribution, AttributionScope } from './scope';

/** The HTTP middleware's `attribute` option: who and what a request's AI calls are for, read from the request. */
export type AttributeRequest = (request: IncomingMessage) => Attribution | undefined;

/** Runs the rest of a request (`next()`, `done()`, the listener) inside its attribution scope. */
export type RequestAttributor = <R>(request: IncomingMessage, proceed: () => R) => R;

/**
 * What an HTTP adapter wraps each request in, for its `attribute` option; undefined without one.
 * `attribute` is called at the request's first AI call, not for every request. Throws at setup
 * when attribution is off, since the option would do nothing.
 */
export function requestAttributor(scope: AttributionScope | undefined, attribute: AttributeRequest | undefined, where: string): RequestAttributor | undefined {
  if (attribute === undefined) return undefined;
  if (scope === undefined) {
    throw new OptionError(where, 'attribute', 'needs attribution turned on: createModelwatch({ attribution: true })');
  }
  return (request, proceed) => scope.run(() => attribute(request), proceed);
}
