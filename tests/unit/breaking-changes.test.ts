import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';

// `npm run check:breaking` on mutated copies of the released contract: each kind of breaking change
// fails it, additive changes pass, and a major version bump lets a breaking change through.
// Each run is a real Optic diff, so the breaking kinds share one run: the gate must fail and name
// every one of them; two more runs show what passes. Optic's work grows with the operations it
// compares (about 7.5 s of CPU for the whole released contract, 3.4 s for four operations, 2.4 s
// for one), so each run compares the released contract cut to the operations its case changes, on
// both sides; `npm run check:breaking` in .ci/run runs the gate on the whole released file.

type Doc = {
  info: { version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }> };
};
type Parameter = { name: string; schema: { enum?: string[] } };

const RELEASED = path.resolve('openapi/released/reviews-1.x.yaml');
const SCRIPT = path.resolve('scripts/check-breaking-changes.mjs');
const LONG = 300_000;
// made at load: concurrent tests may start before beforeAll hooks run
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rcr-breaking-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Operations by route: what a run compares. Every operation left out is Optic time saved. */
type Cut = Record<string, string[]>;
const EDITOR_PATCH: Cut = { '/editors/{editorId}': ['patch'] };

/** The released contract cut to the operations named (components kept whole). */
function releasedCut(cut: Cut): Doc {
  const doc = parse(fs.readFileSync(RELEASED, 'utf8')) as Doc;
  for (const [route, item] of Object.entries(doc.paths)) {
    const kept = cut[route];
    if (!kept) delete doc.paths[route];
    else for (const method of ['get', 'put', 'post', 'patch', 'delete']) if (method in item && !kept.includes(method)) delete item[method];
  }
  const missing = Object.entries(cut).filter(([route, methods]) => methods.some((m) => !doc.paths[route]?.[m]));
  if (missing.length) throw new Error(`The released contract lacks ${missing.map(([route]) => route).join(', ')}`);
  return doc;
}

/**
 * Runs the gate on the released contract cut to the operations a case changes, then changed by
 * `mutate`, against the same cut unchanged; its exit status and output.
 */
async function gate(name: string, cut: Cut, mutate: (doc: Doc) => void): Promise<{ status: number; output: string }> {
  const base = path.join(tmp, `${name}-released.yaml`);
  fs.writeFileSync(base, stringify(releasedCut(cut)));
  const doc = releasedCut(cut);
  mutate(doc);
  const head = path.join(tmp, `${name}.yaml`);
  fs.writeFileSync(head, stringify(doc));
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, '--base', base, '--head', head], (error, stdout, stderr) => {
      const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ status, output: `${stdout}${stderr}` });
    });
  });
}

const schema = (doc: Doc, name: string) => {
  const found = doc.components.schemas[name];
  if (!found) throw new Error(`No schema ${name} in the released contract`);
  return found;
};

const removeOperation = (doc: Doc) => {
  delete doc.paths['/editors/{editorId}']?.patch;
};

describe('npm run check:breaking', () => {
  test.concurrent(
    'when a release removes an operation or a response field, requires a new request field, or narrows an enum or a type, then it fails naming each',
    async () => {
      const run = await gate('breaking', { '/content': ['get'], '/reviews': ['post'], '/products': ['post'], ...EDITOR_PATCH }, (doc) => {
        removeOperation(doc);
        const item = schema(doc, 'ContentItem');
        delete item.properties.summary;
        item.required = item.required?.filter((field) => field !== 'summary');
        const create = schema(doc, 'ReviewCreate');
        create.properties.camera_serial = { type: 'string', maxLength: 40 };
        create.required = [...(create.required ?? []), 'camera_serial'];
        const listContent = doc.paths['/content']?.get as { parameters: Parameter[] };
        const sort = listContent.parameters.find((p) => p.name === 'sort');
        if (!sort) throw new Error('listContent has no sort parameter');
        sort.schema.enum = ['newest', 'oldest', 'relevance'];
        schema(doc, 'ProductCreate').properties.released_year = { type: 'integer', minimum: 1900, maximum: 2100 };
      });

      expect(run.status).not.toBe(0);
      expect(run.output).toContain('PATCH /editors/{editorId}: removed');
      expect(run.output).toContain("cannot remove response property 'summary'");
      expect(run.output).toMatch(/camera_serial/);
      expect(run.output).toMatch(/verdict/);
      expect(run.output).toMatch(/released_year/);
    },
    LONG,
  );

  test.concurrent(
    'when only an optional request field and a new operation are added, then it passes',
    async () => {
      const run = await gate('additive', { '/reviews': ['post'], ...EDITOR_PATCH }, (doc) => {
        schema(doc, 'ReviewCreate').properties.camera_serial = { type: 'string', maxLength: 40 };
        const editor = doc.paths['/editors/{editorId}'];
        if (!editor) throw new Error('No /editors/{editorId} in the released contract');
        editor.delete = {
          operationId: 'deleteEditor',
          tags: ['editors'],
          summary: 'Delete an editor',
          security: [{ bearerAuth: [] }],
          parameters: [{ $ref: '#/components/parameters/EditorId' }],
          responses: { '204': { description: 'Deleted.' } },
        };
      });
      expect(run).toEqual({ status: 0, output: expect.stringMatching(/1 operation added/) });
    },
    LONG,
  );

  test.concurrent(
    "when info.version's major changes, then a breaking change passes",
    async () => {
      const run = await gate('major-bump', EDITOR_PATCH, (doc) => {
        removeOperation(doc);
        doc.info.version = '2.0.0';
      });
      expect(run).toEqual({ status: 0, output: expect.stringMatching(/breaking changes allowed[\s\S]*1 operation removed/) });
    },
    LONG,
  );
});
