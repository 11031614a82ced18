// The lab's schema: every option with its type, default, range and formula, assembled
// from the one table per enum. The page builds its controls from it and the docs list it.
#pragma once
#include <nlohmann/json.hpp>

namespace initscope {

nlohmann::json schema();

}  // namespace initscope
