#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "initscope/run.hpp"
#include "initscope/run_json.hpp"
#include "make_run.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

// Pure signal propagation: gaussian input through `depth` equal layers.
json deep(const std::string& activation, int depth, int width, const json& init) {
  json layers = json::array();
  for (int i = 0; i < depth; ++i) layers.push_back({{"units", width}, {"activation", activation}});
  return signal_config(layers, width, init);
}

}  // namespace

TEST_CASE("zeros init on circles never breaks symmetry") {
  auto run = make_run(circles({{"name", "zeros"}}));
  StepResult r = run->step(2000);
  CHECK_FALSE(r.diverged);
  CHECK(r.loss == doctest::Approx(0.693147).epsilon(1e-6));
  Evaluation e = run->evaluate();
  CHECK(e.train_accuracy == 0.5);
  CHECK(e.test_accuracy == 0.5);
  CHECK(e.train_loss == doctest::Approx(0.693147).epsilon(1e-6));
  Snapshot s = run->snapshot();
  CHECK(s.layers[0].distinct_units == 1);
  CHECK(s.layers[1].distinct_units == 1);
}

TEST_CASE("He init learns circles and ten times the random normal does worse") {
  auto he = make_run(circles({{"name", "he_normal"}}));
  he->step(15000);
  Evaluation e_he = he->evaluate();
  MESSAGE("he_normal after 15000 steps: train " << e_he.train_accuracy << " test "
                                                 << e_he.test_accuracy);
  CHECK(e_he.train_accuracy >= 0.97);
  CHECK(he->snapshot().layers[0].distinct_units == 10);

  auto big = make_run(circles({{"name", "random_normal"}, {"stddev", 10.0}}));
  StepResult first = big->step(1);
  CHECK(std::isfinite(first.loss));  // large logits give a large finite loss, never inf
  big->step(14999);
  Evaluation e_big = big->evaluate();
  MESSAGE("random_normal stddev 10 after 15000 steps: train " << e_big.train_accuracy
                                                             << " test " << e_big.test_accuracy);
  CHECK(e_big.train_accuracy < e_he.train_accuracy);
}

TEST_CASE("ten tanh layers: small init vanishes and large init saturates") {
  auto tiny = make_run(deep("tanh", 10, 256, {{"name", "random_normal"}, {"stddev", 0.01}}));
  Snapshot s = tiny->snapshot();
  MESSAGE("std 0.01: layer 10 activation std " << s.layers[9].a.std);
  CHECK(s.layers[9].a.std < 1e-6);

  auto large = make_run(deep("tanh", 10, 256, {{"name", "random_normal"}, {"stddev", 1.0}}));
  s = large->snapshot();
  for (int l = 0; l < 10; ++l) CHECK(s.layers[l].saturated > 0.8);

  auto glorot = make_run(deep("tanh", 10, 256, {{"name", "glorot_normal"}}));
  s = glorot->snapshot();
  const double first = s.layers[0].a.std;
  for (int l = 1; l < 10; ++l) {
    CHECK(s.layers[l].a.std > first / 4);
    CHECK(s.layers[l].a.std < first * 4);
  }
}

TEST_CASE("thirty relu layers: He keeps the scale and Glorot shrinks it") {
  auto he = make_run(deep("relu", 30, 64, {{"name", "he_normal"}}));
  Snapshot s = he->snapshot();
  const double first = s.layers[0].a.std;
  for (int l = 1; l < 30; ++l) {
    CHECK(s.layers[l].a.std > first / 4);
    CHECK(s.layers[l].a.std < first * 4);
  }
  auto glorot = make_run(deep("relu", 30, 64, {{"name", "glorot_normal"}}));
  s = glorot->snapshot();
  MESSAGE("glorot_normal: layer 30 / layer 1 activation std "
          << s.layers[29].a.std / s.layers[0].a.std);
  CHECK(s.layers[29].a.std < s.layers[0].a.std / 100);
}

