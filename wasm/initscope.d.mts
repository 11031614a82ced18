// TypeScript looks for the types of initscope.mjs here (node16/nodenext/bundler resolution
// follows package.json "exports" to the .mjs); they live in initscope.d.ts.
export * from './initscope.js';
export { default } from './initscope.js';
