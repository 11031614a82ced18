#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <vector>

#include "alloc_count.hpp"
#include "initscope/optimizer.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

OptimizerConfig config(OptimizerKind kind, double lr) {
  OptimizerConfig c;
  c.kind = kind;
  c.lr = lr;
  return c;
}

// Steps a one-parameter problem `steps` times with the gradient g(w) and returns w after
// each step.
template <class G>
std::vector<double> trajectory(Optimizer& opt, double w, int steps, G grad_of) {
  std::vector<double> out;
  for (int s = 0; s < steps; ++s) {
    double g = grad_of(w);
    opt.step(&w, &g);
    out.push_back(w);
  }
  return out;
}

double one(double) { return 1.0; }
double identity(double w) { return w; }  // the gradient of w²/2

}  // namespace

TEST_CASE("the optimizer table has one row per kind in order") {
  const auto& table = optimizers();
  REQUIRE(table.size() == 5);
  std::set<std::string> keys;
  for (const auto& spec : optimizer_params()) keys.insert(spec.name);
  CHECK(keys == std::set<std::string>{"lr", "momentum", "beta1", "beta2", "rho", "epsilon",
                                      "weightDecay", "clipNorm", "clipValue", "convention"});
  for (std::size_t i = 0; i < table.size(); ++i) {
    CHECK(static_cast<std::size_t>(table[i].kind) == i);
    CHECK(find_optimizer(table[i].name) == &table[i]);
    CHECK_FALSE(table[i].formula.empty());
    for (const auto& k : table[i].params) CHECK(keys.count(k) == 1);
  }
  CHECK(table[0].name == "sgd");
  CHECK(table[2].name == "nesterov");
  CHECK(table[4].params ==
        std::vector<std::string>{"lr", "beta1", "beta2", "epsilon", "convention", "weightDecay",
                                 "clipNorm", "clipValue"});
  CHECK(table[0].default_lr == 0.01);
  CHECK(table[4].default_lr == 0.001);
  CHECK(find_optimizer("Adam") == nullptr);
}

TEST_CASE("sgd takes w minus lr times g and ignores momentum") {
  // lr 0.1, g = (0.5, 1) twice: w = (1, −2) → (0.95, −2.1) → (0.9, −2.2).
  Optimizer opt(config(OptimizerKind::sgd, 0.1), 2, {});
  double w[] = {1, -2};
  double g[] = {0.5, 1};
  CHECK(opt.step(w, g) == doctest::Approx(std::sqrt(1.25)).epsilon(1e-15));
  CHECK(w[0] == doctest::Approx(0.95).epsilon(1e-15));
  CHECK(w[1] == doctest::Approx(-2.1).epsilon(1e-15));
  opt.step(w, g);
  CHECK(w[0] == doctest::Approx(0.9).epsilon(1e-15));
  CHECK(w[1] == doctest::Approx(-2.2).epsilon(1e-15));
  CHECK(opt.steps() == 2);
  CHECK(opt.first_moment().empty());
}

TEST_CASE("momentum follows Keras SGD with momentum") {
  // μ 0.9, lr 0.1, g = 1: v = −0.1, −0.19, −0.271; w = 1 + Σv = 0.9, 0.71, 0.439.
  Optimizer opt(config(OptimizerKind::momentum, 0.1), 1, {});
  const auto w = trajectory(opt, 1.0, 3, one);
  CHECK(w[0] == doctest::Approx(0.9).epsilon(1e-15));
  CHECK(w[1] == doctest::Approx(0.71).epsilon(1e-15));
  CHECK(w[2] == doctest::Approx(0.439).epsilon(1e-15));
  CHECK(opt.first_moment()[0] == doctest::Approx(-0.271).epsilon(1e-15));
}

TEST_CASE("nesterov follows Keras SGD with nesterov") {
  // v as for momentum; w += μ·v − lr·g: −0.19, −0.271, −0.3439 → 0.81, 0.539, 0.1951.
  Optimizer opt(config(OptimizerKind::nesterov, 0.1), 1, {});
  const auto w = trajectory(opt, 1.0, 3, one);
  CHECK(w[0] == doctest::Approx(0.81).epsilon(1e-15));
  CHECK(w[1] == doctest::Approx(0.539).epsilon(1e-15));
  CHECK(w[2] == doctest::Approx(0.1951).epsilon(1e-14));
}

