// The BatchNorm kind: PyTorch's nn.BatchNorm1d numbers, its modes and running averages, and
// a run that holds it (evaluation with the running averages, state out and in, reset).
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "initscope/layer.hpp"
#include "initscope/run.hpp"
#include "initscope/snapshot.hpp"
#include "make_run.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

std::unique_ptr<Layer<double>> batch_norm(std::size_t width, double epsilon, double momentum) {
  LayerSpec spec{"batchnorm", 0, {}, default_params(find_layer_kind<double>("batchnorm")->params)};
  spec.params.numbers["epsilon"] = epsilon;
  spec.params.numbers["momentum"] = momentum;
  return make_layer<double>(spec, width);
}

std::vector<double> state_of(const Layer<double>& layer) {
  std::vector<double> s(layer.state_size());
  layer.get_state(s.data());
  return s;
}

json with_batch_norm(const json& norm = {{"kind", "batchnorm"}}) { return circles_with_norm(norm); }

bool same_floats(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

}  // namespace

TEST_CASE("BatchNorm computes PyTorch's nn.BatchNorm1d in training and evaluation") {
  // Reference: torch.nn.BatchNorm1d(2, eps=0.5, momentum=0.1) in float64, weight (2, 0.5),
  // bias (0, −1); train() on x, then on x2, then eval() on xe. Column 0 by hand: mean 3,
  // biased variance 14/4 = 3.5, so z = (x − 3)/√4; the running variance takes the unbiased
  // 14/3: 0.9·1 + 0.1·14/3.
  std::unique_ptr<Layer<double>> norm = batch_norm(2, 0.5, 0.1);
  REQUIRE(norm->fan_out == 2);
  REQUIRE(norm->tensors.size() == 2);
  CHECK(norm->tensors[0].name == "gain");
  CHECK(norm->tensors[0].default_init == "ones");
  CHECK(norm->tensors[1].default_init == "zeros");
  CHECK_FALSE(norm->tensors[0].decay);
  CHECK_FALSE(norm->tensors[1].decay);
  CHECK(state_of(*norm) == std::vector<double>{0, 0, 1, 1});  // running mean 0, variance 1
  Workspace<double> ws;
  norm->reserve(4, ws);
  const std::vector<double> params = {2, 0.5, 0, -1};
  const std::vector<double> x = {1, 4, 2, -2, 3, 0.5, 6, 1};
  norm->forward(matrix_view(x.data(), 4, 2), params.data(), ws);
  const double expected[4][2] = {{-2.0, -0.30448139490667836},
                                 {-1.0, -1.6398771166858557},
                                 {0.0, -1.0834622326111985},
                                 {3.0, -0.9721792557962671}};
  for (std::size_t r = 0; r < 4; ++r)
    for (std::size_t j = 0; j < 2; ++j) CHECK(norm->a()(r, j) == doctest::Approx(expected[r][j]).epsilon(1e-14));
  CHECK(norm->z()(3, 0) == doctest::Approx(1.5).epsilon(1e-15));
  // A forward alone leaves the running averages; the fold after a kept step moves them.
  CHECK(state_of(*norm) == std::vector<double>{0, 0, 1, 1});
  norm->update_running_statistics();
  std::vector<double> s = state_of(*norm);
  CHECK(s[0] == doctest::Approx(0.3).epsilon(1e-15));
  CHECK(s[1] == doctest::Approx(0.0875).epsilon(1e-15));
  CHECK(s[2] == doctest::Approx(1.3666666666666667).epsilon(1e-15));
  CHECK(s[3] == doctest::Approx(1.50625).epsilon(1e-15));
  const std::vector<double> x2 = {0, 1, 1, 3, -1, 2};
  norm->forward(matrix_view(x2.data(), 3, 2), params.data(), ws);
  norm->update_running_statistics();
  s = state_of(*norm);
  CHECK(s[0] == doctest::Approx(0.27).epsilon(1e-15));
  CHECK(s[1] == doctest::Approx(0.27875).epsilon(1e-15));
  CHECK(s[2] == doctest::Approx(1.33).epsilon(1e-15));
  CHECK(s[3] == doctest::Approx(1.455625).epsilon(1e-15));
  // Evaluation: the running averages, whatever the batch.
  norm->set_mode(LayerMode::running);
  const std::vector<double> xe = {1, 1, -2, 0};
  norm->forward(matrix_view(xe.data(), 2, 2), params.data(), ws);
  CHECK(norm->a()(0, 0) == doctest::Approx(1.0792630555936762).epsilon(1e-14));
  CHECK(norm->a()(0, 1) == doctest::Approx(-0.7421227440608368).epsilon(1e-14));
  CHECK(norm->a()(1, 0) == doctest::Approx(-3.3560645701337606).epsilon(1e-14));
  CHECK(norm->a()(1, 1) == doctest::Approx(-1.0996648666801272).epsilon(1e-14));
  // Folding after an evaluation forward changes nothing.
  norm->update_running_statistics();
  CHECK(state_of(*norm) == s);
}

