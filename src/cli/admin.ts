import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { createDatabase } from '../data/database.js';
import { AppError } from '../errors.js';
import { unobservedChanges } from '../domain/content-changes.js';
import { createEditorService } from '../domain/editor-service.js';
import { passwordWeakness } from '../domain/password-policy.js';

// One-off account commands, run against the same database as the server (DATABASE_URL or the
// embedded one in DATA_DIR — stop the server first for the embedded one).

const USAGE = `Usage:
  npm run admin -- create-editor --email <email> --password <password> [--name <display name>] [--role editor|admin]

The password must be 12–128 characters, not a commonly used password, not a few characters
repeated, and must not contain the email or the name. Editors created here must change it at first sign-in;
admins created here need not.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string', default: 'editor' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals[0] !== 'create-editor') {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const { email, password, role } = values;
  const displayName = values.name ?? email?.split('@')[0] ?? '';
  const weakness = email && password ? passwordWeakness(password, { email, displayName }) : undefined;
  const problems = [
    !email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? '--email must be an email address' : '',
    !password || password.length < 12 || password.length > 128 ? '--password must be 12 to 128 characters' : '',
    weakness ? `--password is refused: it ${weakness.reason} (${weakness.code})` : '',
    role !== 'editor' && role !== 'admin' ? '--role must be editor or admin' : '',
  ].filter(Boolean);
  if (problems.length > 0 || !email || !password) {
    process.stderr.write(`${problems.join('\n')}\n\n${USAGE}\n`);
    return 2;
  }

  const config = loadConfig();
  const db = createDatabase(config.database);
  try {
    await db.migrate();
    const editor = await createEditorService(db.knex, unobservedChanges).create(
      { email, initial_password: password, display_name: displayName || email, role: role as 'editor' | 'admin' },
      { mustChangePassword: role !== 'admin' },
    );
    process.stdout.write(`Created ${editor.role} ${editor.email} (id ${editor.id}).\n`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      process.stderr.write(`${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
