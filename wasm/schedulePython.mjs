// A learning-rate schedule as Python, for the code export (web/src/codegen.js) and the exact
// scripts (exactScript.mjs): the schedule row's expression (schema().optimizers.schedules[]
// .python, written once beside the engine's own in core/src/lr_schedule.cpp) with its names
// bound to plain Python (PyTorch's LambdaLR calls it with an int) or to keras.ops (a Keras
// LearningRateSchedule gets a tensor), and the run's params.

const INDENT = '    ';

/**
 * Lines that define the schedule of `optimizer` (a run.config optimizer) or null when it has
 * none: PyTorch `def lr_factor(s)` (the factor of update s, 0 first), Keras `class
 * Schedule(keras.optimizers.schedules.LearningRateSchedule)` (lr times the factor).
 * `number(value, type)` writes a Python number.
 */
export function scheduleLines(framework, optimizer, schedules, number) {
  const given = optimizer.schedule;
  if (!given) return null;
  const spec = typeof given === 'string' ? { name: given } : given;
  const row = schedules.find((r) => r.name === spec.name);
  const values = row.params.map((p) => [p.name, spec[p.name] ?? p.default, p.type]);
  const bind = values.length ? [`${values.map(([k]) => k).join(', ')} = ${values.map(([, v, t]) => number(v, t)).join(', ')}`] : [];
  const doc = `initscope's ${row.name} schedule (${values.map(([k, v]) => `${k} ${v}`).join(', ')}): the factor of update s, 0 first`;
  if (framework === 'pytorch') {
    return [`def lr_factor(s):  # ${doc}`,
      `${INDENT}def where(c, a, b):`,
      `${INDENT}${INDENT}return a if c else b`,
      `${INDENT}minimum, maximum, floor, cos, pi = min, max, math.floor, math.cos, math.pi`,
      ...bind.map((l) => `${INDENT}${l}`),
      `${INDENT}return ${row.python}`];
  }
  return ['class Schedule(keras.optimizers.schedules.LearningRateSchedule):',
    `${INDENT}# ${doc}, times the learning rate`,
    `${INDENT}def __call__(self, step):`,
    `${INDENT}${INDENT}s = ops.cast(step, "float32")`,
    `${INDENT}${INDENT}where, minimum, maximum, floor, cos, pi = ops.where, ops.minimum, ops.maximum, ops.floor, ops.cos, math.pi`,
    ...bind.map((l) => `${INDENT}${INDENT}${l}`),
    `${INDENT}${INDENT}return ${number(optimizer.lr, 'number')} * (${row.python})`];
}
