import type { DbOperation, Modelwatch } from '@modelwatch/exporter';
import { sleep } from '../shared/sleep';
import type { DemoStore } from './store';

/**
 * Times every query with `mw.observeDb` under its SQL verb. `extraDelayMs()` is
 * the `slow_db` fault: the delay is inside the timed call, so the DB latency
 * histogram shifts exactly as it would for a slow database.
 */
export function observedStore(store: DemoStore, mw: Modelwatch, extraDelayMs: () => number = () => 0): DemoStore {
  // Operations built once, and no async wrapper around each query unless the fault delays it.
  const select = { system: store.system, operation: 'SELECT' };
  const insert = { system: store.system, operation: 'INSERT' };
  const observe = <T>(operation: DbOperation, run: () => Promise<T>): Promise<T> =>
    mw.observeDb(operation, () => {
      const delay = extraDelayMs();
      return delay > 0 ? sleep(delay).then(run) : run();
    });
  return {
    system: store.system,
    migrate: () => store.migrate(),
    findUser: (id) => observe(select, () => store.findUser(id)),
    recordConversation: (record) => observe(insert, () => store.recordConversation(record)),
    topicHistory: (userId, limit) => observe(select, () => store.topicHistory(userId, limit)),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
