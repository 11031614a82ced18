// The snippet a course author pastes to embed the lab (the "Embed" dialog, embedDialog.js,
// writes it; a chunk with the dialog): the iframe, and the few lines that size it to the
// height the lab posts (embed.js postHeight).
import { HEIGHT_MESSAGE } from './embed.js';

/** The few lines a parent page needs so that every initscope iframe fits its content. */
export const RESIZE_SCRIPT = `<script>
  // initscope posts its height; size the iframe it came from.
  addEventListener("message", function (e) {
    if (!e.data || e.data.type !== "${HEIGHT_MESSAGE}") return;
    document.querySelectorAll("iframe").forEach(function (f) {
      if (f.contentWindow === e.source) f.style.height = e.data.height + "px";
    });
  });
</script>`;

// The iframe's height until the lab says how tall it is.
const FIRST_HEIGHT = 640;

/** The snippet: an iframe on `src` (at most `maxHeight` px tall, if given) and the resize script. */
export function snippet(src, maxHeight = 0) {
  const safe = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  const height = maxHeight ? Math.min(FIRST_HEIGHT, maxHeight) : FIRST_HEIGHT;
  return `<iframe src="${safe}" title="initscope: a weight-initialization lab" loading="lazy"
  style="width: 100%; height: ${height}px; border: 0;"></iframe>
${RESIZE_SCRIPT}`;
}
