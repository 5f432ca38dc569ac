import type { EditorRole } from '../data/editor-repository.js';

/** Who is calling, as established from a verified access token and the editor's current row. */
export type Principal = Readonly<{ id: string; role: EditorRole; displayName: string; mustChangePassword: boolean }>;

export const isAdmin = (p: Principal) => p.role === 'admin';
