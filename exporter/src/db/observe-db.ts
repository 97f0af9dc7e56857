import type { Instruments } from '../instruments';
import { timedOperation } from '../metrics/timed-operation';

export interface DbOperation {
  /** `db_system_name`: `postgresql`, `sqlite`, `redis`, `mongodb`… (OTel DB semconv values). */
  system: string;
  /** `db_operation_name`: `SELECT`, `INSERT`, `findOne`… never the query text. */
  operation: string;
}

/** Times one database call into `db_client_operation_duration_seconds`; its result and errors reach the caller unchanged. */
export function observeDbOperation<T>(instruments: Instruments, operation: DbOperation, run: () => T | Promise<T>): Promise<T> {
  const { dbDuration } = instruments;
  return timedOperation(dbDuration, dbDuration.series([operation.system, operation.operation]), run);
}