TEST_CASE("XOR 2-2-1 success rate over 50 seeds") {
  int solved = 0;
  for (int seed = 0; seed < 50; ++seed) {
    auto run = make_run({{"seed", seed},
                         {"data", {{"name", "xor"}}},
                         {"layers", {{{"units", 2}, {"activation", "sigmoid"}},
                                     {{"units", 1}, {"activation", "sigmoid"}}}},
                         {"init", "glorot_uniform"},
                         {"loss", "mse"},
                         {"optimizer", {{"name", "sgd"}, {"lr", 1.0}, {"batch", 4}}}});
    run->step(5000);
    if (run->evaluate().train_accuracy == 1.0) ++solved;
  }
  MESSAGE("XOR solved by " << solved << " of 50 seeds (glorot_uniform, sgd lr 1, 5000 steps)");
  CHECK(solved > 0);
  CHECK(solved <= 50);
}

TEST_CASE("the same config gives a bit-identical snapshot") {
  json config = circles({{"name", "he_uniform"}});
  config["optimizer"] = {{"name", "adam"}, {"lr", 0.01}, {"batch", 32}};
  auto a = make_run(config);
  auto b = make_run(config);
  a->step(123);
  b->step(123);
  CHECK(snapshot_to_json(a->snapshot()).dump() == snapshot_to_json(b->snapshot()).dump());
}

TEST_CASE("reset returns to the same initial weights and reinitialize draws new ones") {
  auto run = make_run(circles({{"name", "he_normal"}}));
  auto initial = run->weights();
  run->step(50);
  CHECK(run->weights()[0].w != initial[0].w);
  run->reset();
  CHECK(run->step_count() == 0);
  CHECK(run->weights()[0].w == initial[0].w);
  run->reinitialize(4);
  CHECK(run->weights()[0].w != initial[0].w);
  run->reinitialize(3);
  CHECK(run->weights()[0].w == initial[0].w);
}

TEST_CASE("weights export and import round-trip bit for bit") {
  auto a = make_run(circles({{"name", "orthogonal"}}));
  a->step(10);
  auto w = a->weights();
  CHECK(w[0].fan_in == 2);
  CHECK(w[0].fan_out == 10);
  CHECK(w[0].w.size() == 20);
  auto b = make_run(circles({{"name", "zeros"}}));
  REQUIRE_FALSE(b->set_weights(w));
  CHECK(b->weights()[1].w == w[1].w);
  CHECK(b->weights()[2].b == w[2].b);
  w[1].b.pop_back();
  auto e = b->set_weights(w);
  REQUIRE(e);
  CHECK(e->field == "weights[1].b");
  w[1].b.push_back(NAN);
  e = b->set_weights(w);
  REQUIRE(e);
  CHECK(e->field == "weights[1]");
}

TEST_CASE("NaN detection names the first step and layer") {
  // Huge weights in the first two relu layers overflow layer 1's pre-activations.
  auto run = make_run(circles({{"name", "he_normal"}}));
  auto w = run->weights();
  for (float& v : w[0].w) v = 1e30f;
  for (float& v : w[1].w) v = 1e30f;
  REQUIRE_FALSE(run->set_weights(w));
  StepResult r = run->step(5);
  REQUIRE(r.diverged);
  CHECK(r.diverged->step == 0);
  CHECK(r.diverged->layer == 1);
  CHECK(r.diverged->quantity == "activation");
  CHECK(run->step(5).step == 0);  // a diverged run stays stopped
  run->reset();                    // back to the weights set above: diverges again
  CHECK(run->step(1).diverged);
  run->reinitialize(3);            // fresh He weights train normally
  CHECK_FALSE(run->step(1).diverged);
}

