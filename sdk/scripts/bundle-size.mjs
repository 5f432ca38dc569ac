// What the SDK weighs in a frontend bundle: `createClient` and one call, bundled by esbuild for the
// browser (minified, tree-shaken), then gzipped (level 9). Prints the figure; exits 1 over the budget.
//   node scripts/bundle-size.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const BUDGET_GZIP_BYTES = 8 * 1024;
const sdk = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bytes of `createClient` + `content.list()` bundled, minified and gzipped. */
export async function measureOneCallBundle() {
  const result = await build({
    stdin: {
      contents:
        "import { createClient } from './src/index.ts';\ncreateClient({ baseUrl: '/v1' }).content.list({ limit: 5 }).then((page) => console.log(page.items));\n",
      resolveDir: sdk,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    write: false,
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { minified, gzip } = await measureOneCallBundle();
  const within = gzip <= BUDGET_GZIP_BYTES;
  console.log(
    `createClient + one call: ${minified} bytes minified, ${gzip} bytes gzip (${(gzip / 1024).toFixed(2)} kB; budget ${BUDGET_GZIP_BYTES / 1024} kB): ${within ? 'within' : 'OVER'} budget`,
  );
  process.exit(within ? 0 : 1);
}
