#include "initscope/schema.hpp"

#include "initscope/activation.hpp"
#include "initscope/config.hpp"
#include "initscope/data.hpp"
#include "initscope/init.hpp"
#include "initscope/layer.hpp"
#include "initscope/limits.hpp"
#include "initscope/loss.hpp"
#include "initscope/optimizer.hpp"
#include "initscope/parameterization.hpp"
#include "initscope/residual_init.hpp"

namespace initscope {

namespace {

// The losses' rows with the output units each accepts, by number of classes ("2" to
// "10"; a missing count is not allowed): what the page sets the output layer from.
nlohmann::json losses_with_units() {
  nlohmann::json rows = losses_schema();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    nlohmann::json units = nlohmann::json::object();
    for (int classes = 2; classes <= kMaxClasses; ++classes) {
      int n = output_units(losses()[i].kind, classes);
      if (n > 0) units[std::to_string(classes)] = n;
    }
    rows[i]["outputUnits"] = units;
  }
  return rows;
}

}  // namespace

nlohmann::json schema() {
  nlohmann::json gains = nlohmann::json::array();
  for (const auto& name : gain_nonlinearities()) {
    double gain = 0;
    if (!calculate_gain(name, std::nullopt, gain)) gains.push_back({{"nonlinearity", name}, {"gain", gain}});
  }
  return {{"version", INITSCOPE_VERSION},
          {"weightLayout", "(fan_in, fan_out), row-major, as in Keras"},
          {"config", config_schema()},
          {"limits", limits_schema()},
          {"initializers", initializers_schema()},
          {"layerKinds", layer_kinds_schema()},
          {"activations", activations_schema()},
          {"losses", losses_with_units()},
          {"optimizers", optimizers_schema()},
          {"residualInits", residual_inits_schema()},
          {"parameterizations", parameterizations_schema()},
          {"datasets", datasets_schema()},
          {"gains", gains}};
}

}  // namespace initscope
