// Bytes on the wire: the engine module (the JS API and what it imports, Emscripten's
// loader, the .wasm) and the built page (every script, style and wasm file in dist/ that
// the lab's first load fetches; what only a dynamic import loads is counted apart as
// `lazy`), raw and gzip-compressed (zlib level 9, as a server's
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

// Files a script loads only when asked (a dynamic import(), such as the lessons', with the
// styles Vite maps to it): not part of the lab's first load.
function lazyFiles(assets, names) {
  const lazy = new Set();
  for (const f of names.filter((n) => extname(n) === '.js')) {
    const code = readFileSync(join(assets, f), 'utf8');
    for (const m of code.matchAll(/import\("\.\/([^"]+)"\)/g)) lazy.add(m[1]);
    for (const m of code.matchAll(/m\.f=\[([^\]]*)\]/g)) for (const d of m[1].matchAll(/"\.\/([^"]+)"/g)) lazy.add(d[1]);
  }
  return lazy;
}

function distFiles(dist, { lazy: wantLazy = false } = {}) {
  if (!existsSync(join(dist, 'index.html'))) return null;
  const out = wantLazy ? [] : [join(dist, 'index.html')];
  const assets = join(dist, 'assets');
  if (existsSync(assets)) {
    const names = readdirSync(assets).filter((f) => statSync(join(assets, f)).isFile() && ['.js', '.mjs', '.wasm', '.css'].includes(extname(f)));
    const lazy = lazyFiles(assets, names);
    for (const f of names) if (lazy.has(f) === wantLazy) out.push(join(assets, f));
  }
  return out;
}

export function sizes(root) {
  const page = distFiles(join(root, 'dist'));
  const lazy = distFiles(join(root, 'dist'), { lazy: true });
  return {
    module: measure(moduleFiles(root), root),
    page: page ? measure(page, root) : null,
    // Loaded later, on demand (the lessons): not in the page's budget.
    lazy: lazy?.length ? measure(lazy, root) : null,
  };
}
