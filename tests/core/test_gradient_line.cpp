// Input gradients along a line (Network::backward_from, Run::gradient_line): exact for a
// linear layer, finite differences elsewhere, shattering with depth in plain relu
// networks, and a run left as it was.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "initscope/network.hpp"
#include "initscope/rng.hpp"
#include "initscope/run.hpp"
#include "initscope/run_json.hpp"
#include "make_run.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

// moons through `depth` hidden layers of `width` units, He normal, a sigmoid output.
json deep(int depth, int width, const std::string& activation, int seed = 1) {
  json config = {{"seed", seed},
                 {"data", {{"name", "moons"}, {"train", 200}, {"test", 50}}},
                 {"init", {{"name", "he_normal"}}},
                 {"loss", "bce"},
                 {"optimizer", {{"name", "sgd"}, {"lr", 0.05}, {"batch", 32}}}};
  config["layers"] = json::array();
  for (int l = 0; l < depth; ++l) config["layers"].push_back({{"units", width}, {"activation", activation}});
  config["layers"].push_back({{"units", 1}, {"activation", "sigmoid"}});
  return config;
}

GradientLine line_of(Run& run, GradientLineOptions options = {}) {
  GradientLine line;
  auto e = run.gradient_line(options, line);
  REQUIRE_MESSAGE(!e, (e ? e->message : ""));
  return line;
}

std::vector<double> unit_projection(int seed, std::size_t layer, std::size_t units) {
  Rng rng(static_cast<std::uint64_t>(seed), layer + 1);
  std::vector<double> u(units);
  double n2 = 0;
  for (double& v : u) {
    v = rng.normal();
    n2 += v * v;
  }
  for (double& v : u) v /= std::sqrt(n2);
  return u;
}

}  // namespace

TEST_CASE("a linear layer's input gradient is W times the projection exactly") {
  // 3 inputs -> 2 linear units; W (3, 2) and the projection in halves: every product and
  // sum is exact in double.
  Network<double> net(3, {2}, {{Activation::linear, 0}});
  net.params() = {1, -2, 0.5, 3, -1.5, 0.25, /* b */ 7, -7};
  const std::vector<double> x = {1, 2, 3, -4, 0.5, 6};  // two rows
  net.forward(matrix_view<const double>(x.data(), 2, 3));
  const std::vector<double> u = {0.5, -1.5, 0.5, -1.5};  // the same u in both rows
  net.backward_from(0, matrix_view<const double>(u.data(), 2, 2));
  const auto dx = net.input_grad();
  REQUIRE(dx.shape()[0] == 2);
  REQUIRE(dx.shape()[1] == 3);
  for (std::size_t r = 0; r < 2; ++r) {
    CHECK(dx(r, 0) == 1 * 0.5 + -2 * -1.5);
    CHECK(dx(r, 1) == 0.5 * 0.5 + 3 * -1.5);
    CHECK(dx(r, 2) == -1.5 * 0.5 + 0.25 * -1.5);
  }
}

TEST_CASE("backward_from a hidden layer agrees with finite differences of the projected output") {
  // tanh 5 -> elu 4 -> linear 2 in double; s(x) = u · a_1(x), its derivative along input 1.
  Network<double> net(3, {5, 4, 2}, {{Activation::tanh, 0}, {Activation::elu, 1.0}, {Activation::linear, 0}});
  Rng rng(7, 3);
  for (double& p : net.params()) p = rng.normal(0.0, 0.6);
  const std::vector<double> u = {0.3, -0.5, 0.7, 0.2};
  const std::size_t rows = 4, axis = 1;
  std::vector<double> x(rows * 3);
  for (double& v : x) v = rng.normal();
  auto s = [&](const std::vector<double>& at, std::size_t r) {
    net.forward(matrix_view<const double>(at.data(), rows, 3));
    double out = 0;
    for (std::size_t j = 0; j < 4; ++j) out += u[j] * net.a(1)(r, j);
    return out;
  };
  net.forward(matrix_view<const double>(x.data(), rows, 3));
  std::vector<double> grad(rows * 4);
  for (std::size_t r = 0; r < rows; ++r) std::copy(u.begin(), u.end(), grad.begin() + static_cast<std::ptrdiff_t>(r * 4));
  net.backward_from(1, matrix_view<const double>(grad.data(), rows, 4));
  std::vector<double> analytic(rows);
  for (std::size_t r = 0; r < rows; ++r) analytic[r] = net.input_grad()(r, axis);
  const double h = 1e-5;
  for (std::size_t r = 0; r < rows; ++r) {
    std::vector<double> plus = x, minus = x;
    plus[r * 3 + axis] += h;
    minus[r * 3 + axis] -= h;
    const double fd = (s(plus, r) - s(minus, r)) / (2 * h);
    CHECK(analytic[r] == doctest::Approx(fd).epsilon(1e-7));
  }
}

