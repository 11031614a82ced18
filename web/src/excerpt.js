// How a value given by the user (a URL parameter, an imported config) is quoted in a
// message: a few dozen characters at most, whatever its size, and never cut inside a
// character. The work is bounded by the length shown, not by the size of the value.

const MAX = 60;

/** The first `n` UTF-16 units of `text`, one fewer where the cut would split a surrogate pair. */
function head(text, n) {
  const last = text.charCodeAt(n - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? n - 1 : n);
}

/** `text` to `max` characters, with "…" where it was cut, at a whole code point. */
export function excerpt(text, max = MAX) {
  return text.length <= max ? text : `${head(text, max - 1)}…`;
}

/**
 * A parsed JSON value as JSON text of at most about `max` characters: the start of it, "…"
 * where it was cut, and the number of entries of a long array. Walks only what it shows.
 */
export function preview(value, max = MAX) {
  let out = '';
  let full = true;
  const put = (text) => {
    if (out.length + text.length > max) {
      out += head(text, max - out.length);
      full = false;
    } else {
      out += text;
    }
    return full;
  };
  const walk = (v) => {
    if (v === null || typeof v !== 'object') {
      // A long string is cut before it is quoted, so that quoting stays bounded.
      // Infinity and NaN as themselves (JSON would write null).
      if (typeof v === 'string') return put(JSON.stringify(excerpt(v, max + 1)));
      return put(typeof v === 'number' && !Number.isFinite(v) ? String(v) : String(JSON.stringify(v) ?? v));
    }
    if (Array.isArray(v)) {
      if (!put('[')) return false;
      for (let i = 0; i < v.length; i++) if (!(i === 0 || put(',')) || !walk(v[i])) return false;
      return put(']');
    }
    if (!put('{')) return false;
    let first = true;
    for (const key in v) {
      if (!Object.hasOwn(v, key)) continue;
      if (!(first || put(',')) || !put(`${JSON.stringify(excerpt(key, max + 1))}:`) || !walk(v[key])) return false;
      first = false;
    }
    return put('}');
  };
  walk(value);
  const shown = full ? out : `${out}…`;
  return Array.isArray(value) && !full ? `${shown} (${value.length.toLocaleString('en-US')} entries)` : shown;
}
