import fs from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { openPGlite } from '../../src/data/embedded-pglite.js';

// The embedded database as the migrations leave it: written once per run by globalSetup
// (tests/support/write-embedded-snapshot.ts), restored by every test app in ~1 s where
// initdb and the migrations take 5-10 s on a busy 2-core machine.

let snapshot: Blob | undefined;
/** A PGlite that starts as the migrated snapshot; without one (a run without globalSetup), an empty one the app migrates. */
export function restoredPGlite(): PGlite {
  const file = process.env.TEST_EMBEDDED_SNAPSHOT;
  if (!file) return openPGlite();
  snapshot ??= new Blob([fs.readFileSync(file)]);
  return openPGlite(undefined, { loadDataDir: snapshot });
}
