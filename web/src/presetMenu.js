// The experiments menu (the presets' select) and what a link or the menu needs before the
// preset panel (presetPanel.js, loaded when a preset first opens) exists: the runs a
// preset shows and the notices about a link's preset= and group=.

const MAX_SHOWN = 4;  // runs side by side; a preset with more is shown a group at a time

/** The runs of a preset to show: all of them, or those of one group when there are too many. */
export function presetRuns(preset, group) {
  if (preset.runs.length <= MAX_SHOWN) return { runs: preset.runs, groups: [], group: null };
  const groups = [...new Set(preset.runs.map((r) => r.group).filter(Boolean))];
  const chosen = groups.includes(group) ? group : groups[0];
  const runs = chosen ? preset.runs.filter((r) => r.group === chosen) : preset.runs.slice(0, MAX_SHOWN);
  return { runs: runs.slice(0, MAX_SHOWN), groups, group: chosen ?? null };
}

/**
 * Notices about the link's preset= and group= (url.js reads their syntax): a preset that
 * does not exist, a group the preset does not have (the first group is shown instead), a
 * group without a preset or for a preset shown whole.
 * @param {{ preset?: string, group?: string }} keys  the link's page keys
 */
export function presetNotices(keys, presets) {
  const preset = keys.preset === undefined ? null : presets.find((p) => p.name === keys.preset);
  if (keys.preset !== undefined && !preset) {
    return [{ key: 'preset', value: keys.preset, allowed: `one of ${presets.map((p) => p.name).join(', ')}`, fallback: 'not set' }];
  }
  if (keys.group === undefined) return [];
  if (!preset) return [{ key: 'group', value: keys.group, allowed: 'a group of a preset\'s runs, with preset= set', fallback: 'not set' }];
  const { groups, group } = presetRuns(preset, keys.group);
  if (groups.includes(keys.group)) return [];
  return [{
    key: 'group', value: keys.group,
    allowed: groups.length ? `one of the groups of ${preset.name}: ${groups.join(', ')}` : `nothing: ${preset.name} shows all its runs at once, it has no groups`,
    fallback: group ?? 'not set',
  }];
}

// The experiments menu, found without knowing presets exist: a heading that says what they
// are, one line on what opening one does, and the select (its empty choice reads as an
// invitation while none is open, as the way back while one is).
export class PresetMenu {
  /** @param {HTMLElement} root  @param {object[]} presets  @param {(name: string) => void} onPick */
  constructor(root, presets, onPick) {
    const title = document.createElement('h3');
    title.id = 'preset-menu-title';
    title.className = 'preset-menu-title';
    title.textContent = 'Experiments from the articles';
    const about = document.createElement('p');
    about.className = 'preset-menu-about';
    about.id = 'preset-menu-about';
    about.textContent = `${presets.length} published experiments on initialization, set up as their sources ran them: open one to rerun it and see the published numbers beside ours.`;
    const label = document.createElement('label');
    label.htmlFor = 'preset-select';
    label.className = 'visually-hidden';
    label.textContent = 'Experiment';
    this.select = document.createElement('select');
    this.select.id = 'preset-select';
    this.select.dataset.testid = 'preset-select';
    this.select.setAttribute('aria-describedby', about.id);
    this.none = new Option('', '');
    this.select.append(this.none);
    for (const p of presets) this.select.append(new Option(p.title, p.name));
    this.select.addEventListener('change', () => onPick(this.select.value));
    root.replaceChildren(title, about, label, this.select);
    this.value = '';
  }

  set value(name) {
    this.select.value = name ?? '';
    this.none.textContent = this.select.value ? 'None: back to your own settings' : 'Choose an experiment…';
  }
}
