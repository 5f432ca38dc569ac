import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { documentedFiles } from './doc-blocks.js';

// A link in the docs to a file or a heading of this repository points at something that exists:
// files move and headings get renamed, and a dead link in a newcomer's first hour costs trust.

const root = fileURLToPath(new URL('../..', import.meta.url));

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\- _]/gu, '')
    .replace(/ /g, '-');
}

function headingsOf(file: string): Set<string> {
  const text = readFileSync(join(root, file), 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#+ (.*)$/gm)].map((m) => anchorOf(m[1] as string)));
}

describe('links in the README and docs/', () => {
  test('when a heading has punctuation, then its anchor is the one GitHub makes', () => {
    expect(anchorOf('Where a request for /v1/content goes')).toBe('where-a-request-for-v1content-goes');
    expect(anchorOf('The two commands')).toBe('the-two-commands');
  });

  test('when a doc links a repository file or heading, then it exists', () => {
    const dead: string[] = [];
    for (const file of documentedFiles(root)) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (!target || /^[a-z]+:/.test(target)) continue; // http:, https:, mailto:
        const [path, anchor] = target.split('#') as [string, string | undefined];
        const linked = path ? normalize(join(dirname(file), path)) : file;
        if (!existsSync(join(root, linked))) dead.push(`${file}: ${target} (no such file)`);
        else if (anchor && linked.endsWith('.md') && !headingsOf(linked).has(anchor)) dead.push(`${file}: ${target} (no such heading)`);
      }
    }
    expect(dead).toEqual([]);
  });
});
