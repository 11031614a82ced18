// Embind registrations only. Everything crosses as JSON strings or typed-memory views
// over buffers the run owns; errors come back as values (JSON with "field" and
// "message"), never as an abort, so the module stays usable after any bad input.
// Raw names start with `_`; wasm/initscope.mjs wraps them into the public JS API.
#include <emscripten/bind.h>
#include <emscripten/heap.h>
#include <emscripten/val.h>
#include <malloc.h>

#include <memory>
#include <string>
#include <vector>

#include "initscope/data_csv.hpp"
#include "initscope/init.hpp"
#include "initscope/mean_field.hpp"
#include "initscope/run.hpp"
#include "initscope/schema.hpp"
#include "initscope/text.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

// What the module's memory can still give a new run: its maximum (2 GiB) less what malloc
// holds, less room for the data, JSON and copies that come with any run.
double free_bytes() {
  constexpr double kHeadroom = 64.0 * 1048576;
  return static_cast<double>(emscripten_get_heap_max()) - mallinfo().uordblks - kHeadroom;
}

// Every answer is written by json_text, which never throws (a message can hold what the
// user typed).
std::string error_json(const Error& e) {
  return json_text({{"error", {{"field", e.field}, {"message", e.message}}}});
}

std::string mib(double bytes) { return std::to_string(static_cast<long long>(bytes / 1048576)); }

// A run as JS holds it: the Run itself, or the error that stopped its creation, plus
// the buffers behind the typed views handed out.
class RunHandle {
 public:
  explicit RunHandle(const std::string& config_json) {
    if (auto e = Run::create(config_json, run_, free_bytes())) {
      error_ = error_json(*e);
      return;
    }
    // At their largest from the start, so that snapshots never grow the heap.
    history_step_.reserve(Run::kHistoryCapacity);
    history_loss_.reserve(Run::kHistoryCapacity);
  }
  std::string error() const { return error_; }
  std::string config() const { return json_text(config_to_json(run_->config())); }

  std::string step(int n) {
    if (n < 0 || n > 1000000)
      return error_json(make_error("n", std::to_string(n) +
                                            " is not allowed; expected an integer from 0 to 1000000"));
    StepResult r = run_->step(n);
    return json_text({{"step", r.step}, {"loss", r.loss}, {"diverged", divergence_to_json(r.diverged)}});
  }

  std::string evaluate() {
    Evaluation e = run_->evaluate();
    return json_text({{"trainLoss", e.train_loss}, {"trainAccuracy", e.train_accuracy},
                      {"testLoss", e.test_loss}, {"testAccuracy", e.test_accuracy}});
  }

  // The snapshot's JSON without the histogram counts, which go to one flat buffer
  // (layer, quantity z/a/dz/w/dw, bin) read through histogramView(), and without the loss
  // history, read through historyStepView() and historyLossView(): printing and parsing
  // its 2 × 2048 numbers was most of a snapshot's cost once the history had filled.
  std::string snapshot() {
    Snapshot s = run_->snapshot();
    history_step_.assign(s.history_steps.begin(), s.history_steps.end());  // exact below 2^53
    history_loss_.assign(s.history_loss.begin(), s.history_loss.end());  // keeps the reserve
    s.history_steps.clear();
    s.history_loss.clear();
    histograms_.clear();
    for (auto& layer : s.layers) {
      for (Summary* q : {&layer.z, &layer.a, &layer.dz, &layer.w, &layer.dw}) {
        histograms_.insert(histograms_.end(), q->histogram.counts.begin(),
                           q->histogram.counts.end());
        q->histogram.counts.clear();
      }
    }
    json j = snapshot_to_json(s);
    j["bins"] = run_->config().stats.bins;
    return json_text(j);
  }
  emscripten::val histogram_view() const {
    return emscripten::val(emscripten::typed_memory_view(histograms_.size(), histograms_.data()));
  }
  emscripten::val history_step_view() const {
    return emscripten::val(emscripten::typed_memory_view(history_step_.size(), history_step_.data()));
  }
  emscripten::val history_loss_view() const {
    return emscripten::val(emscripten::typed_memory_view(history_loss_.size(), history_loss_.data()));
  }

  // The confusion matrix as JSON; the predicted classes go to predictedView().
  std::string predict(bool test) {
    Predictions p = run_->predict(test);
    predicted_ = std::move(p.predicted);
    return json_text({{"confusion", p.confusion}});
  }
  emscripten::val predicted_view() const {
    return emscripten::val(emscripten::typed_memory_view(predicted_.size(), predicted_.data()));
  }

  // extent <= 0 means the data set's own plot extent.
  std::string decision_grid(int resolution, double extent) {
    if (extent <= 0) extent = run_->data().extent;
    if (auto e = run_->decision_grid(resolution, extent, grid_)) return error_json(*e);
    return "{}";
  }
  emscripten::val grid_view() const {
    return emscripten::val(emscripten::typed_memory_view(grid_.size(), grid_.data()));
  }

