import fs from 'node:fs';
import { loadConfig } from '../../src/config.js';
import { createDatabase } from '../../src/data/database.js';
import { openPGlite } from '../../src/data/embedded-pglite.js';

// `node --import tsx tests/support/write-embedded-snapshot.ts FILE`: a fresh embedded database,
// migrated by the service's own code, dumped to FILE (see embedded-snapshot.ts).

const file = process.argv[2];
if (!file) throw new Error('usage: write-embedded-snapshot.ts FILE');
const pglite = openPGlite();
const db = createDatabase(loadConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://' }).database, undefined, pglite);
try {
  await db.migrate();
  const dump = await pglite.dumpDataDir('none');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
} finally {
  await db.close();
}
