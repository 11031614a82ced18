#include "initscope/lr_schedule.hpp"

#include <cmath>

namespace initscope {

namespace {

constexpr double kPi = 3.14159265358979323846;

ParamSpec warmup_param() {
  return integer_param("warmup", 0, 0, 1000000,
                       "updates of linear warm-up first: update s < warmup uses (s + 1)/warmup");
}

// cos(x) for x in [0, π] by its Taylor series in Horner form: the same bits in every build
// (a libm's cos may differ in the last place between the native and the wasm build).
double cos_0_pi(double x) {
  const double x2 = x * x;
  double sum = 1;
  for (int k = 20; k >= 1; --k) sum = 1 - x2 / ((2.0 * k - 1) * (2.0 * k)) * sum;
  return sum;
}

// base^k by squaring: a fixed sequence of products for each k.
double power(double base, std::size_t k) {
  double result = 1;
  while (k) {
    if (k & 1) result *= base;
    base *= base;
    k >>= 1;
  }
  return result;
}

}  // namespace

const std::vector<ScheduleInfo>& schedules() {
  static const std::vector<ScheduleInfo> table = {
      {"constant", "η_s = η (after the warm-up)",
       "The same learning rate at every update; with warmup > 0, a linear warm-up to it.",
       "where(s < warmup, (s + 1) / maximum(warmup, 1), 1.0)",
       {warmup_param()}},
      {"step", "η_s = η · γ^⌊(s − warmup)/every⌋",
       "Multiplies the learning rate by gamma every \"every\" updates after the warm-up "
       "(PyTorch's StepLR; Keras's ExponentialDecay with staircase=True).",
       "where(s < warmup, (s + 1) / maximum(warmup, 1), gamma ** floor((s - warmup) / every))",
       {warmup_param(),
        integer_param("every", 100, 1, 1000000, "updates between two decays"),
        number_param("gamma", 0.5, 0, 1, "factor of each decay", true, false)}},
      {"cosine", "η_s = η · (f + (1 − f)·(1 + cos(π·min(s − warmup, steps)/steps))/2)",
       "Cosine decay from the learning rate to final × it over \"steps\" updates after the "
       "warm-up, then constant (Keras's CosineDecay with alpha = final; PyTorch's "
       "CosineAnnealingLR over steps).",
       "where(s < warmup, (s + 1) / maximum(warmup, 1), final + (1 - final) * (1 + cos(pi * "
       "minimum(s - warmup, steps) / steps)) / 2)",
       {warmup_param(),
        integer_param("steps", 1000, 1, 100000000, "updates of the decay, after the warm-up"),
        number_param("final", 0, 0, 1, "the last factor, as a fraction of the learning rate")}},
  };
  return table;
}

bool ScheduleSpec::is_default() const {
  return name == "constant" && params.number("warmup") == 0;
}

Status parse_schedule(const nlohmann::json& value, const std::string& path, ScheduleSpec& out) {
  const NamedSpelling spelling{names_of(schedules()),
                               "a learning-rate schedule name (one of " +
                                   join(names_of(schedules())) + ") or an object {\"name\": ...}",
                               "", ""};
  std::string name;
  nlohmann::json object;
  if (auto e = parse_named(value, path, spelling, name, object)) return e;
  ScheduleSpec spec;
  spec.name = name;
  if (auto e = parse_params(object, find_by_name(schedules(), name)->params, path, {"name"},
                            spec.params))
    return e;
  out = spec;
  return std::nullopt;
}

nlohmann::json schedule_to_json(const ScheduleSpec& spec) {
  nlohmann::json j{{"name", spec.name}};
  for (const auto& p : find_by_name(schedules(), spec.name)->params) j[p.name] = spec.params.number(p.name);
  return j;
}

nlohmann::json schedules_schema() {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& s : schedules())
    rows.push_back({{"name", s.name},
                    {"formula", s.formula},
                    {"doc", s.doc},
                    {"python", s.python},
                    {"params", params_schema(s.params)}});
  return rows;
}

Schedule make_schedule(const ScheduleSpec& spec) {
  Schedule s;
  s.warmup = static_cast<std::size_t>(spec.params.number("warmup"));
  if (spec.name == "step") {
    s.kind = Schedule::Kind::step;
    s.every = static_cast<std::size_t>(spec.params.number("every"));
    s.gamma = spec.params.number("gamma");
  } else if (spec.name == "cosine") {
    s.kind = Schedule::Kind::cosine;
    s.steps = spec.params.number("steps");
    s.final = spec.params.number("final");
  }
  return s;
}

double Schedule::factor(std::size_t step) const {
  if (step < warmup) return (static_cast<double>(step) + 1) / static_cast<double>(warmup);
  const std::size_t after = step - warmup;
  switch (kind) {
    case Kind::step: return power(gamma, after / every);
    case Kind::cosine: {
      const double t = std::fmin(static_cast<double>(after), steps) / steps;
      return final + (1 - final) * (1 + cos_0_pi(kPi * t)) / 2;
    }
    case Kind::constant: break;
  }
  return 1;
}

}  // namespace initscope
