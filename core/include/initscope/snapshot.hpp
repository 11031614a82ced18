// Everything the page draws, taken from a fixed probe batch so numbers compare across
// steps. The page never computes a statistic itself: it reads a Snapshot.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "initscope/init.hpp"
#include "initscope/stats.hpp"
#include "initscope/theory.hpp"

namespace initscope {

// Where NaN or Inf first appeared: the step, the layer (0-based; -1 for the loss when no
// layer holds a non-finite value) and the quantity.
struct Divergence {
  std::int64_t step = 0;
  int layer = -1;
  std::string quantity;  // "activation", "gradient", "weight" or "loss"
};

struct LayerSnapshot {
  std::string kind = "dense";  // a name of layer_kinds()
  std::size_t fan_in = 0, fan_out = 0;
  std::size_t params = 0;  // values it keeps in the parameter buffer (Keras's "Param #")
  std::size_t running = 0;  // running averages it keeps outside it (BatchNorm's, a block's)
  std::string activation;  // name in the activation table
  // The layer's first tensor (weights; LayerNorm: gain) and second (biases; shift): their
  // initializers, and w, dw below are the first's statistics.
  std::string init;        // weight initializer name
  std::string bias_init;   // bias initializer name
  // The initial weights' law, exactly (init_moments / element_law), for the page's formula
  // with this layer's numbers: mean and std of one weight, and the element law of i.i.d.
  // initializers (nullopt for structured ones: orthogonal, identity, sparse, LSUV).
  double init_mean = 0, init_std = 0;
  std::optional<ElementLaw> init_law;
  Summary z, a, dz, w, dw;  // pre-activation, activation, dL/dz, weights, dL/dW
  double saturated = 0;     // fraction of (example, unit) entries saturated (sigmoid/tanh)
  double dead = 0;          // fraction of relu units zero on the whole probe batch
  double update_ratio = 0;  // ‖ΔW‖/‖W‖ of the last optimizer step
  // ‖W − W₀‖/‖W₀‖ since the initial weights (weight_change.hpp says which tensors);
  // nullopt when W₀ is all zero.
  std::optional<double> weight_change;
  int distinct_units = 0;   // units with identical incoming weights count once
  int lsuv_iterations = 0;  // LSUV rescaling rounds spent on this layer (0 without LSUV)
};

// The network's numbers in the residual initialization's formula (residual_init.hpp): its
// blocks L, the dense layers per branch m of the first block, and the row's factor (NaN
// when the row has none).
struct ResidualInitNumbers {
  std::string name;
  int blocks = 0, m = 0;
  double factor = 0;
};

struct Snapshot {
  std::int64_t step = 0;
  int probe = 0;                      // examples in the probe batch
  double input_second_moment = 0;     // E[x²] of the probe batch, the theory's input
  double loss = 0;                    // probe-batch loss at this step
  double grad_norm = 0;               // global gradient norm of the last step (before clipping)
  std::vector<LayerSnapshot> layers;
  // The layers' weight change taken together: ‖W − W₀‖/‖W₀‖ over every layer's covered
  // tensors as one vector (nullopt when they all start at zero).
  std::optional<double> weight_change;
  TheoryResult theory;                // variance propagation at initialization
  // E[(dL/dz)²] of the output layer measured on the probe batch at initialization: the
  // theory's backward pass is relative to it, so √(grad2·this) is the predicted RMS.
  double theory_output_grad2 = 1.0;
  std::vector<std::int64_t> history_steps;  // training loss history, thinned to a bounded size
  std::vector<double> history_loss;
  std::optional<Divergence> diverged;
  std::optional<ResidualInitNumbers> residual_init;  // none without blocks
};

// Its JSON: run_json.hpp.

}  // namespace initscope
