// What the theory needs of a residual block in a run (theory.hpp's TheoryBlock): its keys
// and its tensors' initial second moments. Runs once per initialization, so it is compiled
// for size in the wasm build (CMakeLists.txt's cold sources).
#include <string>
#include <utility>

#include "initscope/run.hpp"

namespace initscope {

// A residual block's structure and its tensors' second moments, by tensor name (W1's is
// given: LSUV may have rescaled it).
TheoryBlock Run::theory_block(std::size_t l, double w1) const {
  const Layer<float>& layer = net_.layer(l);
  const Params& p = config_.layers[l].params;
  auto second = [&](const std::string& name, double fallback) {
    for (std::size_t k = 0; k < layer.tensors.size(); ++k) {
      const ParamTensor& t = layer.tensors[k];
      if (t.name != name) continue;
      // The residual initialization's multiplier c scales the moments: c·mean, c²·variance.
      const Moments m = init_moments(inits_[l][k], t.shape, t.fans);
      const double c = scheme_factors_[l][k], mean = c * m.mean;
      return std::pair<double, double>{mean * mean + c * c * m.variance, mean};
    }
    return std::pair<double, double>{fallback, 0.0};
  };
  TheoryBlock b;
  b.branch = static_cast<int>(p.number("branch"));
  b.hidden = p.number("hidden") > 0 ? static_cast<std::size_t>(p.number("hidden")) : layer.fan_in;
  b.post_activation = p.choice("activationAt") == "after";
  b.alpha = p.number("alpha");
  b.w1 = w1;
  b.b1 = second("b1", 0.0).first;
  b.w2 = second("W2", 0.0).first;
  b.b2 = second("b2", 0.0).first;
  // A block's norm takes LayerNorm's step whatever its kind: a BatchNorm there is predicted
  // with the features' variance, not the batch's (mean-field either way, never exact).
  if (p.choice("norm") != "none") {
    b.norm = p.choice("normAt") == "pre" ? TheoryBlock::Norm::pre : TheoryBlock::Norm::post;
    b.norm_gain = second("norm.gain", 1.0).first;
    const auto shift = second("norm.shift", 0.0);
    b.norm_shift = shift.first;
    b.norm_shift_mean = shift.second;
    b.norm_epsilon = p.number("normEpsilon");
  }
  return b;
}

}  // namespace initscope