TEST_CASE("BatchNorm's backward in evaluation matches finite differences of the running-average forward") {
  std::unique_ptr<Layer<double>> norm = batch_norm(3, 1e-5, 0.1);
  Workspace<double> ws;
  norm->reserve(2, ws);
  const std::vector<double> state = {0.5, -1, 2, 4, 0.25, 9};
  norm->set_state(state.data());
  norm->set_mode(LayerMode::running);
  std::vector<double> params = {1.5, -0.5, 2, 0.1, 0.2, 0.3}, x = {1, 2, 3, -1, 0.5, 4};
  const std::vector<double> c = {0.3, -1, 2, 0.7, 0.1, -0.4};
  auto loss = [&] {
    norm->forward(matrix_view<const double>(x.data(), 2, 3), params.data(), ws);
    double sum = 0;
    for (std::size_t i = 0; i < c.size(); ++i) sum += c[i] * norm->a().data()[i];
    return sum;
  };
  loss();
  std::vector<double> grads(6), dx(6);
  norm->backward(matrix_view(c.data(), 2, 3), false, params.data(), grads.data(), dx.data(), ws);
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double keep = x[i];
    x[i] = keep + 1e-6;
    const double up = loss();
    x[i] = keep - 1e-6;
    const double down = loss();
    x[i] = keep;
    CHECK(dx[i] == doctest::Approx((up - down) / 2e-6).epsilon(1e-6));
  }
}

TEST_CASE("BatchNorm with one row keeps its running variance and moves its running mean") {
  // PyTorch refuses to train on one row (an unbiased variance of one value divides by 0).
  std::unique_ptr<Layer<double>> norm = batch_norm(2, 1e-5, 0.5);
  Workspace<double> ws;
  norm->reserve(1, ws);
  const std::vector<double> params = {1, 1, 0, 0}, x = {4, -2};
  norm->forward(matrix_view(x.data(), 1, 2), params.data(), ws);
  CHECK(norm->a()(0, 0) == 0.0);
  norm->update_running_statistics();
  CHECK(state_of(*norm) == std::vector<double>{2, -1, 1, 1});
}

TEST_CASE("a network with a BatchNorm layer trains, evaluates with its running averages and shows it") {
  auto run = make_run(with_batch_norm());
  const Network<float>& net = run->network();
  REQUIRE(net.num_layers() == 4);
  CHECK(net.layer(1).fan_out == 16);
  CHECK(net.num_params() == (2 * 16 + 16) + 2 * 16 + (16 * 8 + 8) + (8 + 1));
  CHECK(net.state_size() == 2 * 16);
  auto w0 = run->weights();
  CHECK(w0[1].w == std::vector<float>(16, 1.0f));
  CHECK(w0[1].b == std::vector<float>(16, 0.0f));
  std::vector<float> fresh(32, 0.0f);
  std::fill(fresh.begin() + 16, fresh.end(), 1.0f);
  CHECK(w0[1].running == fresh);
  CHECK(w0[0].running.empty());

  // The snapshot normalizes the probe batch with its own statistics: mean 0, E[z²] just
  // below 1 in every unit; the theory predicts it (mean-field, not exact).
  Snapshot s0 = run->snapshot();
  CHECK(s0.layers[1].kind == "batchnorm");
  CHECK(s0.layers[1].init == "ones");
  CHECK(std::fabs(s0.layers[1].z.mean) < 1e-5);
  CHECK(s0.layers[1].z.rms < 1.0);
  CHECK(s0.layers[1].z.rms > 0.95);
  CHECK(s0.layers[1].z.rms == doctest::Approx(std::sqrt(s0.theory.layers[1].q)).epsilon(0.05));
  CHECK_FALSE(s0.theory.layers[1].exact);
  // Snapshots, evaluations, predictions and the grid leave the running averages alone.
  run->evaluate();
  run->predict(true);
  std::vector<float> grid;
  REQUIRE_FALSE(run->decision_grid(8, run->data().extent, grid));
  CHECK(run->weights()[1].running == fresh);

  const double before = run->evaluate().train_loss;
  run->step(300);
  const Evaluation after = run->evaluate();
  CHECK(after.train_loss < 0.5 * before);
  CHECK(after.train_accuracy > 0.9);
  const auto w = run->weights();
  CHECK(w[1].running != fresh);
  for (std::size_t j = 16; j < 32; ++j) CHECK(w[1].running[j] > 0);

  // Evaluation reads the running averages: the same network with fresh averages (mean 0,
  // variance 1) gives another loss on the same weights.
  auto twin = make_run(with_batch_norm());
  auto fresh_w = w;
  fresh_w[1].running.clear();
  REQUIRE_FALSE(twin->set_weights(fresh_w));
  CHECK(twin->weights()[1].running == fresh);
  CHECK(twin->evaluate().train_loss != after.train_loss);
  // weights() and set_weights() carry them: the same evaluation, bit for bit.
  REQUIRE_FALSE(twin->set_weights(w));
  CHECK(twin->evaluate().train_loss == after.train_loss);
  auto bad = w;
  bad[1].running.pop_back();
  auto e = twin->set_weights(bad);
  REQUIRE(e);
  CHECK(e->message == "weights[1].running: 31 values given; expected 32 (running mean, then running variance) or none");
  bad = w;
  bad[0].running = {1.0f};
  e = twin->set_weights(bad);
  REQUIRE(e);
  CHECK(e->message == "weights[0].running: 1 values given; expected none (this layer keeps no running averages)");
  bad = w;
  bad[1].running[20] = -1.0f;
  e = twin->set_weights(bad);
  REQUIRE(e);
  CHECK(e->message == "weights[1].running: holds a negative running variance; expected variances >= 0");

  // reset() returns to the initial running averages, reinitialize() to fresh ones.
  run->reset();
  CHECK(run->weights()[1].running == fresh);
  run->step(3);
  run->reinitialize(8);
  CHECK(run->weights()[1].running == fresh);
}