TEST_CASE("rmsprop reproduces the Keras docstring example") {
  // Keras: RMSprop(learning_rate=0.1) on w²/2 from w = 10 gives 9.683772.
  // Step 1: s = 0.1·10² = 10, w = 10 − 0.1·10/√(10 + 1e-7) = 9.683772235564302.
  // Step 2: g = 9.6837722…, s = 0.9·10 + 0.1·g² = 18.3775444710286, w = 9.45788024948112.
  // Step 3: s = 25.484939905278242, w = 9.270530980376865 (the same arithmetic in Python).
  Optimizer opt(config(OptimizerKind::rmsprop, 0.1), 1, {});
  const auto w = trajectory(opt, 10.0, 3, identity);
  CHECK(w[0] == doctest::Approx(9.683772235564302).epsilon(1e-15));
  CHECK(w[1] == doctest::Approx(9.45788024948112).epsilon(1e-15));
  CHECK(w[2] == doctest::Approx(9.270530980376865).epsilon(1e-15));
  CHECK(opt.second_moment()[0] == doctest::Approx(25.484939905278242).epsilon(1e-15));
}

TEST_CASE("adam applies the Keras bias correction") {
  SUBCASE("a constant gradient moves lr per step") {
    // g = 1: m = 1 − β₁ᵗ and v = 1 − β₂ᵗ exactly, so each step is
    // lr·√(1 − β₂ᵗ)/(√(1 − β₂ᵗ) + ε) = 0.0999996838, 0.0999997763, 0.0999998173 (lr 0.1).
    Optimizer opt(config(OptimizerKind::adam, 0.1), 1, {});
    const auto w = trajectory(opt, 1.0, 3, one);
    CHECK(w[0] == doctest::Approx(0.900000316226766).epsilon(1e-15));
    CHECK(w[1] == doctest::Approx(0.8000005398889869).epsilon(1e-15));
    CHECK(w[2] == doctest::Approx(0.7000007225541642).epsilon(1e-15));
  }
  SUBCASE("a changing gradient") {
    // g = w on w²/2 from 1, lr 0.1. Step 1 as above: 0.900000316226766. Step 2: g = 0.9000003,
    // m = 0.9·0.1 + 0.1·g = 0.18000003, v = 0.999·0.001 + 0.001·g² = 0.00180900057,
    // α = 0.1·√(1 − 0.999²)/(1 − 0.9²), w −= α·m/(√v + ε) → 0.8004127762155153.
    Optimizer opt(config(OptimizerKind::adam, 0.1), 1, {});
    const auto w = trajectory(opt, 1.0, 2, identity);
    CHECK(w[1] == doctest::Approx(0.8004127762155153).epsilon(1e-15));
    CHECK(opt.first_moment()[0] == doctest::Approx(0.18000003162267661).epsilon(1e-14));
  }
}

TEST_CASE("weight decay adds wd times w to the gradient of masked parameters only") {
  // wd 0.1, w = (2, 2), g = (0, 0), mask (1, 0): g = (0.2, 0); sgd lr 0.5: w = (1.9, 2).
  OptimizerConfig c = config(OptimizerKind::sgd, 0.5);
  c.weight_decay = 0.1;
  Optimizer opt(c, 2, {1, 0});
  double w[] = {2, 2}, g[] = {0, 0};
  CHECK(opt.step(w, g) == doctest::Approx(0.2).epsilon(1e-15));
  CHECK(g[0] == doctest::Approx(0.2).epsilon(1e-15));
  CHECK(g[1] == 0.0);
  CHECK(w[0] == doctest::Approx(1.9).epsilon(1e-15));
  CHECK(w[1] == 2.0);

  // An empty mask decays everything.
  Optimizer all(c, 2, {});
  double w2[] = {2, 2}, g2[] = {0, 0};
  all.step(w2, g2);
  CHECK(w2[1] == doctest::Approx(1.9).epsilon(1e-15));
}

