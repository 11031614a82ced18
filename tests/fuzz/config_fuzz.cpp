// libFuzzer target: any bytes as a config, then (when valid and small enough to be quick)
// a run is built, stepped, evaluated and snapshotted; the same bytes as a mean-field
// activation. Invalid input must come back as an Error value whose field and message are
// valid UTF-8 (they reach JS as JSON); nothing may throw, crash, leak, overflow or hit
// undefined behaviour.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "initscope/mean_field.hpp"
#include "initscope/run.hpp"
#include "initscope/text.hpp"

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

// An error that would not survive the trip to JS as text stops the fuzzer.
void check_text(const Error& e) {
  if (valid_utf8(e.field) != e.field || valid_utf8(e.message) != e.message) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string answer = mean_field_json(text, 1.0, 0.0);
  if (valid_utf8(answer) != answer) __builtin_trap();
  Config config;
  if (auto e = parse_config(text, config)) {
    check_text(*e);
    return 0;
  }
  // Keep each input fast: big legal networks are exercised by the tests, not here.
  const DatasetInfo* info = find_dataset(config.data.name);
  const double dim = info && info->input_dim > 0 ? info->input_dim : config.data.dim;
  const double rows = std::max(config.batch, config.stats.probe);
  if (forward_work(config, dim, rows) > 2e6 ||
      forward_work(config, dim, config.data.train + config.data.test) > 2e7)
    return 0;
  std::unique_ptr<Run> run;
  if (auto e = Run::create(config, run)) {
    check_text(*e);
    return 0;
  }
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
