// Embind registrations only: the JS side (wasm/initscope.mjs) is the API everyone uses.
// Raw names start with `_`; structured results cross as JSON strings. Errors come back as
// values, never as throws (em++ 3.1.6 aborts the module on a C++ throw).
#include <string>

#include <emscripten/bind.h>

namespace {

std::string version() { return INITSCOPE_VERSION; }

}  // namespace

EMSCRIPTEN_BINDINGS(initscope) {
  emscripten::function("_version", &version);
}