TEST_CASE("clipping by value bounds each gradient") {
  // c = 0.5: g = (2, −3, 0.1) → (0.5, −0.5, 0.1); the returned norm is the unclipped
  // √(4 + 9 + 0.01) = 3.606937759374287; sgd lr 1 from 0 gives w = −g.
  OptimizerConfig c = config(OptimizerKind::sgd, 1.0);
  c.clip_value = 0.5;
  Optimizer opt(c, 3, {});
  double w[] = {0, 0, 0}, g[] = {2, -3, 0.1};
  CHECK(opt.step(w, g) == doctest::Approx(3.606937759374287).epsilon(1e-15));
  CHECK(g[0] == 0.5);
  CHECK(g[1] == -0.5);
  CHECK(g[2] == 0.1);
  CHECK(w[0] == -0.5);
  CHECK(w[1] == 0.5);
  CHECK(w[2] == -0.1);
}

TEST_CASE("clipping by global norm rescales only above the threshold") {
  OptimizerConfig c = config(OptimizerKind::sgd, 1.0);
  c.clip_norm = 1.0;
  Optimizer opt(c, 2, {});
  SUBCASE("above: the norm after clipping equals c") {
    // g = (3, 4), ‖g‖ = 5 → (0.6, 0.8).
    double w[] = {0, 0}, g[] = {3, 4};
    CHECK(opt.step(w, g) == 5.0);
    CHECK(g[0] == doctest::Approx(0.6).epsilon(1e-15));
    CHECK(g[1] == doctest::Approx(0.8).epsilon(1e-15));
    CHECK(std::sqrt(g[0] * g[0] + g[1] * g[1]) == doctest::Approx(1.0).epsilon(1e-15));
    CHECK(w[0] == -g[0]);
  }
  SUBCASE("below: nothing changes") {
    double w[] = {0, 0}, g[] = {0.3, 0.4};
    CHECK(opt.step(w, g) == doctest::Approx(0.5).epsilon(1e-15));
    CHECK(g[0] == 0.3);
    CHECK(g[1] == 0.4);
  }
  SUBCASE("float: the norm after clipping equals c to float precision") {
    float w[] = {0, 0}, g[] = {50, -120};  // ‖g‖ = 130
    CHECK(opt.step(w, g) == 130.0);
    const double after = std::sqrt(double(g[0]) * g[0] + double(g[1]) * g[1]);
    CHECK(after == doctest::Approx(1.0).epsilon(1e-7));
  }
}

TEST_CASE("L2 then clip by value then clip by global norm") {
  // wd 0.1 on w = (10, 10): g = (0, 0.5) + (1, 1) = (1, 1.5), ‖g‖ = √3.25 (returned).
  // clip value 1.2: (1, 1.2). clip norm 1: ÷√2.44 → (0.6401843996644799, 0.7682212795973759).
  // (Clipping the norm first would give (0.5547, 0.8321), which the value clip keeps.)
  OptimizerConfig c = config(OptimizerKind::sgd, 1.0);
  c.weight_decay = 0.1;
  c.clip_value = 1.2;
  c.clip_norm = 1.0;
  Optimizer opt(c, 2, {});
  double w[] = {10, 10}, g[] = {0, 0.5};
  CHECK(opt.step(w, g) == doctest::Approx(1.8027756377319946).epsilon(1e-15));
  CHECK(g[0] == doctest::Approx(0.6401843996644799).epsilon(1e-15));
  CHECK(g[1] == doctest::Approx(0.7682212795973759).epsilon(1e-15));
  CHECK(w[0] == doctest::Approx(10 - 0.6401843996644799).epsilon(1e-15));
}