  // All parameters as one view: per layer W (fan_in, fan_out) row-major, then b.
  std::string weight_layout() const {
    json layers = json::array();
    const auto& net = run_->network();
    for (std::size_t l = 0; l < net.num_layers(); ++l) {
      const DenseLayer& layer = net.layer(l);
      layers.push_back({{"fanIn", layer.fan_in}, {"fanOut", layer.fan_out},
                        {"wOffset", layer.w_offset}, {"bOffset", layer.b_offset}});
    }
    return json_text(layers);
  }
  emscripten::val params_view() const {
    const auto& p = run_->network().params();
    return emscripten::val(emscripten::typed_memory_view(p.size(), p.data()));
  }
  // setWeights in three calls: stageWeights() makes one buffer per W and b, sized from the
  // network (never from a count JS passes) once the memory is known to hold them; JS
  // writes each through stagingView(layer, bias); commitWeights() hands them to the run
  // and frees them. A full memory is a refusal here, not an abort inside an allocation.
  std::string stage_weights() {
    const auto& net = run_->network();
    const double need = 4.0 * static_cast<double>(net.num_params());
    const double free = free_bytes();
    if (need > free)
      return error_json(make_error(
          "weights", "setting the weights of this network needs about " + mib(need) +
                         " MiB, but only " + mib(std::max(0.0, free)) +
                         " MiB of memory are free beside the runs; dispose of other runs first"));
    staging_.clear();
    for (std::size_t l = 0; l < net.num_layers(); ++l) {
      const DenseLayer& layer = net.layer(l);
      LayerWeights lw;
      lw.fan_in = layer.fan_in;
      lw.fan_out = layer.fan_out;
      lw.w.assign(layer.fan_in * layer.fan_out, 0.0f);
      lw.b.assign(layer.fan_out, 0.0f);
      staging_.push_back(std::move(lw));
    }
    return "{}";
  }
  // null for a layer that was not staged.
  emscripten::val staging_view(int layer, bool bias) {
    if (layer < 0 || static_cast<std::size_t>(layer) >= staging_.size()) return emscripten::val::null();
    std::vector<float>& v = bias ? staging_[layer].b : staging_[layer].w;
    return emscripten::val(emscripten::typed_memory_view(v.size(), v.data()));
  }
  std::string commit_weights() {
    Status e = staging_.empty()
                   ? Status(make_error("weights", "nothing staged; call stageWeights() first"))
                   : run_->set_weights(staging_);
    std::vector<LayerWeights>().swap(staging_);  // the memory goes back to the heap
    return e ? error_json(*e) : "{}";
  }

  // The data set as the network sees it (normalized), with the normalization so the page
  // can plot raw coordinates: x_raw = x * scale + offset per feature.
  std::string dataset_info() const {
    const Dataset& d = run_->data();
    return json_text({{"name", d.name},          {"inputDim", d.input_dim}, {"numClasses", d.num_classes},
                      {"is2d", d.is_2d},         {"extent", d.extent},      {"normalize", d.normalize},
                      {"offset", d.offset},      {"scale", d.scale},
                      {"train", d.y_train.size()}, {"test", d.y_test.size()}});
  }
  emscripten::val x_view(bool test) const {
    const Matrix& x = test ? run_->data().x_test : run_->data().x_train;
    return emscripten::val(emscripten::typed_memory_view(x.size(), x.data()));
  }
  emscripten::val y_view(bool test) const {
    const std::vector<int>& y = test ? run_->data().y_test : run_->data().y_train;
    return emscripten::val(emscripten::typed_memory_view(y.size(), y.data()));
  }

  void reset() { run_->reset(); }
  void reinitialize(double seed) { run_->reinitialize(static_cast<std::uint64_t>(seed)); }

 private:
  std::unique_ptr<Run> run_;
  std::string error_;
  std::vector<float> histograms_, grid_;
  std::vector<LayerWeights> staging_;
  std::vector<double> history_step_, history_loss_;
  std::vector<int> predicted_;
};

std::string version() { return INITSCOPE_VERSION; }
std::string schema_json() { return json_text(schema()); }
// Bytes malloc has handed out and not taken back: what the memory tests watch.
double heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(initscope) {
  emscripten::function("_version", &version);
  emscripten::function("_schema", &schema_json);
  emscripten::function("_heapInUse", &heap_in_use);
  emscripten::function("_meanField", &mean_field_json);
  emscripten::function("_orderChaosBoundary", &order_chaos_boundary_json);
  emscripten::function("_varianceScaling", &variance_scaling_json);
  emscripten::function("_describeData", &describe_data_json);
  emscripten::class_<RunHandle>("_Run")
      .constructor<std::string>()
      .function("_error", &RunHandle::error)
      .function("_config", &RunHandle::config)
      .function("_step", &RunHandle::step)
      .function("_evaluate", &RunHandle::evaluate)
      .function("_snapshot", &RunHandle::snapshot)
      .function("_histogramView", &RunHandle::histogram_view)
      .function("_historyStepView", &RunHandle::history_step_view)
      .function("_historyLossView", &RunHandle::history_loss_view)
      .function("_predict", &RunHandle::predict)
      .function("_predictedView", &RunHandle::predicted_view)
      .function("_decisionGrid", &RunHandle::decision_grid)
      .function("_gridView", &RunHandle::grid_view)
      .function("_weightLayout", &RunHandle::weight_layout)
      .function("_paramsView", &RunHandle::params_view)
      .function("_stageWeights", &RunHandle::stage_weights)
      .function("_stagingView", &RunHandle::staging_view)
      .function("_commitWeights", &RunHandle::commit_weights)
      .function("_datasetInfo", &RunHandle::dataset_info)
      .function("_xView", &RunHandle::x_view)
      .function("_yView", &RunHandle::y_view)
      .function("_reset", &RunHandle::reset)
      .function("_reinitialize", &RunHandle::reinitialize);
}
