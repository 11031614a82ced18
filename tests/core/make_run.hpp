// A run from a config the test knows is valid; the engine's message if it is not.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "initscope/run.hpp"

inline std::unique_ptr<initscope::Run> make_run(const nlohmann::json& config) {
  std::unique_ptr<initscope::Run> run;
  auto e = initscope::Run::create(config.dump(), run);
  REQUIRE_MESSAGE(!e, (e ? e->message : ""));
  return run;
}
