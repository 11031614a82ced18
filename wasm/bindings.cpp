// Embind registrations only: the JS side (wasm/initscope.mjs) is the API everyone uses.
// Raw names start with `_`; structured results cross as JSON strings. Errors come back as
// values, never as throws (em++ 3.1.6 aborts the module on a C++ throw).
#include <string>

#include <emscripten/bind.h>
#include <nlohmann/json.hpp>

#include "initscope/init.hpp"

namespace {

std::string version() { return INITSCOPE_VERSION; }

// ["zeros", "ones", ...] in the table's order.
std::string initializer_names() {
  nlohmann::json names = nlohmann::json::array();
  for (const auto& info : initscope::initializers()) names.push_back(info.name);
  return names.dump();
}

// [{"name", "framework", "formula"}, ...] in the table's order.
std::string initializer_list() {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& info : initscope::initializers()) {
    rows.push_back({{"name", info.name}, {"framework", info.framework}, {"formula", info.formula}});
  }
  return rows.dump();
}

}  // namespace

EMSCRIPTEN_BINDINGS(initscope) {
  emscripten::function("_version", &version);
  emscripten::function("_initializerNames", &initializer_names);
  emscripten::function("_initializers", &initializer_list);
}
