/** `npm run dashboards`: writes the generated dashboards and provisioning files. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT, generatedFiles } from './generated-files';

for (const file of generatedFiles()) {
  const target = join(REPO_ROOT, file.path);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, file.content);
  console.log(`wrote ${file.path}`);
}
