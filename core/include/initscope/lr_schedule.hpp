// Learning-rate schedules: the factor by which the optimizer multiplies its learning rate
// at each update. Updates count from 0, so the first one uses factor(0), as Keras's
// LearningRateSchedule(iterations) and PyTorch's LambdaLR (λ(0) until the first
// scheduler.step()) do. Every schedule may start with a linear warm-up, which post-norm
// networks are known to need (Xiong et al. 2020).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/error.hpp"
#include "initscope/params.hpp"

namespace initscope {

struct ScheduleInfo {
  std::string name;     // "cosine"
  std::string formula;  // the factor as text for the page
  std::string doc;
  // The factor as a Python expression of the update index `s` and the params' names, the
  // same arithmetic as schedule_factor(), written with where, minimum, maximum, floor, cos
  // and pi only, so that it reads as plain Python (the PyTorch code's LambdaLR) and as
  // keras.ops (the Keras code's LearningRateSchedule) once those names are bound.
  std::string python;
  std::vector<ParamSpec> params;
};

// The table, one row per schedule ("constant" first: the default).
const std::vector<ScheduleInfo>& schedules();

struct ScheduleSpec {
  std::string name = "constant";
  Params params;  // every param of its row, defaults filled in
  bool is_default() const;  // constant without warm-up: what a config without the key means
};

// A name or {"name": ..., its params}; errors name the field under `path`.
Status parse_schedule(const nlohmann::json& value, const std::string& path, ScheduleSpec& out);
nlohmann::json schedule_to_json(const ScheduleSpec& spec);
nlohmann::json schedules_schema();

// A spec read once into numbers, for the optimizer's step (no name or map lookups there).
struct Schedule {
  enum class Kind { constant, step, cosine } kind = Kind::constant;
  std::size_t warmup = 0, every = 1;
  double gamma = 1, steps = 1, final = 0;
  // The factor of update `step` (0-based). Only IEEE operations in a fixed order (our own
  // cosine, powers by squaring), so native and wasm builds give the same bits.
  double factor(std::size_t step) const;
  bool is_constant() const { return kind == Kind::constant && warmup == 0; }
};
Schedule make_schedule(const ScheduleSpec& spec);

inline double schedule_factor(const ScheduleSpec& spec, std::size_t step) {
  return make_schedule(spec).factor(step);
}

}  // namespace initscope