TEST_CASE("a huge learning rate diverges at a named later step") {
  json config = circles({{"name", "he_normal"}});
  config["layers"][0]["activation"] = "linear";
  config["layers"][1]["activation"] = "linear";
  config["layers"][2]["activation"] = "linear";
  config["loss"] = "mse";
  config["optimizer"] = {{"name", "sgd"}, {"lr", 100.0}, {"batch", 300}};
  auto run = make_run(config);
  StepResult r = run->step(1000);
  REQUIRE(r.diverged);
  const long at = r.diverged->step;
  MESSAGE("lr 100 diverged at step " << at << " in layer " << r.diverged->layer << " "
                                     << r.diverged->quantity);
  CHECK(at > 0);
  // Later calls take no step and report the same divergence and loss.
  StepResult again = run->step(10);
  CHECK(again.step == r.step);
  CHECK(again.diverged->step == at);
  CHECK((again.loss == r.loss || (std::isnan(again.loss) && std::isnan(r.loss))));
  // One step earlier everything was finite.
  run->reset();
  CHECK_FALSE(run->step(static_cast<int>(at)).diverged);
  CHECK(run->step(1).diverged);
}

namespace {

// A network of linear layers (the given widths, then one output unit) regressing circles'
// labels with mse: its forward pass, gradients and updates grow as powers of the weights.
json linear_mse(const std::vector<int>& hidden, const json& init, const json& optimizer) {
  json layers = json::array();
  for (int units : hidden) layers.push_back({{"units", units}, {"activation", "linear"}});
  layers.push_back({{"units", 1}, {"activation", "linear"}});
  return {{"seed", 3},
          {"data", {{"name", "circles"}, {"train", 300}, {"test", 100}, {"noise", 0.05}}},
          {"layers", layers},
          {"init", init},
          {"loss", "mse"},
          {"optimizer", optimizer}};
}

json relu_stack(int depth, const json& init, const json& optimizer) {
  json config = circles(init);
  json layers = json::array();
  for (int l = 0; l < depth; ++l) layers.push_back({{"units", 16}, {"activation", "relu"}});
  layers.push_back({{"units", 1}, {"activation", "sigmoid"}});
  config["layers"] = layers;
  config["optimizer"] = optimizer;
  return config;
}

json opt(const std::string& name, double lr, int batch) {
  return {{"name", name}, {"lr", lr}, {"batch", batch}};
}

// A run that diverges, and what it must report.
struct Diverging {
  std::string what;
  json config;
  std::string quantity;
  std::function<void(Run&)> prepare = nullptr;  // e.g. weights set after creation
};

std::vector<Diverging> diverging_runs() {
  const json constant_1e30 = {{"name", "constant"}, {"value", 1e30}};
  const json constant_1e10 = {{"name", "constant"}, {"value", 1e10}};
  const json normal_1e15 = {{"name", "random_normal"}, {"stddev", 1e15}};
  json clipped = opt("sgd", 1000, 32);
  clipped["clipValue"] = 1e36;
  clipped["weightDecay"] = 0.1;
  json tanh_net = circles({{"name", "glorot_uniform"}});
  tanh_net["layers"][0]["activation"] = "tanh";
  tanh_net["layers"][1]["activation"] = "tanh";
  // Weights of 3e38 in the first tanh layer: its pre-activations overflow to ±Inf, which
  // tanh turns into ±1, so that nothing after them is NaN or Inf.
  auto huge_first_layer = [](Run& run) {
    auto w = run.weights();
    for (float& v : w[0].w) v = 3e38f;
    REQUIRE_FALSE(run.set_weights(w));
  };
  return {
      {"constant 1e30, sgd: layer 1's activations at step 0", circles(constant_1e30), "activation"},
      {"constant 1e10 through four relu layers, momentum", relu_stack(4, constant_1e10, opt("momentum", 0.1, 32)), "activation"},
      {"normal with std 1e15, adam", relu_stack(3, normal_1e15, opt("adam", 0.01, 32)), "activation"},
      {"an Inf pre-activation hidden by tanh", tanh_net, "activation", huge_first_layer},
      {"constant 1e8 through linear layers: finite forward, gradients overflow", linear_mse({10, 10, 10}, {{"name", "constant"}, {"value", 1e8}}, opt("sgd", 0.01, 300)), "gradient"},
      {"adam at lr 1e5: gradients overflow after two steps", linear_mse({10, 10, 10}, {{"name", "he_normal"}}, opt("adam", 1e5, 32)), "gradient"},
      {"rmsprop at lr 1e6", linear_mse({10, 10, 10}, {{"name", "he_normal"}}, opt("rmsprop", 1e6, 32)), "gradient"},
      {"sgd at lr 10 on minibatches through tanh", [] {
         json c = linear_mse({4}, {{"name", "he_normal"}}, opt("sgd", 10, 32));
         c["layers"][0]["activation"] = "tanh";
         return c;
       }(), "gradient"},
      {"sgd at lr 1000: finite loss and gradients, the update overflows", linear_mse({1}, {{"name", "he_normal"}}, opt("sgd", 1000, 32)), "weight"},
      {"momentum at lr 1000: the update overflows", linear_mse({1}, {{"name", "he_normal"}}, opt("momentum", 1000, 32)), "weight"},
      {"sgd with weight decay and value clipping: the update overflows", linear_mse({1}, {{"name", "he_normal"}}, clipped), "weight"},
  };
}

// The first NaN or Inf a snapshot's own statistics show, in the order a step computes:
// activations from the input up, the probe loss, gradients from the output down.
std::optional<std::pair<int, std::string>> first_flagged(const Snapshot& s) {
  for (std::size_t l = 0; l < s.layers.size(); ++l)
    if (s.layers[l].z.nonfinite > 0 || s.layers[l].a.nonfinite > 0)
      return std::make_pair(static_cast<int>(l), std::string("activation"));
  if (!std::isfinite(s.loss)) return std::make_pair(-1, std::string("loss"));
  for (std::size_t l = s.layers.size(); l-- > 0;)
    if (s.layers[l].dz.nonfinite > 0 || s.layers[l].dw.nonfinite > 0)
      return std::make_pair(static_cast<int>(l), std::string("gradient"));
  return std::nullopt;
}

template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  // memcmp may not be given the null data() of an empty vector, even for 0 bytes.
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

bool same_weights(const std::vector<LayerWeights>& a, const std::vector<LayerWeights>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t l = 0; l < a.size(); ++l)
    if (!same_bits(a[l].w, b[l].w) || !same_bits(a[l].b, b[l].b) || !same_bits(a[l].running, b[l].running))
      return false;
  return true;
}

