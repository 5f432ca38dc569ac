import fs from 'node:fs';
import { StartupError } from './startup-error.js';

/** DATA_DIR holds the embedded database, the generated JWT key and the demo accounts: it must be a folder this user can write. */
export function assertDataDirUsable(dataDir: string): void {
  if (dataDir === 'memory://') return;
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.accessSync(dataDir, fs.constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new StartupError(`DATA_DIR ${dataDir} is not a folder this user can write (${code}): choose another, e.g. DATA_DIR=./.data npm start.`);
  }
}
