// What the lessons' labs write their URL keys with.

/** `count` copies of a layer's link text, joined by | (the layers key). */
export const rep = (count, layer) => Array.from({ length: count }, () => layer).join('|');

/** The compact embed's parts a lab hides: every view but `shown`. */
export const ALL_BUT = (...shown) => ['loss', 'data', 'signal', 'jacobian', 'health', 'activations', 'gradients', 'shatter', 'trace', 'summary'].filter((p) => !shown.includes(p));