std::string snapshot_without_divergence(Run& run) {
  json s = snapshot_to_json(run.snapshot());
  s.erase("diverged");
  return s.dump();
}

}  // namespace

TEST_CASE("a diverging step leaves the run as it was before that step") {
  for (const Diverging& d : diverging_runs()) {
    CAPTURE(d.what);
    auto run = make_run(d.config);
    auto twin = make_run(d.config);  // stopped just before the diverging step
    if (d.prepare) {
      d.prepare(*run);
      d.prepare(*twin);
    }
    const StepResult r = run->step(5000);
    REQUIRE(r.diverged);
    const Divergence at = *r.diverged;
    MESSAGE(d.what << ": step " << at.step << ", layer " << at.layer << ", " << at.quantity);
    CHECK(at.quantity == d.quantity);
    CHECK(r.step == at.step);
    CHECK(run->step_count() == at.step);
    REQUIRE_FALSE(twin->step(static_cast<int>(at.step)).diverged);

    // Parameters, optimizer state and snapshot: those before the diverging step, bit for bit.
    CHECK(same_weights(run->weights(), twin->weights()));
    CHECK(run->optimizer().steps() == twin->optimizer().steps());
    CHECK(same_bits(run->optimizer().first_moment(), twin->optimizer().first_moment()));
    CHECK(same_bits(run->optimizer().second_moment(), twin->optimizer().second_moment()));
    CHECK(snapshot_without_divergence(*run) == snapshot_without_divergence(*twin));
    CHECK(run->snapshot().diverged->layer == at.layer);

    // The report names what the snapshot's own statistics show at those weights; when
    // they show nothing, the step overflowed in its update, or on minibatch rows the
    // probe batch does not hold.
    const auto flagged = first_flagged(run->snapshot());
    if (flagged) {
      CHECK(flagged->first == at.layer);
      CHECK(flagged->second == at.quantity);
    } else {
      CHECK((at.quantity == "weight" || d.config["optimizer"]["batch"] != 300));
    }

    // The twin's next step is the same divergence; later calls change nothing.
    const StepResult again = twin->step(1);
    REQUIRE(again.diverged);
    CHECK(again.diverged->step == at.step);
    CHECK(again.diverged->layer == at.layer);
    CHECK(again.diverged->quantity == at.quantity);
    CHECK(run->step(10).step == at.step);
    CHECK(same_weights(run->weights(), twin->weights()));
  }
}