TEST_CASE("the pytorch convention follows torch.optim's rules") {
  // The same problems as above, each value from the rule in plain Python (float64).
  auto pytorch = [](OptimizerKind kind, double lr) {
    OptimizerConfig c = config(kind, lr);
    c.convention = OptimizerConvention::pytorch;
    return c;
  };
  SUBCASE("adam adds epsilon to the bias-corrected root") {
    // w −= lr/(1 − β₁ᵗ)·m / (√v/√(1 − β₂ᵗ) + ε): the first step is lr·g/(|g| + ε).
    Optimizer opt(pytorch(OptimizerKind::adam, 0.1), 1, {});
    const auto w = trajectory(opt, 1.0, 2, identity);
    CHECK(w[0] == doctest::Approx(0.900000009999999).epsilon(1e-15));
    CHECK(w[1] == doctest::Approx(0.8004122480821506).epsilon(1e-15));
  }
  SUBCASE("rmsprop adds epsilon outside the root") {
    Optimizer opt(pytorch(OptimizerKind::rmsprop, 0.1), 1, {});
    const auto w = trajectory(opt, 10.0, 3, identity);
    CHECK(w[0] == doctest::Approx(9.683772243983162).epsilon(1e-15));
    CHECK(w[2] == doctest::Approx(9.270530996585011).epsilon(1e-15));
  }
  SUBCASE("momentum keeps v = mu v + g and steps lr v") {
    Optimizer opt(pytorch(OptimizerKind::momentum, 0.1), 1, {});
    const auto w = trajectory(opt, 1.0, 3, identity);
    CHECK(w[2] == doctest::Approx(0.486).epsilon(1e-15));
    CHECK(opt.first_moment()[0] == doctest::Approx(0.9 * 1.8 + 0.72).epsilon(1e-15));
  }
  SUBCASE("nesterov steps lr (g + mu v)") {
    Optimizer opt(pytorch(OptimizerKind::nesterov, 0.1), 1, {});
    const auto w = trajectory(opt, 1.0, 3, identity);
    CHECK(w[1] == doctest::Approx(0.5751).epsilon(1e-15));
    CHECK(w[2] == doctest::Approx(0.327321).epsilon(1e-15));
  }
}

TEST_CASE("an optimizer restored from another's state takes the same steps") {
  for (OptimizerKind kind : {OptimizerKind::momentum, OptimizerKind::rmsprop, OptimizerKind::adam}) {
    INFO(optimizer_info(kind).name);
    Optimizer first(config(kind, 0.1), 1, {});
    const double w = trajectory(first, 1.0, 3, identity)[2];
    Optimizer second(config(kind, 0.1), 1, {});
    REQUIRE_FALSE(second.restore(first.state(), "state.optimizer"));
    CHECK(trajectory(second, w, 2, identity) == trajectory(first, w, 2, identity));
    Optimizer other(config(kind, 0.1), 2, {});
    auto e = other.restore(first.state(), "state.optimizer");
    REQUIRE(e);
    CHECK(e->field == (kind == OptimizerKind::rmsprop ? "state.optimizer.v" : "state.optimizer.m"));
  }
}

TEST_CASE("reset zeroes the state and the step count") {
  for (OptimizerKind kind : {OptimizerKind::momentum, OptimizerKind::nesterov,
                             OptimizerKind::rmsprop, OptimizerKind::adam}) {
    Optimizer fresh(config(kind, 0.1), 1, {});
    const double first = trajectory(fresh, 1.0, 1, identity)[0];
    Optimizer opt(config(kind, 0.1), 1, {});
    trajectory(opt, 1.0, 3, identity);
    opt.reset();
    CHECK(opt.steps() == 0);
    INFO(optimizer_info(kind).name);
    CHECK(trajectory(opt, 1.0, 1, identity)[0] == first);
    CHECK(opt.steps() == 1);
  }
}

TEST_CASE("the float step agrees with the double step") {
  for (const auto& info : optimizers()) {
    OptimizerConfig c = config(info.kind, 0.05);
    c.weight_decay = 0.01;
    c.clip_norm = 2.0;
    Optimizer od(c, 4, {1, 1, 0, 1}), of(c, 4, {1, 1, 0, 1});
    double wd[] = {0.5, -1.5, 0.25, 2.0};
    float wf[] = {0.5f, -1.5f, 0.25f, 2.0f};
    for (int s = 0; s < 10; ++s) {
      double gd[4];
      float gf[4];
      for (int i = 0; i < 4; ++i) {  // the gradient of Σ w³/3 + w: varying and sign-changing
        gd[i] = wd[i] * wd[i] - 0.3;
        gf[i] = wf[i] * wf[i] - 0.3f;
      }
      od.step(wd, gd);
      of.step(wf, gf);
    }
    INFO(info.name);
    for (int i = 0; i < 4; ++i) CHECK(wf[i] == doctest::Approx(wd[i]).epsilon(1e-5));
  }
}

