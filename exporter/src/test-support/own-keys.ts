/** Own keys (strings and symbols, as text) of a request and its response. */
export interface OwnKeys {
  request: string[];
  response: string[];
}

export function ownKeysOf(request: object, response: object): OwnKeys {
  return { request: Reflect.ownKeys(request).map(String), response: Reflect.ownKeys(response).map(String) };
}

/** The keys `instrumented` has and `bare` has not: what instrumentation added to the app's objects. */
export function keysAdded(bare: OwnKeys, instrumented: OwnKeys): OwnKeys {
  const added = (bareKeys: string[], keys: string[]) => keys.filter((key) => !bareKeys.includes(key));
  return { request: added(bare.request, instrumented.request), response: added(bare.response, instrumented.response) };
}