TEST_CASE("statistics match a direct computation on the probe batch") {
  auto run = make_run(circles({{"name", "glorot_uniform"}}));
  Snapshot s = run->snapshot();
  const auto& x = run->data().x_train;
  auto w = run->weights();
  const std::size_t probe = static_cast<std::size_t>(s.probe);
  CHECK(probe == 256);
  double sum = 0, sq = 0;
  for (std::size_t i = 0; i < probe; ++i) {
    for (std::size_t j = 0; j < 10; ++j) {
      double z = w[0].b[j];
      for (std::size_t k = 0; k < 2; ++k) z += static_cast<double>(x(i, k)) * w[0].w[k * 10 + j];
      sum += z;
      sq += z * z;
    }
  }
  const double n = probe * 10.0, mean = sum / n;
  CHECK(s.layers[0].z.mean == doctest::Approx(mean).epsilon(1e-5));
  CHECK(s.layers[0].z.std == doctest::Approx(std::sqrt(sq / n - mean * mean)).epsilon(1e-5));
  double hist_total = 0;
  for (double c : s.layers[0].z.histogram.counts) hist_total += c;
  CHECK(hist_total + s.layers[0].z.histogram.underflow + s.layers[0].z.histogram.overflow == n);
}

TEST_CASE("LSUV brings every layer's pre-activation variance to one") {
  auto run = make_run(deep("tanh", 6, 64, {{"name", "lsuv"}}));
  Snapshot s = run->snapshot();
  auto plain = make_run(deep("tanh", 6, 64, {{"name", "orthogonal"}}));
  Snapshot p = plain->snapshot();
  for (int l = 0; l < 6; ++l) {
    CHECK(s.layers[l].z.std * s.layers[l].z.std == doctest::Approx(1.0).epsilon(0.021));
  }
  // Orthogonal alone already gives the whitened input variance 1 in layer 1; tanh then
  // shrinks it layer by layer, which LSUV's rescaling undoes.
  CHECK(s.layers[0].lsuv_iterations == 0);
  for (int l = 1; l < 6; ++l) {
    CHECK(s.layers[l].lsuv_iterations >= 1);
    CHECK(p.layers[l].z.std * p.layers[l].z.std < 0.9);
  }
}

TEST_CASE("the theory matches the measurement for a deep He relu network") {
  auto run = make_run(deep("relu", 8, 512, {{"name", "he_normal"}}));
  Snapshot s = run->snapshot();
  for (int l = 0; l < 8; ++l) {
    const double predicted = std::sqrt(s.theory.layers[l].q);
    CHECK(s.layers[l].z.rms == doctest::Approx(predicted).epsilon(0.15));
  }
}

TEST_CASE("the loss history stays bounded over long runs") {
  auto run = make_run(circles({{"name", "he_normal"}}));
  run->step(20000);
  Snapshot s = run->snapshot();
  CHECK(s.history_steps.size() < 2048);
  CHECK(s.history_steps.size() > 1000);
  CHECK(s.history_steps.front() == 0);
  CHECK(s.history_loss.size() == s.history_steps.size());
}

TEST_CASE("the decision grid covers the plane for 2-D data sets only") {
  auto run = make_run(circles({{"name", "he_normal"}}));
  std::vector<float> grid;
  REQUIRE_FALSE(run->decision_grid(50, 1.5, grid));
  CHECK(grid.size() == 2500);
  for (float p : grid) {
    CHECK(p >= 0.0f);
    CHECK(p <= 1.0f);
  }
  CHECK(run->decision_grid(1, 1.5, grid)->field == "resolution");
  auto digits = make_run({{"data", {{"name", "digits"}, {"train", 1000}, {"test", 200}}},
                          {"layers", {{{"units", 16}, {"activation", "relu"}},
                                      {{"units", 10}, {"activation", "softmax"}}}},
                          {"loss", "cross_entropy"}});
  CHECK(digits->decision_grid(50, 1.5, grid)->field == "data.name");
}

