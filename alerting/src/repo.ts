import { resolve } from 'node:path';

/** The repository root (alerting/src or alerting/dist is two levels down). */
export const REPO_ROOT = resolve(__dirname, '..', '..');
