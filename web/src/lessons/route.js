// The lessons live on the lab's own page: `?lesson=<id>` (`?lesson=contents` for the table
// of contents), so that a lesson works wherever the lab does, the single-file build opened
// from file:// included. main.js asks here at startup and, for a lesson, hands the page to
// lessons/page.js (loaded only then) instead of starting the lab.

/** The lesson asked for by the query (`''` for `?lesson=` alone), or null for the lab. */
export function lessonRequested(loc = window.location) {
  const params = new URLSearchParams(loc.search);
  return params.has('lesson') ? params.get('lesson') : null;
}
