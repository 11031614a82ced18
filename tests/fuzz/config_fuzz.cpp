// libFuzzer target: any bytes as a config, then (when valid and small enough to be quick)
// a run is built, stepped, evaluated and snapshotted. Invalid input must come back as an
// Error value; nothing may crash, leak, overflow or hit undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "initscope/run.hpp"

using namespace initscope;

namespace {

// Multiply-accumulates of one forward pass over `rows` examples.
double forward_work(const Config& c, double input_dim, double rows) {
  double params = 0, fan_in = input_dim;
  for (const auto& layer : c.layers) {
    params += (fan_in + 1) * layer.units;
    fan_in = layer.units;
  }
  return params * rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  Config config;
  if (parse_config(text, config)) return 0;
  // Keep each input fast: big legal networks are exercised by the tests, not here.
  const DatasetInfo* info = find_dataset(config.data.name);
  const double dim = info && info->input_dim > 0 ? info->input_dim : config.data.dim;
  const double rows = std::max(config.batch, config.stats.probe);
  if (forward_work(config, dim, rows) > 2e6 ||
      forward_work(config, dim, config.data.train + config.data.test) > 2e7)
    return 0;
  std::unique_ptr<Run> run;
  if (Run::create(config, run)) return 0;
  run->step(3);
  run->snapshot();
  run->evaluate();
  std::vector<float> grid;
  run->decision_grid(8, run->data().extent > 0 ? run->data().extent : 1.0, grid);
  auto weights = run->weights();
  run->set_weights(weights);
  run->reset();
  run->reinitialize(config.seed + 1);
  run->step(1);
  return 0;
}
