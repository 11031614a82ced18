// Bytes on the wire: the engine module (the JS API and what it imports, Emscripten's
// loader, the .wasm) and the built page (every script, style and wasm file in dist/ that
// the lab's first load fetches), raw and gzip-compressed (zlib level 9, as a server's
// static gzip would serve them).
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, extname, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

const gz = (buf) => gzipSync(buf, { level: 9 }).length;

function measure(files, root) {
  const rows = files.map((f) => {
    const buf = readFileSync(f);
    return { file: relative(root, f), raw: buf.length, gzip: gz(buf), kind: extname(f).slice(1) };
  });
  const sum = (pick, kinds) => rows.filter((r) => !kinds || kinds.includes(r.kind)).reduce((n, r) => n + r[pick], 0);
  return {
    files: rows,
    js: { raw: sum('raw', ['js', 'mjs']), gzip: sum('gzip', ['js', 'mjs']) },
    wasm: { raw: sum('raw', ['wasm']), gzip: sum('gzip', ['wasm']) },
    total: { raw: sum('raw'), gzip: sum('gzip') },
  };
}

// The JS API and the modules it imports (relative imports, followed), plus the .wasm.
function moduleFiles(root) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*import\s[^'"]*['"](\.[^'"]+)['"]/gm)) visit(join(file, '..', m[1]));
  };
  visit(join(root, 'wasm/initscope.mjs'));
  return [...seen, join(root, 'wasm/dist/initscope.wasm')];
}

function distFiles(dist) {
  if (!existsSync(join(dist, 'index.html'))) return null;
  const out = [join(dist, 'index.html')];
  const assets = join(dist, 'assets');
  if (existsSync(assets)) {
    for (const f of readdirSync(assets)) {
      const p = join(assets, f);
      if (statSync(p).isFile() && ['.js', '.mjs', '.wasm', '.css'].includes(extname(f))) out.push(p);
    }
  }
  return out;
}

export function sizes(root) {
  const page = distFiles(join(root, 'dist'));
  return {
    module: measure(moduleFiles(root), root),
    page: page ? measure(page, root) : null,
  };
}