TEST_CASE("a run with BatchNorm continues bit for bit from its saved state") {
  auto run = make_run(with_batch_norm());
  run->step(25);
  const json state = run->state();
  REQUIRE(state.contains("running"));
  REQUIRE(state.contains("initialRunning"));
  auto twin = make_run(with_batch_norm());
  REQUIRE_FALSE(twin->restore_state(state));
  CHECK(same_floats(twin->weights()[1].running, run->weights()[1].running));
  run->step(40);
  twin->step(40);
  for (std::size_t l = 0; l < 4; ++l) {
    CHECK(same_floats(twin->weights()[l].w, run->weights()[l].w));
    CHECK(same_floats(twin->weights()[l].running, run->weights()[l].running));
  }
  CHECK(twin->evaluate().test_loss == run->evaluate().test_loss);
  // A state without the running averages is refused, naming the field.
  json missing = state;
  missing.erase("running");
  auto e = twin->restore_state(missing);
  REQUIRE(e);
  CHECK(e->field == "state.running");
  // A network without batchnorm saves no such keys.
  json plain = with_batch_norm();
  plain["layers"].erase(1);
  CHECK_FALSE(make_run(plain)->state().contains("running"));
}

TEST_CASE("a residual block with a BatchNorm keeps its running averages and continues bit for bit") {
  json config = with_batch_norm({{"kind", "residual"}, {"activation", "relu"}, {"norm", "batchnorm"},
                                 {"normAt", "post"}});
  auto run = make_run(config);
  REQUIRE(run->network().state_size() == 2 * 16);
  const auto fresh = run->weights()[1].running;
  REQUIRE(fresh.size() == 32);
  run->evaluate();
  CHECK(run->weights()[1].running == fresh);  // evaluation reads them, never moves them
  run->step(30);
  CHECK(run->weights()[1].running != fresh);   // the block forwards the step's fold
  auto twin = make_run(config);
  REQUIRE_FALSE(twin->restore_state(run->state()));
  run->step(20);
  twin->step(20);
  CHECK(same_floats(twin->weights()[1].running, run->weights()[1].running));
  CHECK(twin->evaluate().test_loss == run->evaluate().test_loss);
  // Evaluation uses the running averages: fresh ones give another loss on the same weights.
  auto w = run->weights();
  w[1].running.clear();
  REQUIRE_FALSE(twin->set_weights(w));
  CHECK(twin->evaluate().test_loss != run->evaluate().test_loss);
}

TEST_CASE("a refused step leaves BatchNorm's running averages as they were before it") {
  // A linear output under mse and sgd at lr 1e6: the output grows each step until one
  // overflows and is refused; its batch statistics must not reach the running averages.
  json config = with_batch_norm();
  config["layers"][3]["activation"] = "linear";
  config["loss"] = "mse";
  config["optimizer"] = {{"name", "sgd"}, {"lr", 1e6}, {"batch", 64}};
  auto run = make_run(config);
  const StepResult r = run->step(100);
  REQUIRE(r.diverged);
  REQUIRE(r.diverged->step > 0);
  MESSAGE("diverged at step " << r.diverged->step << ", layer " << r.diverged->layer << ", " << r.diverged->quantity);
  auto twin = make_run(config);
  REQUIRE_FALSE(twin->step(static_cast<int>(r.diverged->step)).diverged);
  for (std::size_t l = 0; l < 4; ++l) {
    CHECK(same_floats(run->weights()[l].w, twin->weights()[l].w));
    CHECK(same_floats(run->weights()[l].running, twin->weights()[l].running));
  }
  // The kept steps did move them.
  CHECK(twin->weights()[1].running != make_run(config)->weights()[1].running);
}
