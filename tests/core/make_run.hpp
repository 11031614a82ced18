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

// Pure signal propagation: gaussian input of `width` columns (256 rows, all of them the
// probe) through `hidden`, then a sigmoid unit.
inline nlohmann::json signal_config(nlohmann::json hidden, int width, const nlohmann::json& init) {
  hidden.push_back({{"units", 1}, {"activation", "sigmoid"}});
  return {{"seed", 1},
          {"data", {{"name", "gaussian"}, {"dim", width}, {"train", 256}, {"test", 0}}},
          {"layers", hidden},
          {"init", init},
          {"stats", {{"probe", 256}}}};
}

// The Coursera C2W1 network: circles (seed 3, 300 + 100 points, noise 0.05), 2-10-5-1,
// relu relu sigmoid, bce, full-batch SGD at `lr`.
inline nlohmann::json circles(const nlohmann::json& init, double lr = 0.01) {
  return {{"seed", 3},
          {"data", {{"name", "circles"}, {"train", 300}, {"test", 100}, {"noise", 0.05}}},
          {"layers", {{{"units", 10}, {"activation", "relu"}},
                      {{"units", 5}, {"activation", "relu"}},
                      {{"units", 1}, {"activation", "sigmoid"}}}},
          {"init", init},
          {"loss", "bce"},
          {"optimizer", {{"name", "sgd"}, {"lr", lr}, {"batch", 300}}}};
}

// circles (the Coursera set: seed 3, 300 + 100 points, noise 0.05) through relu 16 → `norm`
// (a layer of a normalization kind, or a block) → relu 8 → sigmoid, He normal, Adam 0.01 on
// minibatches of 64.
inline nlohmann::json circles_with_norm(const nlohmann::json& norm) {
  return {{"seed", 3},
          {"data", {{"name", "circles"}, {"train", 300}, {"test", 100}, {"noise", 0.05}}},
          {"layers", {{{"units", 16}, {"activation", "relu"}},
                      norm,
                      {{"units", 8}, {"activation", "relu"}},
                      {{"units", 1}, {"activation", "sigmoid"}}}},
          {"init", {{"name", "he_normal"}}},
          {"loss", "bce"},
          {"optimizer", {{"name", "adam"}, {"lr", 0.01}, {"batch", 64}}}};
}