TEST_CASE("the norm is the same bits whether the update pass sums it or clipping does") {
  // 1003 floats: blocks of 8 for the vector loop and a tail of 3 for the scalar one.
  const std::size_t n = 1003;
  for (const auto& info : optimizers()) {
    OptimizerConfig plain = config(info.kind, 0.01), clipped = plain;
    clipped.clip_norm = 1e30;  // asks for the norm first, never rescales
    Optimizer a(plain, n, {}), b(clipped, n, {});
    std::vector<float> wa(n), wb(n), ga(n), gb(n);
    for (std::size_t i = 0; i < n; ++i) {
      wa[i] = wb[i] = 0.01f * static_cast<float>(i % 29) - 0.1f;
      ga[i] = gb[i] = 1e-3f * static_cast<float>(i % 37) - 0.02f;
    }
    INFO(info.name);
    const double na = a.step(wa.data(), ga.data()), nb = b.step(wb.data(), gb.data());
    CHECK(na == nb);
    CHECK(na > 0);
    CHECK(wa == wb);
  }
}

TEST_CASE("params_finite reports a NaN or Inf the update wrote") {
  const std::size_t n = 21;  // a NaN in the vector loop's blocks, an Inf in the tail
  for (const std::size_t bad : {std::size_t(5), std::size_t(19)}) {
    OptimizerConfig c = config(OptimizerKind::sgd, 0.1);
    Optimizer opt(c, n, {});
    std::vector<float> w(n, 1.0f), g(n, 0.5f);
    opt.step(w.data(), g.data());
    CHECK(opt.params_finite());
    g[bad] = bad == 5 ? NAN : INFINITY;
    opt.step(w.data(), g.data());
    CAPTURE(bad);
    CHECK_FALSE(opt.params_finite());
    CHECK_FALSE(std::isfinite(w[bad]));
  }
}

