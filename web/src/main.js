// Placeholder page: loads the engine and shows what it knows. The real lab replaces this.
import { loadInitscope } from '../../wasm/initscope.mjs';

const $ = (id) => document.getElementById(id);

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// Groups by framework when the table says which; one plain list otherwise.
function renderInitializers(api) {
  const rows = api.initializers ?? (api.initializerNames ?? []).map((name) => ({ name }));
  const groups = new Map();
  for (const row of rows) {
    const key = row.framework || 'all';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(row);
  }
  const container = $('initializers');
  container.replaceChildren();
  if (rows.length === 0) {
    container.append(element('p', 'No initializers in this build yet.'));
    return;
  }
  for (const [framework, members] of groups) {
    const group = element('section', undefined, 'group');
    group.dataset.framework = framework;
    group.append(element('h3', `${framework} (${members.length})`));
    const list = element('ul');
    for (const row of members) {
      const item = element('li', row.name);
      if (row.formula) item.title = row.formula;
      list.append(item);
    }
    group.append(list);
    container.append(group);
  }
}

async function main() {
  const status = $('status');
  try {
    const api = await loadInitscope();
    $('version').textContent = api.version;
    renderInitializers(api);
    status.textContent = 'Engine loaded.';
    document.body.dataset.ready = 'true';
  } catch (error) {
    status.textContent = `Could not load the engine: ${error.message}`;
    status.classList.add('error');
    document.body.dataset.ready = 'error';
    console.error(error);
  }
}

main();
