import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// docs/configuration.md is written from src/config.ts, never by hand: each variable of the zod schema
// with its doc comment, default and accepted values. `--check` fails when the file on disk differs,
// so a variable added or changed without regenerating fails CI (`npm run check:docs`).

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = 'src/config.ts';
const TARGET = 'docs/configuration.md';

export type EnvVar = { name: string; doc: string; defaultValue: string; accepts: string };

/** The object literal passed to `z.object(...)` in `const schema = …`. */
function schemaObject(file: ts.SourceFile): ts.ObjectLiteralExpression {
  let found: ts.ObjectLiteralExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.getText(file).replace(/\s+/g, '') === 'z.object' &&
      node.arguments[0] &&
      ts.isObjectLiteralExpression(node.arguments[0])
    ) {
      found = node.arguments[0];
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!found) throw new Error(`${SOURCE}: no z.object({...}) schema found`);
  return found;
}

/** The `/** … *\/` comment right before a property, as one line of Markdown. */
function docComment(file: ts.SourceFile, node: ts.Node): string | undefined {
  const ranges = ts.getLeadingCommentRanges(file.text, node.getFullStart()) ?? [];
  const last = ranges.filter((r) => file.text.startsWith('/**', r.pos)).at(-1);
  if (!last) return undefined;
  return file.text
    .slice(last.pos + 3, last.end - 2)
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .filter(Boolean)
    .join(' ');
}

/** `30 * 24 * 3600` → `2592000`; other expressions are shown as written. */
function literal(text: string): string {
  if (/^[\d\s*+]+$/.test(text)) return String(text.split('+').reduce((sum, term) => sum + term.split('*').reduce((p, f) => p * Number(f), 1), 0));
  const quoted = /^'(.*)'$/.exec(text);
  if (quoted) return quoted[1] as string;
  if (text === '[]') return '(empty)';
  return text;
}

function defaultOf(init: string): string {
  const match = /\.default\(([^()]*(?:\([^()]*\))?[^()]*)\)\s*$/.exec(init);
  if (!match) return init === 'secretList' ? '(empty)' : '(unset)';
  const value = literal((match[1] as string).trim());
  return value === '(empty)' ? value : `\`${value}\``;
}

function acceptsOf(init: string): string {
  const values = /^z\.enum\(\[([^\]]*)\]\)/.exec(init);
  if (values)
    return (values[1] as string)
      .split(',')
      .map((v) => `\`${v.trim().replace(/'/g, '')}\``)
      .join(', ');
  const range = /^int\(([^,]+),\s*([^)]+)\)/.exec(init);
  if (range) return `integer ${literal((range[1] as string).trim())}–${literal((range[2] as string).trim())}`;
  if (init.startsWith('bool')) return '`true`, `false`, `1`, `0`';
  if (init === 'secretList') return 'comma-separated secrets, each ≥ 32 characters';
  const protocol = /protocol: \/\^(\w+)(?:\((\w+)\)|(\w))\?\$\//.exec(init);
  if (init.includes('z.url') && protocol) {
    const [, base, optionalGroup, optionalChar] = protocol;
    const scheme = `${base}:// or ${base}${optionalGroup ?? optionalChar}://`;
    return init.includes(".split(',')") ? `comma-separated URLs (${scheme})` : `URL (${scheme})`;
  }
  if (init.includes('z.email')) return 'email address';
  const minLength = /z\.string\(\)\.min\((\d+)\)/.exec(init);
  if (minLength && minLength[1] !== '1') return `string, ≥ ${minLength[1]} characters`;
  if (init.includes('.regex(')) return `string matching \`${/\.regex\((\/.*\/)\)/.exec(init)?.[1] ?? ''}\``;
  return 'string';
}

/** The messages `crossFieldProblems` can report: the rules that span variables. */
export function readCrossFieldRules(source: string): string[] {
  const file = ts.createSourceFile(SOURCE, source, ts.ScriptTarget.ES2022, true);
  const rules: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.getText(file) === 'problems.push' && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      rules.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return rules;
}

export function readEnvVars(source: string): EnvVar[] {
  const file = ts.createSourceFile(SOURCE, source, ts.ScriptTarget.ES2022, true);
  return schemaObject(file).properties.map((property) => {
    if (!ts.isPropertyAssignment(property)) throw new Error(`${SOURCE}: unexpected ${ts.SyntaxKind[property.kind]} in the schema`);
    const name = property.name.getText(file);
    const doc = docComment(file, property);
    if (!doc) throw new Error(`${SOURCE}: ${name} has no /** doc comment */ — every variable needs one line saying what it does`);
    const init = property.initializer.getText(file).replace(/\s+/g, ' ').replace(/\( \./g, '(.').replace(/ \./g, '.');
    return { name, doc, defaultValue: defaultOf(init), accepts: acceptsOf(init) };
  });
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function renderConfigDoc(vars: readonly EnvVar[], rules: readonly string[]): string {
  const rows = vars.map((v) => `| \`${v.name}\` | ${cell(v.defaultValue)} | ${cell(v.accepts)} | ${cell(v.doc)} |`);
  return [
    '# Configuration',
    '',
    '<!-- Generated by `npm run docs:config` from the doc comments in src/config.ts. Do not edit: edit those',
    '     comments and run it again; `npm run check:docs` (in CI) fails when this file is out of date. -->',
    '',
    'Every setting is an environment variable, read once at start and validated by the zod schema in',
    '[`src/config.ts`](../src/config.ts) (the only file that reads `process.env`). A bad value stops the service',
    'with a message naming each bad variable. An empty variable counts as unset.',
    '',
    `${vars.length} variables:`,
    '',
    '| variable | default | accepts | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
    'Rules across variables, reported with the ones above (`crossFieldProblems` in `src/config.ts`):',
    '',
    ...rules.map((rule) => `- ${rule.replace(/^(\w+):/, '`$1`:')}`),
    '',
    'How to size `DATABASE_POOL_MAX`, run replicas and set `TRUST_PROXY` behind a load balancer:',
    '[operations.md](operations.md).',
    '',
  ].join('\n');
}

function main(): void {
  const source = readFileSync(`${root}/${SOURCE}`, 'utf8');
  const expected = renderConfigDoc(readEnvVars(source), readCrossFieldRules(source));
  if (process.argv.includes('--check')) {
    let actual = '';
    try {
      actual = readFileSync(`${root}/${TARGET}`, 'utf8');
    } catch {
      // missing: reported as out of date below
    }
    if (actual !== expected) {
      process.stderr.write(`${TARGET} is out of date with ${SOURCE}: run \`npm run docs:config\` and commit the result.\n`);
      process.exit(1);
    }
    process.stdout.write(`${TARGET} matches ${SOURCE}.\n`);
    return;
  }
  writeFileSync(`${root}/${TARGET}`, expected);
  process.stdout.write(`wrote ${TARGET}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
