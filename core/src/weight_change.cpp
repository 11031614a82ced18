#include "initscope/weight_change.hpp"

#include <cmath>

namespace initscope {

std::optional<double> WeightChange::relative() const {
  if (!(initial2 > 0)) return std::nullopt;
  return std::sqrt(moved2 / initial2);
}

WeightChange weight_change(const Layer<float>& layer, const float* now, const float* initial) {
  const ParamRole role = layer.find_tensor(ParamRole::weight) < layer.tensors.size()
                             ? ParamRole::weight
                             : ParamRole::gain;
  WeightChange c;
  for (const ParamTensor& t : layer.tensors) {
    if (t.role != role) continue;
    const float* w = now + t.offset;
    const float* w0 = initial + t.offset;
    // A leaf kernel: sums in double in index order, so every build gives the same bits.
    for (std::size_t i = 0; i < t.size(); ++i) {
      const double d = static_cast<double>(w[i]) - w0[i];
      c.moved2 += d * d;
      c.initial2 += static_cast<double>(w0[i]) * w0[i];
    }
  }
  return c;
}

}  // namespace initscope
