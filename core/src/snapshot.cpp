#include "initscope/snapshot.hpp"

#include <algorithm>
#include <cmath>

namespace initscope {

using nlohmann::json;

json divergence_to_json(const std::optional<Divergence>& d) {
  if (!d) return nullptr;
  return {{"step", d->step}, {"layer", d->layer}, {"quantity", d->quantity}};
}

// aRms, aStd and gradRms are the predictions in the units the page plots beside the
// measured rms and std: gradRms anchors the relative backward pass on the output layer's
// measured E[(dL/dz)²] at initialization.
static json theory_to_json(const TheoryResult& t, double output_grad2) {
  json layers = json::array();
  for (const auto& l : t.layers) {
    layers.push_back({{"q", l.q}, {"zStd", std::sqrt(l.q)}, {"a2", l.a2}, {"aMean", l.a_mean},
                      {"aRms", std::sqrt(l.a2)},
                      {"aStd", std::sqrt(std::max(0.0, l.a2 - l.a_mean * l.a_mean))},
                      {"grad2", l.grad2}, {"gradRms", std::sqrt(l.grad2 * output_grad2)},
                      {"bandLo", l.band_lo}, {"bandHi", l.band_hi}, {"exact", l.exact}});
  }
  return {{"layers", layers}, {"chi1", t.chi1_last}};
}

static const char* law_kind_name(ElementLaw::Kind kind) {
  switch (kind) {
    case ElementLaw::Kind::constant: return "constant";
    case ElementLaw::Kind::uniform: return "uniform";
    case ElementLaw::Kind::normal: return "normal";
    case ElementLaw::Kind::truncated_normal: return "truncated_normal";
    case ElementLaw::Kind::keras_truncated_normal: return "keras_truncated_normal";
  }
  return "constant";
}

static json law_to_json(const std::optional<ElementLaw>& law) {
  if (!law) return nullptr;
  return {{"kind", law_kind_name(law->kind)}, {"mean", law->mean}, {"stddev", law->stddev},
          {"lo", law->lo}, {"hi", law->hi}};
}

json snapshot_to_json(const Snapshot& s) {
  json layers = json::array();
  for (const auto& l : s.layers) {
    layers.push_back({{"fanIn", l.fan_in},
                      {"fanOut", l.fan_out},
                      {"activation", l.activation},
                      {"init", l.init},
                      {"biasInit", l.bias_init},
                      {"initMean", l.init_mean},
                      {"initStd", l.init_std},
                      {"initLaw", law_to_json(l.init_law)},
                      {"z", summary_to_json(l.z)},
                      {"a", summary_to_json(l.a)},
                      {"dz", summary_to_json(l.dz)},
                      {"w", summary_to_json(l.w)},
                      {"dw", summary_to_json(l.dw)},
                      {"saturated", l.saturated},
                      {"dead", l.dead},
                      {"updateRatio", l.update_ratio},
                      {"distinctUnits", l.distinct_units},
                      {"lsuvIterations", l.lsuv_iterations}});
  }
  // RMS of dL/dz at the first layer over the last: < 1 vanishing, > 1 exploding backward.
  double ratio = 0;
  if (!s.layers.empty()) {
    const double last = s.layers.back().dz.rms, first = s.layers.front().dz.rms;
    ratio = last > 0 ? first / last : (first > 0 ? INFINITY : 0.0);
  }
  return {{"step", s.step},
          {"probe", s.probe},
          {"inputSecondMoment", s.input_second_moment},
          {"loss", s.loss},
          {"gradNorm", s.grad_norm},
          {"layers", layers},
          {"theory", theory_to_json(s.theory, s.theory_output_grad2)},
          {"gradientRatio", ratio},
          {"history", {{"step", s.history_steps}, {"loss", s.history_loss}}},
          {"diverged", divergence_to_json(s.diverged)}};
}

}  // namespace initscope
