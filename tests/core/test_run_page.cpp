// What the lab page reads beyond the statistics: predictions with a confusion matrix, the
// initial weights' exact law per layer, and the theory in the units the page plots.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <numeric>
#include <string>

#include "initscope/run.hpp"
#include "initscope/run_json.hpp"
#include "make_run.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

json digits() {
  return {{"seed", 2},
          {"data", {{"name", "digits"}, {"train", 600}, {"test", 200}, {"normalize", "standardize"}}},
          {"layers", {{{"units", 32}, {"activation", "relu"}}, {{"units", 10}, {"activation", "softmax"}}}},
          {"loss", "cross_entropy"},
          {"optimizer", {{"name", "adam"}, {"lr", 0.01}, {"batch", 64}}}};
}

}  // namespace

TEST_CASE("predict agrees with evaluate's accuracy and fills the confusion matrix") {
  auto run = make_run(digits());
  run->step(150);
  const Evaluation e = run->evaluate();
  for (bool test : {true, false}) {
    CAPTURE(test);
    const Predictions p = run->predict(test);
    const std::vector<int>& labels = test ? run->data().y_test : run->data().y_train;
    REQUIRE(p.predicted.size() == labels.size());
    REQUIRE(p.confusion.size() == 10);
    long total = 0, diagonal = 0;
    for (std::size_t i = 0; i < 10; ++i) {
      REQUIRE(p.confusion[i].size() == 10);
      total += std::accumulate(p.confusion[i].begin(), p.confusion[i].end(), 0L);
      diagonal += p.confusion[i][i];
    }
    CHECK(total == static_cast<long>(labels.size()));
    long correct = 0;
    for (std::size_t r = 0; r < labels.size(); ++r) correct += p.predicted[r] == labels[r];
    CHECK(correct == diagonal);
    const double accuracy = test ? e.test_accuracy : e.train_accuracy;
    CHECK(static_cast<double>(correct) / labels.size() == doctest::Approx(accuracy).epsilon(1e-12));
    CHECK(accuracy > 0.8);
  }
}

TEST_CASE("predict on one sigmoid output thresholds at one half") {
  auto run = make_run({{"data", {{"name", "circles"}}},
                       {"init", "zeros"}});  // every output is exactly 0.5: class 0
  const Predictions p = run->predict(true);
  REQUIRE(p.confusion.size() == 2);
  for (int k : p.predicted) CHECK(k == 0);
  CHECK(p.confusion[0][1] == 0);
  CHECK(p.confusion[1][1] == 0);
  CHECK(p.confusion[0][0] + p.confusion[1][0] == static_cast<long>(run->data().y_test.size()));
}

TEST_CASE("the snapshot carries each layer's initial law, exactly") {
  // He normal on fan_in 2 and 10: std √(2/fan_in) (0.4472 for 10, reference sheet §3);
  // the Keras truncated normal's parent s = std/0.8796, cut at ±2s.
  auto run = make_run({{"data", {{"name", "circles"}}}, {"init", "he_normal"}, {"biasInit", "zeros"}});
  const Snapshot s = run->snapshot();
  REQUIRE(s.layers.size() == 3);
  CHECK(s.layers[1].init_std == doctest::Approx(std::sqrt(2.0 / 10.0)).epsilon(1e-12));
  CHECK(s.layers[1].init_std == doctest::Approx(0.447214).epsilon(1e-5));
  CHECK(s.layers[0].init_std == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(s.layers[1].init_mean == 0.0);
  REQUIRE(s.layers[1].init_law.has_value());
  CHECK(s.layers[1].init_law->kind == ElementLaw::Kind::keras_truncated_normal);
  CHECK(s.layers[1].init_law->stddev == doctest::Approx(0.447214 / 0.8796256610342398).epsilon(1e-6));
  CHECK(s.layers[1].init_law->hi == doctest::Approx(2 * 0.447214 / 0.8796256610342398).epsilon(1e-6));
  CHECK(s.layers[1].bias_init == "zeros");

  const json j = snapshot_to_json(s);
  CHECK(j["layers"][1]["initLaw"]["kind"] == "keras_truncated_normal");
  CHECK(j["layers"][1]["biasInit"] == "zeros");
  CHECK(j["layers"][1]["initStd"].get<double>() == doctest::Approx(0.447214).epsilon(1e-5));

  // Uniform bound L = √(6/fan_in) for he_uniform; structured initializers have no law.
  auto uniform = make_run({{"data", {{"name", "circles"}}}, {"init", "he_uniform"}});
  const Snapshot u = uniform->snapshot();
  REQUIRE(u.layers[1].init_law.has_value());
  CHECK(u.layers[1].init_law->kind == ElementLaw::Kind::uniform);
  CHECK(u.layers[1].init_law->hi == doctest::Approx(std::sqrt(6.0 / 10.0)).epsilon(1e-12));
  auto ortho = make_run({{"data", {{"name", "circles"}}}, {"init", "orthogonal"}});
  CHECK_FALSE(ortho->snapshot().layers[1].init_law.has_value());
  CHECK(snapshot_to_json(ortho->snapshot())["layers"][1]["initLaw"].is_null());
}

TEST_CASE("theory in plotted units: gradRms is anchored on the output layer at init") {
  json layers = json::array();
  for (int i = 0; i < 6; ++i) layers.push_back({{"units", 64}, {"activation", "relu"}});
  layers.push_back({{"units", 1}, {"activation", "sigmoid"}});
  auto run = make_run({{"seed", 1},
                       {"data", {{"name", "gaussian"}, {"dim", 64}, {"train", 256}, {"test", 0}}},
                       {"layers", layers},
                       {"init", "he_normal"}});
  const Snapshot s = run->snapshot();  // at step 0: the measurement the anchor came from
  const json j = snapshot_to_json(s);
  const json& theory = j["theory"]["layers"];
  const std::size_t last = s.layers.size() - 1;
  CHECK(theory[last]["gradRms"].get<double>() == doctest::Approx(s.layers[last].dz.rms).epsilon(1e-9));
  for (std::size_t l = 0; l < s.layers.size(); ++l) {
    CAPTURE(l);
    const json& t = theory[l];
    CHECK(t["aRms"].get<double>() == doctest::Approx(std::sqrt(t["a2"].get<double>())));
    const double a_mean = t["aMean"].get<double>();
    CHECK(t["aStd"].get<double>() ==
          doctest::Approx(std::sqrt(t["a2"].get<double>() - a_mean * a_mean)));
  }
  // He relu keeps the forward scale: measured z rms within the theory's band at each layer.
  for (std::size_t l = 0; l < last; ++l) {
    CAPTURE(l);
    CHECK(s.layers[l].z.rms > 0.5 * theory[l]["bandLo"].get<double>());
    CHECK(s.layers[l].z.rms < 2.0 * theory[l]["bandHi"].get<double>());
  }
  const double ratio = j["gradientRatio"].get<double>();
  CHECK(ratio == doctest::Approx(s.layers[0].dz.rms / s.layers[last].dz.rms));
}
