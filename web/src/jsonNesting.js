// How deep JSON text nests, read in one pass without parsing it, so that a limit applies
// before JSON.parse and before anything that walks the value recursively (structuredClone,
// JSON.stringify). Depth counts objects and arrays: `1` is 0 deep, `[1]` 1, `{"a": [1]}` 2.
// Memory stays bounded by `keep`, however deep the text goes.

/** A key's text between its quotes (escapes decoded), to a bounded length. */
function keyText(text, start, end) {
  const raw = text.slice(start + 1, Math.min(end, start + 201));
  if (!raw.includes('\\')) return raw;
  try {
    return JSON.parse(`"${raw}"`);
  } catch {
    return raw;
  }
}

/**
 * @param {string} text  JSON text (the scan counts brackets outside strings; it does not validate)
 * @param {number} keep  levels kept of the way to the deepest point, for the messages
 * @returns {{ depth: number, way: object[], members: Map<string, { depth: number, way: object[] }> }}
 *   depth: the whole text's; members: for an object at the top, the depth of each member's
 *   value (a key given twice: the deeper); way: the open objects and arrays down to the
 *   deepest point, to `keep` levels, each { key, at } (the key or [index] it holds the
 *   next one at, the index of its bracket in the text): see `pointAt`
 */
export function jsonNesting(text, keep) {
  const frames = [];  // the open objects and arrays, to `keep` levels: { array, index, key, expectKey, at }
  const whole = { depth: 0, way: [] };
  const members = new Map();
  let member = null;  // the record of the top object's member being read
  let topIsObject = false;
  let depth = 0;

  // A deeper point than `record` had: its depth, and the way to it while the way still grows.
  const deeper = (record, d) => {
    record.depth = d;
    if (depth <= keep) record.way = frames.slice(0, depth).map((f) => ({ key: f.array ? `[${f.index}]` : f.key ?? '', at: f.at }));
  };

  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {  // a string: skip to its closing quote
      const start = i;
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
      const top = depth > 0 && depth <= keep ? frames[depth - 1] : null;
      if (top && !top.array && top.expectKey) {
        top.key = keyText(text, start, i);
        top.expectKey = false;
        if (depth === 1 && topIsObject) {
          member = members.get(top.key) ?? { depth: 0, way: [] };
          members.set(top.key, member);
        }
      }
    } else if (c === 0x7b || c === 0x5b) {  // { or [
      if (depth === 0) topIsObject = c === 0x7b;
      depth += 1;
      if (depth <= keep) frames[depth - 1] = { array: c === 0x5b, index: 0, key: null, expectKey: c === 0x7b, at: i };
      if (depth > whole.depth) deeper(whole, depth);
      if (member && depth - 1 > member.depth) deeper(member, depth - 1);
    } else if (c === 0x7d || c === 0x5d) {  // } or ]
      depth = Math.max(0, depth - 1);
    } else if (c === 0x2c) {  // ,
      const top = depth > 0 && depth <= keep ? frames[depth - 1] : null;
      if (top?.array) top.index += 1;
      else if (top) top.expectKey = true;
      if (depth === 1) member = null;
    }
  }
  return { ...whole, members };
}

/**
 * Where the way of a record reaches `level` (1: the top object or array): { path, at } —
 * the path of the object or array at that level (e.g. "seed[0]", "" for the top) and the
 * index of its bracket; null when the way is not that long (`keep` was shorter).
 */
export function pointAt(record, level) {
  if (level < 1 || record.way.length < level) return null;
  let path = '';
  for (const { key } of record.way.slice(0, level - 1)) path += key.startsWith('[') || !path ? key : `.${key}`;
  return { path, at: record.way[level - 1].at };
}
