#include "initscope/snapshot.hpp"

namespace initscope {

using nlohmann::json;

json divergence_to_json(const std::optional<Divergence>& d) {
  if (!d) return nullptr;
  return {{"step", d->step}, {"layer", d->layer}, {"quantity", d->quantity}};
}

static json theory_to_json(const TheoryResult& t) {
  json layers = json::array();
  for (const auto& l : t.layers) {
    layers.push_back({{"q", l.q}, {"zStd", std::sqrt(l.q)}, {"a2", l.a2}, {"aMean", l.a_mean},
                      {"grad2", l.grad2}, {"bandLo", l.band_lo}, {"bandHi", l.band_hi},
                      {"exact", l.exact}});
  }
  return {{"layers", layers}, {"chi1", t.chi1_last}};
}

json snapshot_to_json(const Snapshot& s) {
  json layers = json::array();
  for (const auto& l : s.layers) {
    layers.push_back({{"fanIn", l.fan_in},
                      {"fanOut", l.fan_out},
                      {"activation", l.activation},
                      {"init", l.init},
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
  return {{"step", s.step},
          {"probe", s.probe},
          {"inputSecondMoment", s.input_second_moment},
          {"loss", s.loss},
          {"gradNorm", s.grad_norm},
          {"layers", layers},
          {"theory", theory_to_json(s.theory)},
          {"history", {{"step", s.history_steps}, {"loss", s.history_loss}}},
          {"diverged", divergence_to_json(s.diverged)}};
}

}  // namespace initscope
