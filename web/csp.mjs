// The page's Content-Security-Policy: one text for the HTTP header (vite preview, the e2e
// test's server; what a course's web server should send) and the <meta http-equiv> in
// web/index.html (a test checks they are the same).
//
//   script-src 'self' 'wasm-unsafe-eval'  our bundled modules only; compiling the engine's
//       .wasm needs 'wasm-unsafe-eval' (it allows WebAssembly compilation, not JS eval).
//       Emscripten is built with -sDYNAMIC_EXECUTION=0, so nothing calls eval or new Function.
//   worker-src 'self'   the training and sweep workers are files of dist/ (no blob: workers;
//       the single-file build, which starts its worker from a Blob, cannot take this policy)
//   style-src 'self'    the stylesheet is a file; charts set styles through the CSSOM
//       (element.style), which the policy allows, never through style attributes
//   img-src 'self' data:  data: only for the empty favicon (<link rel="icon" href="data:,">)
//   connect-src 'self'  the .wasm is fetched from dist/
// A <meta> policy cannot carry frame-ancestors, report-uri or sandbox; none is needed (the
// lab is meant to be framed by course pages).
export const POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
