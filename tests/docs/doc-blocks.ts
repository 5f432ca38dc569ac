import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Shell blocks of the Markdown docs and the marker right above each one. Every ```sh block says
// what happens to it, so none is skipped silently:
//   <!-- run -->              executed; every curl in it uses -f, so a non-2xx answer fails it
//   <!-- run: error -->       executed; must exit 0 and print a problem+json body with a `code`
//   <!-- not-run: <reason> --> not executed, and the reason says why (listed by the test)

export type Marker = { kind: 'run' } | { kind: 'run-error' } | { kind: 'not-run'; reason: string } | { kind: 'unmarked' };
export type ShellBlock = { file: string; line: number; code: string; marker: Marker };

const FENCE_OPEN = /^```(sh|bash|shell)\s*$/;

export function parseMarker(line: string | undefined): Marker {
  const match = /^<!--\s*(run|run: error|not-run:\s*(.*?))\s*-->$/.exec(line?.trim() ?? '');
  if (!match) return { kind: 'unmarked' };
  if (match[1] === 'run') return { kind: 'run' };
  if (match[1] === 'run: error') return { kind: 'run-error' };
  return { kind: 'not-run', reason: match[2] ?? '' };
}

export function shellBlocks(file: string, text: string): ShellBlock[] {
  const lines = text.split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE_OPEN.test(lines[i] ?? '')) continue;
    let previous = i - 1;
    while (previous >= 0 && (lines[previous] ?? '').trim() === '') previous--;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? '').startsWith('```'); i++) body.push(lines[i] ?? '');
    blocks.push({ file, line: start + 1, code: body.join('\n'), marker: parseMarker(lines[previous]) });
  }
  return blocks;
}

/** The docs whose commands are checked: the README, bench/README.md and every Markdown file under docs/. */
export function documentedFiles(root: string): string[] {
  const underDocs = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? underDocs(join(dir, entry.name)) : entry.name.endsWith('.md') ? [join(dir, entry.name)] : [],
    );
  return ['README.md', 'bench/README.md', ...underDocs('docs')];
}

export function allShellBlocks(root: string): ShellBlock[] {
  return documentedFiles(root).flatMap((file) => shellBlocks(file, readFileSync(join(root, file), 'utf8')));
}

/** curl invocations in a block that do not fail on a non-2xx answer (no -f/--fail among their flags). */
export function curlsWithoutFail(code: string): string[] {
  const commands = code.replace(/\\\n/g, ' ').split(/\n|\$\(|\|/);
  return commands
    .map((c) => c.trim())
    .filter((c) => /^curl\s/.test(c))
    .filter((c) => !/(^|\s)(-[a-zA-Z]*f[a-zA-Z]*|--fail)(\s|$)/.test(c.split(/\s["']|\s\$/)[0] ?? c));
}

/** One bash script running a doc's executable blocks in order, sharing variables; stderr says which block runs. */
export function scriptFor(blocks: readonly ShellBlock[]): string {
  const parts = blocks.map((block) => {
    const banner = `echo ">>> ${block.file}:${block.line}" >&2`;
    if (block.marker.kind === 'run-error') {
      return `${banner}\n__out=$(\n${block.code}\n)\necho "$__out"\necho "$__out" | grep -q '"code"' || { echo "no problem+json code in the answer" >&2; exit 1; }`;
    }
    return `${banner}\n${block.code}`;
  });
  return ['set -euo pipefail', ...parts].join('\n\n');
}