TEST_CASE("the run's line gradients are the derivatives of the projected layer outputs") {
  // A smooth (tanh) run in float: its gradients at layer 1 against central differences of
  // s_1 computed in double from the run's weights, along the line's axis.
  auto run = make_run(deep(2, 8, "tanh"));
  GradientLineOptions options;
  options.points = 9;
  options.seed = 5;
  const GradientLine line = line_of(*run, options);
  REQUIRE(line.gradients.size() == 3);
  REQUIRE(line.positions.size() == 9);
  const Network<float>& fnet = run->network();
  Network<double> net(2, {8, 8, 1}, {{Activation::tanh, 0}, {Activation::tanh, 0}, {Activation::sigmoid, 0}});
  for (std::size_t i = 0; i < net.num_params(); ++i) net.params()[i] = fnet.params()[i];
  const std::vector<double> u = unit_projection(5, 1, 8);
  // The run's line is in float: its points rounded as it rounds them, then moved by ±h.
  auto s = [&](double t, double h) {
    std::vector<double> at = line.centre;
    at[line.axis] += t;
    for (double& v : at) v = static_cast<float>(v);
    at[line.axis] += h;
    net.forward(matrix_view<const double>(at.data(), 1, 2));
    double out = 0;
    for (std::size_t j = 0; j < 8; ++j) out += u[j] * net.a(1)(0, j);
    return out;
  };
  const double h = 1e-4;
  for (std::size_t i = 0; i < 9; ++i) {
    const double t = line.positions[i];
    const double fd = (s(t, h) - s(t, -h)) / (2 * h);
    CHECK(line.gradients[1][i] == doctest::Approx(fd).epsilon(1e-3));
  }
}

TEST_CASE("gradients shatter with depth: a little in plain relu, to noise with batchnorm, never in a linear network") {
  // Plain relu at He init: neighbouring gradients stay alike in the first layers and part
  // company by layer 24.
  auto relu = make_run(deep(24, 128, "relu"));
  const GradientLine plain = line_of(*relu);
  REQUIRE(plain.correlation.size() == 25);
  MESSAGE("relu 24 x 128: layer 1 " << plain.correlation[0] << ", layer 8 " << plain.correlation[7]
                                    << ", layer 16 " << plain.correlation[15] << ", layer 24 "
                                    << plain.correlation[23]);
  CHECK(plain.correlation[0] > 0.95);
  CHECK(plain.correlation[23] < plain.correlation[0] - 0.2);

  // relu then BatchNorm, 12 times: the line is the batch, and the gradients are white noise
  // by the last block.
  json config = deep(0, 128, "relu");
  json layers = json::array();
  for (int b = 0; b < 12; ++b) {
    layers.push_back({{"units", 128}, {"activation", "relu"}});
    layers.push_back({{"kind", "batchnorm"}});
  }
  layers.push_back(config["layers"].back());
  config["layers"] = layers;
  auto normalized = make_run(config);
  const GradientLine shattered = line_of(*normalized);
  REQUIRE(shattered.correlation.size() == 25);
  MESSAGE("relu + batchnorm x 12: block 1 " << shattered.correlation[1] << ", block 4 "
                                            << shattered.correlation[7] << ", block 8 "
                                            << shattered.correlation[15] << ", block 12 "
                                            << shattered.correlation[23]);
  CHECK(shattered.correlation[1] > 0.9);
  CHECK(std::fabs(shattered.correlation[23]) < 0.3);

  auto linear = make_run(deep(6, 32, "linear"));
  const GradientLine flat = line_of(*linear);
  for (std::size_t l = 0; l + 1 < flat.correlation.size(); ++l) CHECK(flat.correlation[l] == 1.0);
}

