// Bytes on the wire: the engine module (the JS API and what it imports, Emscripten's
// loader, the .wasm) and the built page (the lab's index.html and every script, style and
// wasm file its first load fetches; what only a dynamic import loads is counted apart as
// `lazy`), raw and gzip-compressed (zlib level 9, as a server's static gzip would serve
// them).
import { readFileSync, statSync, existsSync } from 'node:fs';
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

// The built page's files, from dist/index.html: what its tags load, what those scripts
// import (static imports) and what they start (`new URL("…", import.meta.url)`: the
// training worker, the engine's .wasm), followed; and apart, `lazy`, what a script loads
// only when asked (a dynamic import(), such as the lessons' or the sweep view's, with the
// files Vite lists for it) that the first load does not. Files of other HTML pages in
// dist/ (the example course page) are in neither.
function distFiles(dist) {
  const html = join(dist, 'index.html');
  if (!existsSync(html)) return null;
  const assets = join(dist, 'assets');
  const exists = (name) => existsSync(join(assets, name)) && statSync(join(assets, name)).isFile();
  const refs = (name, pattern) => [...readFileSync(join(assets, name), 'utf8').matchAll(pattern)].map((m) => m[1]).filter(exists);
  const asked = (name) => [
    ...refs(name, /import\("\.\/([^"]+)"\)/g),
    ...[...readFileSync(join(assets, name), 'utf8').matchAll(/m\.f=\[([^\]]*)\]/g)]
      .flatMap((m) => [...m[1].matchAll(/"\.\/([^"]+)"/g)].map((d) => d[1])).filter(exists),
  ];
  // The files `start` loads, following static imports and started files (and, with
  // `dynamic`, dynamic imports too).
  const follow = (start, dynamic) => {
    const seen = new Set();
    const queue = [...start];
    while (queue.length) {
      const name = queue.pop();
      if (seen.has(name)) continue;
      seen.add(name);
      if (extname(name) !== '.js') continue;
      queue.push(...refs(name, /(?:from|import)\s*"\.\/([^"]+)"/g), ...refs(name, /new URL\("([^"/]+)",/g));
      if (dynamic) queue.push(...asked(name));
    }
    return seen;
  };
  const tags = [...readFileSync(html, 'utf8').matchAll(/(?:src|href)="\.\/assets\/([^"]+)"/g)].map((m) => m[1]).filter(exists);
  const page = follow(tags, false);
  const lazy = [...follow([...page].filter((name) => extname(name) === '.js').flatMap(asked), true)].filter((name) => !page.has(name));
  return {
    page: [html, ...[...page].map((name) => join(assets, name))],
    lazy: lazy.map((name) => join(assets, name)),
  };
}

export function sizes(root) {
  const dist = distFiles(join(root, 'dist'));
  return {
    module: measure(moduleFiles(root), root),
    page: dist ? measure(dist.page, root) : null,
    // Loaded later, on demand (the lessons, the sweep view): not in the page's budget.
    lazy: dist?.lazy.length ? measure(dist.lazy, root) : null,
  };
}