TEST_CASE("softmax on digits trains") {
  auto run = make_run({{"data", {{"name", "digits"}, {"train", 1200}, {"test", 500}, {"normalize", "minmax"}}},
                       {"layers", {{{"units", 32}, {"activation", "relu"}},
                                   {{"units", 10}, {"activation", "softmax"}}}},
                       {"init", "he_uniform"},
                       {"loss", "cross_entropy"},
                       {"optimizer", {{"name", "adam"}, {"lr", 0.01}, {"batch", 64}}}});
  run->step(600);
  Evaluation e = run->evaluate();
  MESSAGE("digits 64-32-10 adam after 600 steps: test accuracy " << e.test_accuracy);
  CHECK(e.test_accuracy > 0.9);
}

TEST_CASE("gaussian noise with ten classes feeds a softmax output") {
  // Random data of MNIST's shape (the benchmark's C4): 784 inputs, 10 classes.
  json config = {{"data", {{"name", "gaussian"}, {"dim", 784}, {"classes", 10}, {"train", 256}, {"test", 0}}},
                 {"layers", {{{"units", 32}, {"activation", "relu"}},
                             {{"units", 10}, {"activation", "softmax"}}}},
                 {"loss", "cross_entropy"},
                 {"optimizer", {{"name", "sgd"}, {"lr", 0.01}, {"batch", 64}}}};
  auto run = make_run(config);
  CHECK(run->data().num_classes == 10);
  StepResult r = run->step(5);
  CHECK(std::isfinite(r.loss));
  // The 2-class default needs 2 softmax units (or one sigmoid unit), not 10.
  config["data"].erase("classes");
  std::unique_ptr<Run> bad;
  auto e = Run::create(config.dump(), bad);
  REQUIRE(e);
  CHECK(e->field == "layers[1].units");
}

TEST_CASE("run creation errors name the field") {
  std::unique_ptr<Run> run;
  auto e = Run::create(std::string(R"({"data": {"name": "circles", "train": 0}})"), run);
  REQUIRE(e);
  CHECK(e->field == "data.train");
  e = Run::create(std::string(R"({"layers": [{"units": 4, "activation": "relu"}, {"units": 3, "activation": "softmax"}], "loss": "cross_entropy"})"), run);
  REQUIRE(e);
  CHECK(e->field == "layers[1].units");
  CHECK(run == nullptr);
}

namespace {

json with_layer_norm(const json& norm) { return circles_with_norm(norm); }

}  // namespace

