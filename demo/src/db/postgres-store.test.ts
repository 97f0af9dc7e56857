import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { startPostgres, type PostgresCluster } from '../test-support/postgres';
import { postgresStore } from './postgres-store';
import { storeContract } from './store-contract';

/** Runs against a throwaway cluster (Debian `postgresql`); fails with the install command when it is missing. */
describe('postgresStore', () => {
  let cluster: PostgresCluster;
  let databases = 0;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  // A fresh database per test, so each starts from an empty schema.
  storeContract(async () => {
    const name = `contract_${++databases}`;
    const client = new pg.Client(cluster.url);
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    await client.end();
    return postgresStore({ connectionString: cluster.url.replace(/\/postgres$/, `/${name}`) });
  });
});
