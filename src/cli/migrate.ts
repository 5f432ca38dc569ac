import { loadConfig } from '../config.js';
import { createDatabase } from '../data/database.js';

// Runs the migrations and exits: what a deployment runs once before a rollout (the Kubernetes
// migration Job, the cluster test), so instances never race to change the schema. An instance
// still migrates at start; on a migrated database that finds nothing to do.

async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDatabase(config.database);
  try {
    await db.migrate();
    process.stdout.write(`${JSON.stringify({ msg: 'migrations applied', schema: config.database.schema })}\n`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
