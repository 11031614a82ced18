// Embind registrations and the buffers behind typed views only: every JSON comes from
// core (run_json.hpp), every limit from its spec row (limits.hpp). Everything crosses as
// JSON strings or typed-memory views over buffers the run or this handle owns; errors come back as values (JSON with "field" and
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
#include "initscope/json_input.hpp"
#include "initscope/limits.hpp"
#include "initscope/mean_field.hpp"
#include "initscope/run.hpp"
#include "initscope/run_json.hpp"
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

// Every answer is written by json_text or error_json (text.hpp), which never throw (a
// message can hold what the user typed).

template <class T>
emscripten::val view(const std::vector<T>& v) {
  return emscripten::val(emscripten::typed_memory_view(v.size(), v.data()));
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
    snapshot_arrays_.history_step.reserve(Run::kHistoryCapacity);
    snapshot_arrays_.history_loss.reserve(Run::kHistoryCapacity);
  }
  std::string error() const { return error_; }
  std::string config() const { return json_text(config_to_json(run_->config())); }

  std::string step(int n) {
    if (auto e = check_param(limit("stepsPerCall"), n, "n")) return error_json(*e);
    return json_text(step_result_to_json(run_->step(n)));
  }

  std::string evaluate() { return json_text(evaluation_to_json(run_->evaluate())); }
  std::string coordinates() { return json_text(coordinates_to_json(run_->coordinates())); }

  // The histogram counts are read through histogramView(), the loss history through
  // historyStepView() and historyLossView() (run_json.hpp says why).
  std::string snapshot() {
    return json_text(snapshot_to_json(run_->snapshot(), run_->config().stats.bins, snapshot_arrays_));
  }
  emscripten::val histogram_view() const { return view(snapshot_arrays_.histograms); }
  emscripten::val history_step_view() const { return view(snapshot_arrays_.history_step); }
  emscripten::val history_loss_view() const { return view(snapshot_arrays_.history_loss); }

  // The confusion matrix as JSON; the predicted classes go to predictedView().
  std::string predict(bool test) {
    Predictions p = run_->predict(test);
    const std::string text = json_text(predictions_to_json(p));
    predicted_ = std::move(p.predicted);
    return text;
  }
  emscripten::val predicted_view() const {
    return view(predicted_);
  }

  // extent <= 0 means the data set's own plot extent.
  std::string decision_grid(int resolution, double extent) {
    if (extent <= 0) extent = run_->data().extent;
    if (auto e = run_->decision_grid(resolution, extent, grid_)) return error_json(*e);
    return "{}";
  }
  emscripten::val grid_view() const {
    return view(grid_);
  }

  // Input gradients along a line (gradient_line.hpp); the caches grow to the line's rows
  // once the memory is known to hold them.
  std::string gradient_line(int points, int axis, int seed) {
    if (auto e = check_param(limit("gradientPoints"), points, "points")) return error_json(*e);
    const double need = run_->gradient_line_bytes(points);
    const double free = free_bytes();
    if (need > free)
      return error_json(make_error(
          "points", std::to_string(points) + " points on this network need about " + mib(need) +
                        " MiB, but only " + mib(std::max(0.0, free)) +
                        " MiB of memory are free beside the runs; ask for fewer points"));
    GradientLine line;
    if (auto e = run_->gradient_line(GradientLineOptions{points, axis, seed}, line)) return error_json(*e);
    return json_text(gradient_line_to_json(line));
  }

  // The input-output Jacobian's spectrum (jacobian.hpp); works in the rows the caches
  // already hold, so the memory does not grow.
  std::string jacobian_spectrum(int probes, int bins) {
    JacobianSpectrum spectrum;
    if (auto e = run_->jacobian_spectrum(JacobianOptions{probes, bins}, spectrum)) return error_json(*e);
    return json_text(jacobian_spectrum_to_json(spectrum));
  }

  // All parameters as one view: per layer W (fan_in, fan_out) row-major, then b.
  std::string weight_layout() const { return json_text(weight_layout_to_json(*run_)); }
  emscripten::val params_view() const {
    const auto& p = run_->network().params();
    return emscripten::val(emscripten::typed_memory_view(p.size(), p.data()));
  }
  // The layers' running averages (batchnorm), laid out as weight_layout's runningOffset says.
  emscripten::val running_view() {
    running_ = run_->network().state();
    return view(running_);
  }
  // setWeights in three calls: stageWeights() makes one buffer per W and b, sized from the
  // network (never from a count JS passes) once the memory is known to hold them; JS
  // writes each through stagingView(layer, part: 0 W, 1 b, 2 running averages, made only when
  // asked for: a layer given none takes fresh ones; 3 a block's further tensors, one after another); commitWeights() hands them to the run
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
      const auto& layer = net.layer(l);
      LayerWeights lw;
      lw.fan_in = layer.fan_in;
      lw.fan_out = layer.fan_out;
      lw.w.assign(layer.tensors[0].size(), 0.0f);
      lw.b.assign(layer.tensors[1].size(), 0.0f);
      if (layer.tensors.size() > 2) lw.more.assign(layer.offset() + layer.num_params() - layer.tensors[2].offset, 0.0f);
      staging_.push_back(std::move(lw));
    }
    return "{}";
  }
  // null for a layer that was not staged.
  emscripten::val staging_view(int layer, int part) {
    if (layer < 0 || static_cast<std::size_t>(layer) >= staging_.size()) return emscripten::val::null();
    LayerWeights& lw = staging_[layer];
    if (part == 2) lw.running.assign(run_->network().layer(static_cast<std::size_t>(layer)).state_size(), 0.0f);
    std::vector<float>& v = part == 3 ? lw.more : part == 2 ? lw.running : part == 1 ? lw.b : lw.w;
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
  std::string dataset_info() const { return json_text(dataset_info_to_json(run_->data())); }
  emscripten::val x_view(bool test) const {
    const Matrix& x = test ? run_->data().x_test : run_->data().x_train;
    return emscripten::val(emscripten::typed_memory_view(x.size(), x.data()));
  }
  emscripten::val y_view(bool test) const {
    const std::vector<int>& y = test ? run_->data().y_test : run_->data().y_train;
    return view(y);
  }

  // ---- the exact run out (core/src/run_state.cpp) ----
  // The training rows of `steps` steps (the next ones, or from the start) to rowsView().
  std::string minibatch_rows(double steps, bool from_start) {
    if (auto e = run_->minibatch_rows(static_cast<std::int64_t>(steps), from_start, rows_)) return error_json(*e);
    return json_text(minibatch_rows_to_json(run_->batch_rows(), steps));
  }
  emscripten::val rows_view() const { return view(rows_); }
  void free_rows() { std::vector<std::uint32_t>().swap(rows_); }
  std::string state() const { return json_text(run_->state()); }
  std::string restore_state(const std::string& text) {
    json state;
    if (auto e = parse_json_input(text, "state", "the state", state)) return error_json(*e);
    if (auto e = run_->restore_state(state)) return error_json(*e);
    return "{}";
  }

  void reset() { run_->reset(); }
  void reinitialize(double seed) { run_->reinitialize(static_cast<std::uint64_t>(seed)); }

 private:
  std::unique_ptr<Run> run_;
  std::string error_;
  SnapshotArrays snapshot_arrays_;
  std::vector<float> grid_;
  std::vector<LayerWeights> staging_;
  std::vector<float> running_;  // what runningView() shows
  std::vector<int> predicted_;
  std::vector<std::uint32_t> rows_;
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
      .function("_coordinates", &RunHandle::coordinates)
      .function("_snapshot", &RunHandle::snapshot)
      .function("_histogramView", &RunHandle::histogram_view)
      .function("_historyStepView", &RunHandle::history_step_view)
      .function("_historyLossView", &RunHandle::history_loss_view)
      .function("_predict", &RunHandle::predict)
      .function("_predictedView", &RunHandle::predicted_view)
      .function("_decisionGrid", &RunHandle::decision_grid)
      .function("_gridView", &RunHandle::grid_view)
      .function("_gradientLine", &RunHandle::gradient_line)
      .function("_jacobianSpectrum", &RunHandle::jacobian_spectrum)
      .function("_weightLayout", &RunHandle::weight_layout)
      .function("_paramsView", &RunHandle::params_view)
      .function("_stageWeights", &RunHandle::stage_weights)
      .function("_stagingView", &RunHandle::staging_view)
      .function("_commitWeights", &RunHandle::commit_weights)
      .function("_runningView", &RunHandle::running_view)
      .function("_datasetInfo", &RunHandle::dataset_info)
      .function("_xView", &RunHandle::x_view)
      .function("_yView", &RunHandle::y_view)
      .function("_minibatchRows", &RunHandle::minibatch_rows)
      .function("_rowsView", &RunHandle::rows_view)
      .function("_freeRows", &RunHandle::free_rows)
      .function("_state", &RunHandle::state)
      .function("_restoreState", &RunHandle::restore_state)
      .function("_reset", &RunHandle::reset)
      .function("_reinitialize", &RunHandle::reinitialize);
}
