// Every JSON the JS contract reads from a run, built here and only here: wasm/bindings.cpp
// registers these and owns the buffers behind its typed views, and tests/tools/native_run
// prints the same objects, so that the native and the wasm build can be compared as text.
// The keys are the JS API's (wasm/initscope.d.ts): extend them, never rename them.
#pragma once
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "initscope/data.hpp"
#include "initscope/run.hpp"
#include "initscope/snapshot.hpp"
#include "initscope/stats.hpp"

namespace initscope {

// null, or {step, layer, quantity}.
nlohmann::json divergence_to_json(const std::optional<Divergence>& d);
// {step, loss, diverged}
nlohmann::json step_result_to_json(const StepResult& r);
// {trainLoss, trainAccuracy, testLoss, testAccuracy}
nlohmann::json evaluation_to_json(const Evaluation& e);
// [{z, a, zChange, aChange}] per layer: Run::coordinates().
nlohmann::json coordinates_to_json(const std::vector<LayerCoordinates>& layers);
// {confusion}: the predicted classes themselves travel as a typed array.
nlohmann::json predictions_to_json(const Predictions& p);
// [{fanIn, fanOut, wOffset, bOffset}] per layer: where W and b sit in the parameter buffer.
nlohmann::json weight_layout_to_json(const Run& run);
// {name, inputDim, numClasses, is2d, extent, normalize, offset, scale, train, test}
nlohmann::json dataset_info_to_json(const Dataset& d);
// What run.minibatchOrder reads beside its rows: rows per step, and the steps they cover.
nlohmann::json minibatch_rows_to_json(std::size_t batch_rows, double steps);
// {mean, std, min, max, rms, count, nonfinite, histogram: {lo, hi, counts, underflow, overflow}}
nlohmann::json summary_to_json(const Summary& s);
// Everything, arrays included.
nlohmann::json snapshot_to_json(const Snapshot& s);

// The snapshot as the JS API receives it: the histogram counts go to one flat buffer
// (layer, quantity z/a/dz/w/dw, bin) and the loss history to two, so that the JSON text
// stays small (printing and parsing 2 × 2048 history numbers was most of a snapshot's
// cost once the history had filled); the JSON says `bins`. The buffers keep their
// capacity from call to call.
struct SnapshotArrays {
  std::vector<float> histograms;
  std::vector<double> history_step, history_loss;  // steps are exact below 2^53
};
nlohmann::json snapshot_to_json(Snapshot s, int bins, SnapshotArrays& arrays);

}  // namespace initscope
