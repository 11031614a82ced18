#include <doctest/doctest.h>

#include <cmath>

#include "initscope/lr_schedule.hpp"
#include "initscope/optimizer.hpp"

using namespace initscope;

static ScheduleSpec schedule(const nlohmann::json& value) {
  ScheduleSpec spec;
  REQUIRE_FALSE(parse_schedule(value, "optimizer.schedule", spec));
  return spec;
}

TEST_CASE("a linear warm-up reaches the learning rate at update warmup - 1 and stays") {
  const ScheduleSpec s = schedule({{"name", "constant"}, {"warmup", 4}});
  CHECK(schedule_factor(s, 0) == 0.25);
  CHECK(schedule_factor(s, 1) == 0.5);
  CHECK(schedule_factor(s, 3) == 1.0);
  CHECK(schedule_factor(s, 1000) == 1.0);
  CHECK(schedule(nlohmann::json("constant")).is_default());
  CHECK_FALSE(s.is_default());
}

TEST_CASE("step decay multiplies by gamma every `every` updates after the warm-up") {
  const ScheduleSpec s = schedule({{"name", "step"}, {"warmup", 2}, {"every", 10}, {"gamma", 0.5}});
  CHECK(schedule_factor(s, 0) == 0.5);
  CHECK(schedule_factor(s, 2) == 1.0);
  CHECK(schedule_factor(s, 11) == 1.0);
  CHECK(schedule_factor(s, 12) == 0.5);
  CHECK(schedule_factor(s, 32) == 0.125);
  // PyTorch's StepLR(step_size=10, gamma=0.1) after 1000 updates: 0.1^100, by squaring.
  const ScheduleSpec tenth = schedule({{"name", "step"}, {"every", 10}, {"gamma", 0.1}});
  CHECK(schedule_factor(tenth, 1000) == doctest::Approx(1e-100).epsilon(1e-12));
}

TEST_CASE("cosine decay follows Keras's CosineDecay to final and then stays there") {
  const ScheduleSpec s = schedule({{"name", "cosine"}, {"steps", 100}, {"final", 0.1}});
  CHECK(schedule_factor(s, 0) == 1.0);
  CHECK(schedule_factor(s, 50) == doctest::Approx(0.55).epsilon(1e-15));
  CHECK(schedule_factor(s, 100) == doctest::Approx(0.1).epsilon(1e-15));
  CHECK(schedule_factor(s, 5000) == doctest::Approx(0.1).epsilon(1e-15));
  // The own cosine agrees with the library's to a few ulps over the whole range.
  const ScheduleSpec plain = schedule({{"name", "cosine"}, {"steps", 997}});
  for (std::size_t k = 0; k <= 997; ++k) {
    const double want = (1 + std::cos(3.14159265358979323846 * static_cast<double>(k) / 997)) / 2;
    CHECK(std::fabs(schedule_factor(plain, k) - want) <= 4e-16);
  }
}

TEST_CASE("a schedule that is not in the table or has a bad param is refused naming the field") {
  ScheduleSpec spec;
  auto e = parse_schedule("linear", "optimizer.schedule", spec);
  REQUIRE(e);
  CHECK(e->field == "optimizer.schedule");
  CHECK(e->message.find("constant, step, cosine") != std::string::npos);
  e = parse_schedule({{"name", "step"}, {"gamma", 0}}, "optimizer.schedule", spec);
  REQUIRE(e);
  CHECK(e->field == "optimizer.schedule.gamma");
  e = parse_schedule({{"name", "cosine"}, {"every", 3}}, "optimizer.schedule", spec);
  REQUIRE(e);
  CHECK(e->field == "optimizer.schedule.every");
}

TEST_CASE("the optimizer scales its learning rate by the schedule of each update") {
  OptimizerConfig config;
  config.lr = 0.1;
  config.momentum = 0;
  REQUIRE_FALSE(parse_schedule({{"name", "constant"}, {"warmup", 2}}, "s", config.schedule));
  Optimizer opt(config, 1, {});
  float w = 1, g = 1;
  opt.step(&w, &g);  // lr·0.5
  CHECK(w == doctest::Approx(0.95f));
  g = 1;
  opt.step(&w, &g);  // lr·1
  CHECK(w == doctest::Approx(0.85f));
  // The config round-trips with its schedule; a default one writes nothing.
  OptimizerConfig back;
  REQUIRE_FALSE(parse_optimizer(optimizer_to_json(config), "optimizer", back));
  CHECK(back.schedule.name == "constant");
  CHECK(back.schedule.params.number("warmup") == 2);
  CHECK_FALSE(optimizer_to_json(OptimizerConfig{}).contains("schedule"));
}
