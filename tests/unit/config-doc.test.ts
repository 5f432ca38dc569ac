import { readFileSync } from 'node:fs';
import { readCrossFieldRules, readEnvVars, renderConfigDoc } from '../../scripts/generate-config-doc.js';

// docs/configuration.md is generated from src/config.ts; these tests pin what the generator reads.

const configSource = readFileSync(new URL('../../src/config.ts', import.meta.url), 'utf8');

describe('scripts/generate-config-doc.ts', () => {
  test('when it reads src/config.ts, then every variable the schema parses is documented once', () => {
    const names = readEnvVars(configSource).map((v) => v.name);
    expect(names).toContain('DATABASE_URL');
    expect(names).toContain('REVIEWS_PER_HOUR');
    expect(new Set(names).size).toBe(names.length);
    // every `NAME:` key of the schema object, counted independently of the TypeScript parser: the keys are the
    // lines as indented as the first one, up to the object's closing line (whatever the formatter's layout)
    const start = configSource.indexOf('.object({');
    const keyIndent = /^( +)[A-Z][A-Z0-9_]+:/m.exec(configSource.slice(start))?.[1] ?? '';
    const schemaBody = configSource.slice(start, configSource.indexOf(`\n${keyIndent.slice(2)}})`, start));
    expect(names).toHaveLength([...schemaBody.matchAll(new RegExp(`^${keyIndent}([A-Z][A-Z0-9_]+):`, 'gm'))].length);
  });

  test('when a variable has a default, a range and a doc comment, then its row shows all three', () => {
    const source = `const schema = z.object({\n  /** Pool size. */\n  POOL: int(1, 200).default(10),\n});`;
    expect(renderConfigDoc(readEnvVars(source), [])).toContain('| `POOL` | `10` | integer 1–200 | Pool size. |');
  });

  test('when a variable has no doc comment, then generation fails naming it', () => {
    const source = `const schema = z.object({\n  /** Documented. */\n  A: z.string(),\n  B: z.string(),\n});`;
    expect(() => readEnvVars(source)).toThrow(/B has no \/\*\* doc comment/);
  });

  test('when config.ts reports cross-variable problems, then each becomes a rule in the doc', () => {
    const rules = readCrossFieldRules(configSource);
    expect(rules).toContain('JWT_SECRET: is required in production');
    expect(renderConfigDoc([], rules)).toContain('- `JWT_SECRET`: is required in production');
  });

  test('when the doc is generated now, then it equals docs/configuration.md (run `npm run docs:config`)', () => {
    const onDisk = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    expect(renderConfigDoc(readEnvVars(configSource), readCrossFieldRules(configSource))).toBe(onDisk);
  });
});
