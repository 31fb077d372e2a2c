// Builds the explorer page into an output directory (dist/ by default):
//
//   index.html            the page, naming the two files below
//   explorer-HASH.js      src/main.js and everything it imports, bundled
//   explorer-HASH.css     src/style.css
//   LICENSES.txt          the licences of the npm packages in the bundle
//
// The names carry a hash of the content, so the server may let browsers
// cache them for good. Run it through scripts/build-explorer.sh, which
// installs exactly the locked packages first.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ? process.argv[2] : join(here, 'dist');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const result = await esbuild.build({
  // Paths in the bundle are relative to here, wherever the build runs.
  absWorkingDir: here,
  entryPoints: { explorer: 'src/main.js' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
  entryNames: '[name]-[hash]',
  outdir: out,
  metafile: true,
  legalComments: 'none',
  banner: { js: '/* polgraph explorer. Licences of the packages bundled here: /explorer/LICENSES.txt */' },
  logLevel: 'warning',
});

let js = '';
let css = '';
const bundled = new Set();
for (const [file, meta] of Object.entries(result.metafile.outputs)) {
  const name = file.split('/').pop();
  if (name.endsWith('.js')) js = name;
  if (name.endsWith('.css')) css = name;
  for (const input of Object.keys(meta.inputs)) {
    const m = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
    if (m) bundled.add(m[1]);
  }
}
if (!js || !css) throw new Error('esbuild wrote no JS or no CSS');

const page = readFileSync(join(here, 'src/index.html'), 'utf8')
  .replaceAll('{{js}}', js)
  .replaceAll('{{css}}', css);
writeFileSync(join(out, 'index.html'), page);

// The licence notices of every package in the bundle, in name order.
let notices = 'The explorer page bundles these npm packages; their licences follow.\n';
for (const pkg of [...bundled].sort()) {
  const dir = join(here, 'node_modules', pkg);
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  notices += `\n==== ${pkg} ${meta.version} (${meta.license}) ====\n\n`;
  notices += file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() + '\n' : `${meta.license}\n`;
}
writeFileSync(join(out, 'LICENSES.txt'), notices);
console.log(`explorer: ${js}, ${css}, LICENSES.txt (${[...bundled].sort().join(', ')})`);
