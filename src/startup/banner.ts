import path from 'node:path';
import type { Config } from '../config.js';
import type { DemoAccounts } from './demo-accounts.js';
import { redactUrl } from './database-failure.js';

// What a developer reads after `npm start`: where it listens, which database, the docs, and how to
// sign in. Plain text beside the JSON log, outside production only (production logs stay JSON).

/** The database in one phrase, never with its password. */
export function describeDatabase(db: Config['database']): string {
  if (db.url) return `PostgreSQL ${redactUrl(db.url)} (schema ${db.schema})`;
  if (db.dataDir === 'memory://') return 'embedded PostgreSQL (PGlite) in memory: nothing is kept after it stops';
  return `embedded PostgreSQL (PGlite) in ${path.resolve(db.dataDir, 'pglite')}`;
}

export function startBanner(baseUrl: string, database: string, demo: DemoAccounts | undefined): string {
  const lines = ['', `RandomCameraReviews API listening on ${baseUrl}`, `  database  ${database}`, `  docs      ${baseUrl}/docs`];
  if (demo) {
    const width = Math.max(...demo.accounts.map((a) => a.email.length));
    for (const account of demo.accounts) {
      lines.push(`  demo ${account.role.padEnd(6)}  ${account.email.padEnd(width)}  password ${account.password}`);
    }
    lines.push(`  (demo accounts ${demo.file ? `kept in ${demo.file}` : 'made anew at each start'}; DEMO_ACCOUNTS=false turns them off)`);
    const editor = demo.accounts.find((a) => a.role === 'editor') ?? demo.accounts[0];
    if (editor) {
      lines.push('Sign in as the demo editor:');
      lines.push(`  ${loginCurl(baseUrl, editor.email, editor.password)}`);
    }
  }
  return `${lines.join('\n')}\n\n`;
}

/** One shell line; the generated passwords are base64url, so single quotes need no escaping. */
export function loginCurl(baseUrl: string, email: string, password: string): string {
  const body = JSON.stringify({ email, password });
  return `curl -s -X POST ${baseUrl}/v1/auth/login -H 'content-type: application/json' -d '${body}'`;
}
