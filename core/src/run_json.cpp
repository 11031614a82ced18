#include "initscope/run_json.hpp"

#include <algorithm>
#include <cmath>

namespace initscope {

using nlohmann::json;

json divergence_to_json(const std::optional<Divergence>& d) {
  if (!d) return nullptr;
  return {{"step", d->step}, {"layer", d->layer}, {"quantity", d->quantity}};
}

json step_result_to_json(const StepResult& r) {
  return {{"step", r.step}, {"loss", r.loss}, {"diverged", divergence_to_json(r.diverged)}};
}

json evaluation_to_json(const Evaluation& e) {
  return {{"trainLoss", e.train_loss}, {"trainAccuracy", e.train_accuracy},
          {"testLoss", e.test_loss}, {"testAccuracy", e.test_accuracy}};
}

json coordinates_to_json(const std::vector<LayerCoordinates>& layers) {
  json out = json::array();
  for (const LayerCoordinates& c : layers)
    out.push_back({{"z", c.z}, {"a", c.a}, {"zChange", c.z_change}, {"aChange", c.a_change}});
  return out;
}

json predictions_to_json(const Predictions& p) { return {{"confusion", p.confusion}}; }

json weight_layout_to_json(const Run& run) {
  json layers = json::array();
  const auto& net = run.network();
  std::size_t running_at = 0;  // where the layer's running averages start in the network's state
  for (std::size_t l = 0; l < net.num_layers(); ++l) {
    const auto& layer = net.layer(l);
    // W and b: the layer's first two tensors (LayerNorm: gain and shift).
    json entry{{"fanIn", layer.fan_in}, {"fanOut", layer.fan_out},
               {"wOffset", layer.tensors[0].offset}, {"bOffset", layer.tensors[1].offset}};
    // A dense layer's entry stays as it was; other kinds add their kind, W's shape and
    // every tensor.
    const std::string& kind = run.config().layers[l].kind;
    if (kind != "dense") {
      json tensors = json::array();
      for (const ParamTensor& t : layer.tensors)
        tensors.push_back({{"name", t.name}, {"role", param_role_name(t.role)},
                           {"shape", t.shape}, {"offset", t.offset}});
      entry["kind"] = kind;
      entry["wShape"] = layer.tensors[0].shape;
      entry["bShape"] = layer.tensors[1].shape;  // a block's b1 has its hidden width
      entry["tensors"] = tensors;
    }
    // BatchNorm: its running mean then running variance in the network's state.
    if (layer.state_size() > 0) {
      entry["runningOffset"] = running_at;
      entry["runningSize"] = layer.state_size();
      running_at += layer.state_size();
    }
    layers.push_back(entry);
  }
  return layers;
}

json minibatch_rows_to_json(std::size_t batch_rows, double steps) {
  return {{"batch", batch_rows}, {"steps", steps}};
}

json dataset_info_to_json(const Dataset& d) {
  return {{"name", d.name},          {"inputDim", d.input_dim}, {"numClasses", d.num_classes},
          {"is2d", d.is_2d},         {"extent", d.extent},      {"normalize", d.normalize},
          {"offset", d.offset},      {"scale", d.scale},
          {"train", d.y_train.size()}, {"test", d.y_test.size()}};
}

json summary_to_json(const Summary& s) {
  return {{"mean", s.mean}, {"std", s.std},   {"min", s.min},
          {"max", s.max},   {"rms", s.rms},   {"norm", s.norm},
          {"count", s.count},
          {"nonfinite", s.nonfinite},
          {"histogram",
           {{"lo", s.histogram.lo}, {"hi", s.histogram.hi}, {"counts", s.histogram.counts},
            {"underflow", s.histogram.underflow}, {"overflow", s.histogram.overflow}}}};
}

namespace {

// aRms, aStd and gradRms are the predictions in the units the page plots beside the
// measured rms and std: gradRms anchors the relative backward pass on the output layer's
// measured E[(dL/dz)²] at initialization.
json theory_to_json(const TheoryResult& t, double output_grad2) {
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

const char* law_kind_name(ElementLaw::Kind kind) {
  switch (kind) {
    case ElementLaw::Kind::constant: return "constant";
    case ElementLaw::Kind::uniform: return "uniform";
    case ElementLaw::Kind::normal: return "normal";
    case ElementLaw::Kind::truncated_normal: return "truncated_normal";
    case ElementLaw::Kind::keras_truncated_normal: return "keras_truncated_normal";
  }
  return "constant";
}

json optional_number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json law_to_json(const std::optional<ElementLaw>& law) {
  if (!law) return nullptr;
  return {{"kind", law_kind_name(law->kind)}, {"mean", law->mean}, {"stddev", law->stddev},
          {"lo", law->lo}, {"hi", law->hi}};
}

// NaN is no JSON number: a row without a factor writes null.
json residual_init_numbers_to_json(const ResidualInitNumbers& r) {
  return {{"name", r.name},
          {"blocks", r.blocks},
          {"m", r.m},
          {"factor", std::isnan(r.factor) ? json(nullptr) : json(r.factor)}};
}

}  // namespace

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
                      {"weightChange", optional_number(l.weight_change)},
                      {"distinctUnits", l.distinct_units},
                      {"lsuvIterations", l.lsuv_iterations}});
    if (l.kind != "dense") {  // dense layers' JSON unchanged
      layers.back()["kind"] = l.kind;
      layers.back()["params"] = l.params;
      layers.back()["running"] = l.running;
    }
  }
  // RMS of dL/dz at the first layer over the last: < 1 vanishing, > 1 exploding backward.
  double ratio = 0;
  if (!s.layers.empty()) {
    const double last = s.layers.back().dz.rms, first = s.layers.front().dz.rms;
    ratio = last > 0 ? first / last : (first > 0 ? INFINITY : 0.0);
  }
  json j = {{"step", s.step},
            {"probe", s.probe},
            {"inputSecondMoment", s.input_second_moment},
            {"loss", s.loss},
            {"gradNorm", s.grad_norm},
            {"layers", layers},
            {"theory", theory_to_json(s.theory, s.theory_output_grad2)},
            {"gradientRatio", ratio},
            {"weightChange", optional_number(s.weight_change)},
            {"history", {{"step", s.history_steps}, {"loss", s.history_loss}}},
            {"diverged", divergence_to_json(s.diverged)}};
  // Only in a network with blocks: other runs' snapshots keep their keys.
  if (s.residual_init) j["residualInit"] = residual_init_numbers_to_json(*s.residual_init);
  return j;
}

json snapshot_to_json(Snapshot s, int bins, SnapshotArrays& arrays) {
  arrays.history_step.assign(s.history_steps.begin(), s.history_steps.end());
  arrays.history_loss.assign(s.history_loss.begin(), s.history_loss.end());
  s.history_steps.clear();
  s.history_loss.clear();
  arrays.histograms.clear();
  for (auto& layer : s.layers) {
    for (Summary* q : {&layer.z, &layer.a, &layer.dz, &layer.w, &layer.dw}) {
      arrays.histograms.insert(arrays.histograms.end(), q->histogram.counts.begin(),
                               q->histogram.counts.end());
      q->histogram.counts.clear();
    }
  }
  json j = snapshot_to_json(s);
  j["bins"] = bins;
  return j;
}

}  // namespace initscope