namespace {

// n floats that vary and change sign, for parameters and gradients.
std::vector<float> varied(std::size_t n, float scale, int period) {
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = scale * (static_cast<float>(i % period) - period / 2.0f);
  return v;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  // memcmp may not be given the null data() of an empty vector, even for 0 bytes.
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

}  // namespace

TEST_CASE("a step that makes a parameter NaN or Inf leaves the optimizer's state as it was") {
  const std::size_t n = 1003;  // blocks of 8 for the vector loop, a tail of 3
  const float inf = std::numeric_limits<float>::infinity();
  for (const auto& info : optimizers()) {
    for (const bool clip : {false, true}) {
      OptimizerConfig c = config(info.kind, 0.01);
      if (clip) {
        c.clip_value = 0.5;  // keeps the Inf below: a clipped Inf would hide the divergence
        c.weight_decay = 0.01;
      }
      // One optimizer takes a good step, a bad one (an Inf gradient in the tail, a NaN in a
      // block) and a good one; the other only the two good ones. Both end in the same bits.
      Optimizer a(c, n, {}), b(c, n, {});
      std::vector<float> wa = varied(n, 0.01f, 29), wb = wa;
      std::vector<float> g = varied(n, 0.001f, 37);
      std::vector<float> ga = g, gb = g;
      a.step(wa.data(), ga.data());
      b.step(wb.data(), gb.data());
      const std::vector<double> m = a.first_moment(), v = a.second_moment();
      std::vector<float> bad = g, out(n);
      bad[n - 2] = inf;
      bad[17] = NAN;
      a.step(wa.data(), out.data(), bad.data());
      INFO(info.name << std::string(clip ? " with clipping and weight decay" : ""));
      CHECK_FALSE(a.params_finite());
      CHECK_FALSE(std::isfinite(out[n - 2]));
      CHECK_FALSE(std::isfinite(out[17]));
      CHECK(a.steps() == 1);
      CHECK(same_bits(a.first_moment(), m));
      CHECK(same_bits(a.second_moment(), v));
      ga = g;
      gb = g;
      a.step(wa.data(), ga.data());
      b.step(wb.data(), gb.data());
      CHECK(a.params_finite());
      CHECK(a.steps() == 2);
      CHECK(same_bits(wa, wb));
      CHECK(same_bits(a.first_moment(), b.first_moment()));
      CHECK(same_bits(a.second_moment(), b.second_moment()));
    }
  }
}

TEST_CASE("finite gradients that overflow a parameter leave the optimizer's state as it was") {
  // Zero gradients first (every kind stays put), then one finite gradient that pushes a
  // parameter of 3e38 past the largest float, then zeros again.
  const std::size_t n = 21;
  for (const auto& info : optimizers()) {
    Optimizer a(config(info.kind, 1e38), n, {}), b(config(info.kind, 1e38), n, {});
    std::vector<float> wa(n, 1.0f), zero(n, 0.0f), g = zero;
    wa[19] = 3e38f;
    std::vector<float> wb = wa;
    a.step(wa.data(), g.data());
    g = zero;
    b.step(wb.data(), g.data());
    const std::vector<double> m = a.first_moment(), v = a.second_moment();
    std::vector<float> push = zero, out(n);
    push[19] = -1.0f;
    a.step(wa.data(), out.data(), push.data());
    INFO(info.name);
    CHECK_FALSE(a.params_finite());
    CHECK(std::isinf(out[19]));
    CHECK(a.steps() == 1);
    CHECK(same_bits(a.first_moment(), m));
    CHECK(same_bits(a.second_moment(), v));
    g = zero;
    a.step(wa.data(), g.data());
    g = zero;
    b.step(wb.data(), g.data());
    CHECK(a.params_finite());
    CHECK(same_bits(wa, wb));
    CHECK(same_bits(a.first_moment(), b.first_moment()));
    CHECK(same_bits(a.second_moment(), b.second_moment()));
  }
}

TEST_CASE("writing the new parameters over the gradients gives the in-place bits") {
  const std::size_t n = 1003;
  for (const auto& info : optimizers()) {
    OptimizerConfig c = config(info.kind, 0.05);
    c.weight_decay = 0.01;
    Optimizer in_place(c, n, {}), over_grads(c, n, {});
    std::vector<float> w = varied(n, 0.01f, 29);
    for (int s = 0; s < 3; ++s) {
      std::vector<float> g = varied(n, 0.001f * static_cast<float>(s + 1), 37), from = w;
      in_place.step(w.data(), g.data());
      std::vector<float> g2 = varied(n, 0.001f * static_cast<float>(s + 1), 37);
      over_grads.step(from.data(), g2.data(), g2.data());
      INFO(info.name << " step " << s);
      CHECK(same_bits(g2, w));
    }
  }
}

TEST_CASE("a step allocates nothing") {
  std::vector<float> w(100, 0.5f), g(100, 2.0f);
  long extra = 0;
  for (const auto& info : optimizers()) {
    OptimizerConfig c = config(info.kind, 0.01);
    c.weight_decay = 0.01;
    c.clip_value = 1.0;
    c.clip_norm = 1.0;
    const long at_start = initscope_test::allocations;
    Optimizer opt(c, w.size(), std::vector<std::uint8_t>(w.size(), 1));
    CHECK(initscope_test::allocations > at_start);  // the counter sees the state being made
    const long before = initscope_test::allocations;
    for (int s = 0; s < 3; ++s) opt.step(w.data(), g.data());
    extra += initscope_test::allocations - before;
  }
  CHECK(extra == 0);
}

TEST_CASE("parse_optimizer reads the page's optimizer object") {
  OptimizerConfig c;
  REQUIRE_FALSE(parse_optimizer(json::parse(R"({"name": "sgd", "lr": 0.01, "batch": 300,
      "momentum": 0, "clipNorm": null, "clipValue": null, "weightDecay": 0})"),
                                "optimizer", c));
  CHECK(c.kind == OptimizerKind::sgd);
  CHECK(c.lr == 0.01);
  CHECK(c.momentum == 0.0);
  CHECK_FALSE(c.clip_norm);
  CHECK_FALSE(c.clip_value);

  REQUIRE_FALSE(parse_optimizer(json{{"name", "adam"}, {"clipNorm", 1.5}, {"beta2", 0.99}},
                                "optimizer", c));
  CHECK(c.kind == OptimizerKind::adam);
  CHECK(c.lr == 0.001);  // Keras's Adam default when lr is missing
  CHECK(c.beta1 == 0.9);
  CHECK(c.beta2 == 0.99);
  CHECK(c.epsilon == 1e-7);
  REQUIRE(c.clip_norm);
  CHECK(*c.clip_norm == 1.5);
  CHECK_FALSE(c.clip_value);