TEST_CASE("a network with a LayerNorm layer trains and shows it like every layer") {
  auto run = make_run(with_layer_norm({{"kind", "layernorm"}}));
  const Network<float>& net = run->network();
  REQUIRE(net.num_layers() == 4);
  CHECK(net.layer(1).fan_in == 16);
  CHECK(net.layer(1).fan_out == 16);
  CHECK(net.num_params() == (2 * 16 + 16) + 2 * 16 + (16 * 8 + 8) + (8 + 1));
  // Gain 1, shift 0; no weight decay on either.
  const auto initial = run->weights();
  CHECK(initial[1].w == std::vector<float>(16, 1.0f));
  CHECK(initial[1].b == std::vector<float>(16, 0.0f));
  Snapshot s0 = run->snapshot();
  CHECK(s0.layers[1].kind == "layernorm");
  CHECK(s0.layers[1].init == "ones");
  CHECK(s0.layers[1].bias_init == "zeros");
  CHECK(s0.layers[1].init_mean == 1.0);
  CHECK(s0.layers[1].w.mean == 1.0);
  CHECK(s0.layers[1].distinct_units == 16);
  // z is normalized per row: mean 0 and E[z²] = v/(v + ε) < 1 over the probe batch.
  CHECK(std::fabs(s0.layers[1].z.mean) < 1e-6);
  CHECK(s0.layers[1].z.rms < 1.0);
  CHECK(s0.layers[1].z.rms > 0.99);
  // The theory's prediction through it against the measurement.
  CHECK(s0.layers[1].z.rms == doctest::Approx(std::sqrt(s0.theory.layers[1].q)).epsilon(0.01));
  CHECK(s0.layers[2].z.rms == doctest::Approx(std::sqrt(s0.theory.layers[2].q)).epsilon(0.3));
  CHECK_FALSE(s0.theory.layers[1].exact);
  const double before = run->evaluate().train_loss;
  run->step(300);
  const double after = run->evaluate().train_loss;
  CHECK(after < 0.5 * before);
  CHECK(run->evaluate().train_accuracy > 0.9);
  Snapshot s = run->snapshot();
  CHECK(s.layers[1].w.std > 0);     // the gain trained
  CHECK(s.layers[1].update_ratio > 0);
  const json j = snapshot_to_json(s);
  CHECK(j["layers"][1]["kind"] == "layernorm");
  CHECK_FALSE(j["layers"][0].contains("kind"));
  const json layout = weight_layout_to_json(*run);
  CHECK(layout[1]["kind"] == "layernorm");
  CHECK(layout[1]["wShape"] == json::array({16}));
  CHECK(layout[1]["tensors"][1]["name"] == "shift");
  CHECK(layout[1]["wOffset"] == 48);
  CHECK(layout[1]["bOffset"] == 64);
  CHECK_FALSE(layout[0].contains("kind"));
  // Its gain and shift round-trip through weights() and set_weights().
  auto w = run->weights();
  CHECK(w[1].w.size() == 16);
  auto twin = make_run(with_layer_norm({{"kind", "layernorm"}}));
  REQUIRE_FALSE(twin->set_weights(w));
  CHECK(twin->weights()[1].w == w[1].w);
  w[1].w.push_back(1.0f);
  auto e = twin->set_weights(w);
  REQUIRE(e);
  CHECK(e->message == "weights[1].W: 17 values given; expected 16");
}

TEST_CASE("a LayerNorm layer's init keys set its gain and shift and its epsilon is used") {
  auto run = make_run(with_layer_norm({{"kind", "layernorm"}, {"epsilon", 1.0},
                                       {"init", {{"name", "constant"}, {"value", 2}}},
                                       {"biasInit", {{"name", "constant"}, {"value", 0.5}}}}));
  const auto initial = run->weights();
  CHECK(initial[1].w == std::vector<float>(16, 2.0f));
  CHECK(initial[1].b == std::vector<float>(16, 0.5f));
  Snapshot s = run->snapshot();
  // a = 2·z + 0.5, z with E[z²] = v/(v + 1) well below 1.
  CHECK(s.layers[1].a.mean == doctest::Approx(0.5).epsilon(1e-5));
  CHECK(s.layers[1].z.rms < 0.95);
  CHECK(s.layers[1].z.rms == doctest::Approx(std::sqrt(s.theory.layers[1].q)).epsilon(0.05));
  // Weight decay leaves gain and shift alone: one step from the same start with and without
  // it moves the dense weights differently and the gain and shift the same.
  json config = with_layer_norm({{"kind", "layernorm"}});
  config["optimizer"] = {{"name", "sgd"}, {"lr", 0.1}, {"weightDecay", 0.0}, {"batch", 64}};
  auto plain = make_run(config);
  config["optimizer"]["weightDecay"] = 0.5;
  auto decayed = make_run(config);
  plain->step(1);
  decayed->step(1);
  CHECK(plain->weights()[0].w != decayed->weights()[0].w);
  CHECK(plain->weights()[0].b == decayed->weights()[0].b);
  CHECK(plain->weights()[1].w == decayed->weights()[1].w);
  CHECK(plain->weights()[1].b == decayed->weights()[1].b);
  CHECK(plain->weights()[1].w != std::vector<float>(16, 1.0f));  // the gain did move
}
