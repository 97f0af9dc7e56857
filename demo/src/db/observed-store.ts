import type { Modelwatch } from '@modelwatch/exporter';
import { sleep } from '../shared/sleep';
import type { DemoStore } from './store';

/**
 * Times every query with `mw.observeDb` under its SQL verb. `extraDelayMs()` is
 * the `slow_db` fault: the delay is inside the timed call, so the DB latency
 * histogram shifts exactly as it would for a slow database.
 */
export function observedStore(store: DemoStore, mw: Modelwatch, extraDelayMs: () => number = () => 0): DemoStore {
  const observe = <T>(operation: string, run: () => Promise<T>): Promise<T> =>
    mw.observeDb({ system: store.system, operation }, async () => {
      const delay = extraDelayMs();
      if (delay > 0) await sleep(delay);
      return run();
    });
  return {
    system: store.system,
    migrate: () => store.migrate(),
    findUser: (id) => observe('SELECT', () => store.findUser(id)),
    recordConversation: (record) => observe('INSERT', () => store.recordConversation(record)),
    topicHistory: (userId, limit) => observe('SELECT', () => store.topicHistory(userId, limit)),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