  REQUIRE_FALSE(parse_optimizer(json("nesterov"), "optimizer", c));
  CHECK(c.kind == OptimizerKind::nesterov);
  CHECK(c.lr == 0.01);
  CHECK(c.momentum == 0.9);

  REQUIRE_FALSE(parse_optimizer(json{{"name", "rmsprop"}, {"lr", 0.02}, {"clipValue", 0.5}},
                                "optimizer", c));
  CHECK(c.lr == 0.02);
  CHECK(c.rho == 0.9);
  CHECK(*c.clip_value == 0.5);
}

TEST_CASE("parse_optimizer errors name the path the value and what is allowed") {
  const std::string names = "one of sgd, momentum, nesterov, rmsprop, adam";
  OptimizerConfig c;
  c.lr = 0.5;  // must survive every failed parse
  auto e = parse_optimizer(json{{"lr", 0.1}}, "optimizer", c);
  REQUIRE(e);
  CHECK(e->field == "optimizer.name");
  CHECK(e->message == "optimizer.name: is required; expected " + names);

  e = parse_optimizer(json{{"name", "adamw"}}, "optimizer", c);
  REQUIRE(e);
  CHECK(e->message == "optimizer.name: \"adamw\" is not allowed; expected " + names);

  e = parse_optimizer(json{{"name", nullptr}}, "optimizer", c);
  REQUIRE(e);
  CHECK(e->message == "optimizer.name: null is not allowed; expected " + names);

  e = parse_optimizer(json("SGD"), "optimizer", c);
  REQUIRE(e);
  CHECK(e->message == "optimizer: \"SGD\" is not allowed; expected " + names);

  e = parse_optimizer(json::array(), "optimizer", c);
  REQUIRE(e);
  CHECK(e->message == "optimizer: [] is not allowed; expected an optimizer name (" + names +
                          ") or an object {\"name\": ...}");

  e = parse_optimizer(json{{"name", "sgd"}, {"lr", 0}}, "optimizer", c);
  REQUIRE(e);
  CHECK(e->field == "optimizer.lr");
  CHECK(e->message == "optimizer.lr: 0 is not allowed; expected a number > 0 and <= 1000000");

  e = parse_optimizer(json{{"name", "momentum"}, {"momentum", 1.5}}, "optimizer", c);
  REQUIRE(e);
  CHECK(e->message == "optimizer.momentum: 1.5 is not allowed; expected a number from 0 to 1");

  e = parse_optimizer(json{{"name", "adam"}, {"beta1", 1}}, "optimizer", c);
  REQUIRE(e);
  CHECK(e->message == "optimizer.beta1: 1 is not allowed; expected a number >= 0 and < 1");

  e = parse_optimizer(json{{"name", "adam"}, {"epsilon", -1e-8}}, "optimizer", c);
  REQUIRE(e);
  CHECK(e->message == "optimizer.epsilon: -1e-08 is not allowed; expected a number > 0 and <= 1");

  e = parse_optimizer(json{{"name", "sgd"}, {"weightDecay", "0.1"}}, "optimizer", c);
  REQUIRE(e);
  CHECK(e->message ==
        "optimizer.weightDecay: \"0.1\" is not allowed; expected a number from 0 to 1");

  e = parse_optimizer(json{{"name", "sgd"}, {"clipNorm", -1}}, "optimizer", c);
  REQUIRE(e);
  CHECK(e->field == "optimizer.clipNorm");
  CHECK(e->message == "optimizer.clipNorm: -1 is not allowed; expected a number > 0 or null (off)");

  e = parse_optimizer(json{{"name", "sgd"}, {"clipValue", "big"}}, "optimizer", c);
  REQUIRE(e);
  CHECK(e->message ==
        "optimizer.clipValue: \"big\" is not allowed; expected a number > 0 or null (off)");

  e = parse_optimizer(json{{"name", "sgd"}, {"learning_rate", 0.1}}, "optimizer", c);
  REQUIRE(e);
  CHECK(e->field == "optimizer.learning_rate");
  CHECK(e->message == "optimizer.learning_rate: unknown key; allowed keys here: name, batch, lr, "
                      "momentum, beta1, beta2, rho, epsilon, weightDecay, clipNorm, clipValue, convention");
  CHECK(c.lr == 0.5);
}

