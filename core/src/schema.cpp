#include "initscope/schema.hpp"

#include "initscope/activation.hpp"
#include "initscope/config.hpp"
#include "initscope/data.hpp"
#include "initscope/init.hpp"
#include "initscope/loss.hpp"
#include "initscope/optimizer.hpp"

namespace initscope {

nlohmann::json schema() {
  nlohmann::json gains = nlohmann::json::array();
  for (const auto& name : gain_nonlinearities()) {
    double gain = 0;
    if (!calculate_gain(name, std::nullopt, gain)) gains.push_back({{"nonlinearity", name}, {"gain", gain}});
  }
  return {{"version", INITSCOPE_VERSION},
          {"weightLayout", "(fan_in, fan_out), row-major, as in Keras"},
          {"config", config_schema()},
          {"initializers", initializers_schema()},
          {"activations", activations_schema()},
          {"losses", losses_schema()},
          {"optimizers", optimizers_schema()},
          {"datasets", datasets_schema()},
          {"gains", gains}};
}

}  // namespace initscope
