// A card's PNG button and file downloads. The drawing itself (pngRender.js) loads with
// the first PNG a learner saves, so the page's first load does not carry it.

/** Saves a blob or text as a file the browser downloads. */
export function download(name, content, type = 'text/plain') {
  const blob = content instanceof Blob ? content : new Blob([content], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/**
 * A card's PNG button: saves `fig` as it is on screen, named for the chart (`name`), the
 * run in a comparison (`run`) and the step (`step()`); `title` is the chart's name.
 */
export function pngTool(fig, name, step, { run = null, title = 'this chart' } = {}) {
  const tools = document.createElement('div');
  tools.className = 'card-tools';
  const png = document.createElement('button');
  png.type = 'button';
  png.className = 'btn btn-small btn-quiet';
  png.textContent = 'PNG';
  png.title = run ? `Save run ${run}'s ${title} as a PNG image` : `Save ${title} as a PNG image`;
  png.dataset.testid = `png-view-${name}`;
  const file = `${run ? `run${run}-` : ''}${name}`.replace(/[^\w.-]+/g, '_');
  png.addEventListener('click', async () => {
    const { elementToPng } = await import('./pngRender.js');
    download(`initscope-${file}-step${step()}.png`, await elementToPng(fig));
  });
  tools.append(png);
  return tools;
}