TEST_CASE("optimizer_to_json round-trips and the schema marks the clip fields nullable") {
  OptimizerConfig c = config(OptimizerKind::adam, 0.003);
  c.beta2 = 0.99;
  c.weight_decay = 1e-4;
  c.clip_value = 0.25;
  c.convention = OptimizerConvention::pytorch;
  const json j = optimizer_to_json(c);
  CHECK(j["clipNorm"].is_null());
  CHECK(j["convention"] == "pytorch");
  OptimizerConfig back;
  REQUIRE_FALSE(parse_optimizer(j, "optimizer", back));
  CHECK(back.kind == c.kind);
  CHECK(back.lr == c.lr);
  CHECK(back.beta2 == c.beta2);
  CHECK(back.weight_decay == c.weight_decay);
  CHECK_FALSE(back.clip_norm);
  CHECK(*back.clip_value == 0.25);
  CHECK(back.convention == OptimizerConvention::pytorch);

  const json s = optimizers_schema();
  REQUIRE(s["optimizers"].size() == 5);
  CHECK(s["optimizers"][3]["defaultLr"] == 0.001);
  REQUIRE(s["params"].size() == 10);
  CHECK(s["params"][9]["name"] == "convention");
  CHECK(s["params"][9]["choices"] == json::array({"keras", "pytorch"}));
  for (const auto& row : s["params"]) {
    const bool clip = row["name"] == "clipNorm" || row["name"] == "clipValue";
    CHECK(row["nullable"] == clip);
    if (clip) {
      CHECK(row["default"].is_null());
      CHECK(row["allowed"] == "a number > 0 or null (off)");
    }
  }
  CHECK(s["params"][0]["name"] == "lr");
  CHECK(s["params"][0]["default"] == 0.01);
}

TEST_CASE("learning-rate groups update each range as an optimizer of that rate would") {
  // Three ranges at rates ×1, ×0.25 and ×2 (powers of two: lr·multiplier is exact), against
  // one optimizer per range at that rate: the same bits, for each kind.
  const std::vector<Optimizer::LrGroup> groups = {{0, 3, 1}, {3, 4, 0.25}, {7, 3, 2}};
  for (const OptimizerKind kind : {OptimizerKind::sgd, OptimizerKind::momentum, OptimizerKind::nesterov,
                                   OptimizerKind::rmsprop, OptimizerKind::adam}) {
    CAPTURE(optimizer_info(kind).name);
    Optimizer whole(config(kind, 0.1), 10, {});
    whole.set_lr_groups(groups);
    REQUIRE(whole.lr_groups().size() == 3);
    std::vector<float> w(10), g(10);
    for (std::size_t i = 0; i < 10; ++i) w[i] = 0.1f * static_cast<float>(i) - 0.4f;
    std::vector<float> parts = w;
    std::vector<Optimizer> each;
    for (const auto& group : groups) each.emplace_back(config(kind, 0.1 * group.multiplier), group.size, std::vector<std::uint8_t>{});
    for (int step = 0; step < 3; ++step) {
      for (std::size_t i = 0; i < 10; ++i) g[i] = w[i] * 0.5f + 0.01f * static_cast<float>(step);
      std::vector<float> gp = g;
      for (std::size_t i = 0; i < 10; ++i) gp[i] = parts[i] * 0.5f + 0.01f * static_cast<float>(step);
      whole.step(w.data(), g.data());
      for (std::size_t k = 0; k < groups.size(); ++k)
        each[k].step(parts.data() + groups[k].offset, gp.data() + groups[k].offset);
    }
    CHECK(w == parts);
  }
  // One group at ×1 is no group: the update is the single pass.
  Optimizer one_rate(config(OptimizerKind::sgd, 0.1), 4, {});
  one_rate.set_lr_groups({{0, 2, 1}, {2, 2, 1}});
  CHECK(one_rate.lr_groups().empty());
}
