import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { EditorService } from '../domain/editor-service.js';
import { StartupError } from './startup-error.js';

// A newcomer signs in on the first `npm start`: a demo admin and a demo editor with generated
// passwords, kept in DATA_DIR (0600, beside the jwt-secret) so every later start prints the same ones.
// The file is the source of truth: each start makes the accounts match it, so the printed passwords work.

export type DemoAccount = { role: 'admin' | 'editor'; email: string; password: string };
export type DemoAccounts = { accounts: DemoAccount[]; file: string | undefined };

const FILE_NAME = 'demo-accounts.json';
const DEMO = [
  { role: 'admin', email: 'admin@demo.randomcamerareviews.example', display_name: 'Demo Admin' },
  { role: 'editor', email: 'editor@demo.randomcamerareviews.example', display_name: 'Demo Editor' },
] as const;

const stored = z.array(z.object({ role: z.enum(['admin', 'editor']), email: z.email(), password: z.string().min(20).max(128) }));

/** 24 random base64url characters: far from any breached or common password, and safe inside shell quotes. */
const generatePassword = () => randomBytes(18).toString('base64url');

export async function ensureDemoAccounts(editors: EditorService, dataDir: string): Promise<DemoAccounts> {
  const { accounts, file } = readOrCreateCredentials(dataDir);
  for (const account of accounts) {
    const demo = DEMO.find((d) => d.role === account.role);
    await editors.ensureWithPassword({
      email: account.email,
      role: account.role,
      display_name: demo?.display_name ?? 'Demo',
      initial_password: account.password,
    });
  }
  return { accounts, file };
}

function readOrCreateCredentials(dataDir: string): DemoAccounts {
  const fresh = (): DemoAccount[] => DEMO.map((d) => ({ role: d.role, email: d.email, password: generatePassword() }));
  // the in-memory database starts empty every time: so do its demo accounts
  if (dataDir === 'memory://') return { accounts: fresh(), file: undefined };

  const file = path.join(dataDir, FILE_NAME);
  if (!fs.existsSync(file)) {
    const accounts = fresh();
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(accounts, null, 2)}\n`, { mode: 0o600 });
    return { accounts, file };
  }
  const parsed = stored.safeParse(parseJson(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new StartupError(`${file} is not a list of demo accounts: delete it and start again to generate new ones.`);
  return { accounts: parsed.data, file };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
