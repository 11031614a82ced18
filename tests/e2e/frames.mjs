// Shared by the embed tests: the lab's iframes in a host page (course page, snippet,
// the Embed dialog's preview) and whether each one's height is what its lab asked for.

/** Each iframe of the page with its frame, once every lab in them is ready. */
export async function frames(page, selector = 'iframe') {
  const out = [];
  for (const el of await page.$$(selector)) {
    const frame = await el.contentFrame();
    await frame.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
    out.push({ el, frame });
  }
  return out;
}

/** The lab's sizes inside its iframe: its body's height, its document's scroll and client sizes. */
export const inner = (frame) => frame.evaluate(() => ({
  body: document.body.getBoundingClientRect().height,
  scrollHeight: document.documentElement.scrollHeight, clientHeight: document.documentElement.clientHeight,
  scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
}));

/**
 * Waits until the iframe's height is its lab's height (the parent got the height message),
 * or `maxHeight` when the lab is taller → { box, inner }.
 */
export async function fits(el, frame, { maxHeight = 0 } = {}) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const box = await el.boundingBox();
    const sizes = await inner(frame);
    const want = maxHeight ? Math.min(maxHeight, Math.ceil(sizes.body)) : Math.ceil(sizes.body);
    const scrolls = sizes.scrollHeight > sizes.clientHeight + 1;
    if (Math.abs(box.height - want) <= 1 && scrolls === (want < Math.ceil(sizes.body))) return { box, inner: sizes };
    if (Date.now() > deadline) throw new Error(`iframe ${box.height} px, its content ${JSON.stringify(sizes)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
