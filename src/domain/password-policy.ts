import { dictionary } from '@zxcvbn-ts/language-common';
import { AppError } from '../errors.js';

// Passwords a guesser tries first are refused wherever a password is set (OWASP ASVS 5 §6.2,
// NIST SP 800-63B §3.1.1.2): ones on a list of common passwords, the same character over and
// over, and ones holding the account's own email or name. Length (12–128) is the contract's rule.
//
// The list is zxcvbn-ts's "passwords-common" (@zxcvbn-ts/language-common, MIT): ~49,000 passwords
// ranked by how often they appear in public breach corpora, shipped inside the npm package, so
// nothing is fetched at run time.

const COMMON = new Set(dictionary['passwords-common']);
/** Fewer different characters than this is a pattern, not a password (`aaaaaaaaaaaa`, `abababababab`). */
const MIN_DISTINCT_CHARACTERS = 5;
/** Shorter emails and names would forbid too much by accident. */
const MIN_CONTEXT_LENGTH = 3;

export type PasswordOwner = { email: string; displayName: string };

/** Why a password is refused, or undefined when it is acceptable. */
export function passwordWeakness(password: string, owner: PasswordOwner): { reason: string; code: string } | undefined {
  const lower = password.toLowerCase();
  // a common word with digits or symbols around it (`Password1234!`) is as common as the word
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  if (COMMON.has(lower) || COMMON.has(core)) return { reason: 'is on the list of commonly used passwords', code: 'common_password' };
  if (new Set(password).size < MIN_DISTINCT_CHARACTERS) return { reason: 'repeats too few different characters', code: 'repetitive_password' };
  const squeezed = squeeze(password);
  const localPart = squeeze(owner.email.split('@')[0] ?? '');
  if (localPart.length >= MIN_CONTEXT_LENGTH && squeezed.includes(localPart)) return { reason: "contains the account's email", code: 'contains_email' };
  const name = squeeze(owner.displayName);
  if (name.length >= MIN_CONTEXT_LENGTH && squeezed.includes(name)) return { reason: "contains the account's display name", code: 'contains_name' };
  return undefined;
}

/** Throws 422 `weak_password` naming the field (`/body/new_password`…) when the password is refused. */
export function assertPasswordAcceptable(password: string, owner: PasswordOwner, field: string): void {
  const weakness = passwordWeakness(password, owner);
  if (!weakness) return;
  throw new AppError('weak_password', 422, `Choose another password: this one ${weakness.reason}.`, {
    errors: [{ path: field, message: weakness.reason, code: weakness.code }],
  });
}

/** Letters and digits only, lower-cased: `Ann.Lee` and `ann-lee` are the same name. */
const squeeze = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
