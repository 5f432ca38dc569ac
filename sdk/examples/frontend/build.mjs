// Bundles the example app with esbuild into examples/frontend/dist (index.html + app.js), as a
// frontend build would: browser platform, ES modules, minified, the SDK from its sources.
//   node examples/frontend/build.mjs [outdir]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Builds into `outdir` and returns the bundle's path. */
export async function buildExampleApp(outdir = path.join(here, 'dist')) {
  fs.mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [path.join(here, 'main.ts')],
    outfile: path.join(outdir, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(here, 'index.html'), path.join(outdir, 'index.html'));
  return path.join(outdir, 'app.js');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const bundle = await buildExampleApp(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(
    `built ${path.relative(process.cwd(), bundle)} (${fs.statSync(bundle).size} bytes); serve its folder and open index.html?api=http://127.0.0.1:4020/v1`,
  );
}