TEST_CASE("residual blocks keep neighbouring gradients alike where a plain batchnorm stack shatters them") {
  // relu 128, then 12 times either relu 128 + BatchNorm (plain) or a block x + W·relu(BN(x))
  // (branch 1, pre-norm): the same depth of normalized relu layers, with and without skips.
  auto twelve = [](bool residual) {
    json config = deep(1, 128, "relu");
    json layers = json::array({config["layers"][0]});
    for (int b = 0; b < 12; ++b) {
      if (residual) {
        layers.push_back({{"kind", "residual"}, {"activation", "relu"}, {"branch", 1},
                          {"norm", "batchnorm"}, {"normAt", "pre"}});
      } else {
        layers.push_back({{"units", 128}, {"activation", "relu"}});
        layers.push_back({{"kind", "batchnorm"}});
      }
    }
    layers.push_back(config["layers"].back());
    config["layers"] = layers;
    return config;
  };
  auto plain_run = make_run(twelve(false));
  auto residual_run = make_run(twelve(true));
  const GradientLine plain = line_of(*plain_run), residual = line_of(*residual_run);
  REQUIRE(plain.correlation.size() == 26);
  REQUIRE(residual.correlation.size() == 14);
  // The last four blocks: the plain stack's BatchNorm layers 18, 20, 22, 24, the blocks 9-12.
  double plain_mean = 0, residual_mean = 0;
  for (int b = 9; b <= 12; ++b) {
    plain_mean += plain.correlation[2 * b] / 4;
    residual_mean += residual.correlation[b] / 4;
  }
  MESSAGE("last four blocks' mean neighbour correlation: plain " << plain_mean << ", residual "
                                                                << residual_mean);
  // Seeds 1-5 measure |plain| 0.005-0.22 and residual 0.60-0.71.
  CHECK(std::fabs(plain_mean) < 0.3);
  CHECK(residual_mean > 0.5);
}

TEST_CASE("neighbour correlation: a constant sequence is 1, alternation -1, a ramp 1") {
  CHECK(neighbour_correlation({2, 2, 2, 2}) == 1.0);
  CHECK(neighbour_correlation({0, 0, 0}) == 1.0);
  CHECK(neighbour_correlation({1, -1, 1, -1, 1}) == doctest::Approx(-1.0));
  CHECK(neighbour_correlation({1, 2, 3, 4, 5}) == doctest::Approx(1.0));
  // Constant but for the last value: one side flat, the other not.
  CHECK(neighbour_correlation({1, 1, 1, 1, 5}) == 0.0);
}

TEST_CASE("gradient_line leaves the run as it was and gives the same bits twice") {
  json config = deep(3, 16, "relu");
  config["layers"].insert(config["layers"].begin() + 1, json{{"kind", "batchnorm"}});
  auto run = make_run(config);
  auto twin = make_run(config);
  run->step(5);
  twin->step(5);
  const json before = snapshot_to_json(run->snapshot());
  const json state = run->state();
  const GradientLine a = line_of(*run);
  const GradientLine b = line_of(*run);
  CHECK(a.correlation == b.correlation);
  CHECK(a.gradients == b.gradients);
  CHECK(snapshot_to_json(run->snapshot()) == before);
  CHECK(run->state() == state);
  CHECK(run->evaluate().train_loss == twin->evaluate().train_loss);
  run->step(7);
  twin->step(7);
  CHECK(run->state() == twin->state());
}

TEST_CASE("a snapshot's dw norm is the Frobenius norm of the layer's weight gradient") {
  auto run = make_run(deep(2, 8, "tanh"));
  run->step(3);
  const Snapshot s = run->snapshot();
  const Network<float>& net = run->network();
  for (std::size_t l = 0; l < net.num_layers(); ++l) {
    const auto g = net.tensor_grad(l, 0);
    double sum = 0;
    for (std::size_t i = 0; i < g.size(); ++i) sum += static_cast<double>(g.data()[i]) * g.data()[i];
    CHECK(s.layers[l].dw.norm == std::sqrt(sum));
    CHECK(s.layers[l].dw.norm == doctest::Approx(s.layers[l].dw.rms * std::sqrt(static_cast<double>(s.layers[l].dw.count))));
  }
}

TEST_CASE("gradient_line refuses options out of range and a column that does not vary") {
  auto run = make_run(deep(1, 4, "relu"));
  GradientLine line;
  GradientLineOptions options;
  options.points = 2;
  auto e = run->gradient_line(options, line);
  REQUIRE(e);
  CHECK(e->field == "points");
  options = {};
  options.axis = 2;
  e = run->gradient_line(options, line);
  REQUIRE(e);
  CHECK(e->field == "axis");
  CHECK(e->message.find("0 .. 1") != std::string::npos);
}
