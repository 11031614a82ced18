// How far training has moved a layer's weights from where they started:
// ‖W_t − W_0‖_F / ‖W_0‖_F, the relative change that tells lazy training (the weights
// barely move, the network behaves as its linearization) from rich training (they move
// a lot and the features change); Chizat, Oyallon and Bach 2019.
#pragma once
#include <optional>

#include "initscope/layer.hpp"

namespace initscope {

// Squared norms in double: ‖W_t − W_0‖² and ‖W_0‖² over the tensors a layer's change
// covers. Sums of them give the change of several layers together.
struct WeightChange {
  double moved2 = 0, initial2 = 0;
  WeightChange& operator+=(const WeightChange& o) {
    moved2 += o.moved2;
    initial2 += o.initial2;
    return *this;
  }
  // √(moved2 / initial2); nullopt when the initial weights are all zero (no scale to
  // compare with).
  std::optional<double> relative() const;
};

// The tensors a layer's change covers: its weight matrices (dense: W; a residual block:
// W1 and W2 together, not its alpha or its norm's gain and shift); a layer without one
// (LayerNorm, BatchNorm) its gain. `now` and `initial` are buffers laid out as the
// network's parameters.
WeightChange weight_change(const Layer<float>& layer, const float* now, const float* initial);

}  // namespace initscope
