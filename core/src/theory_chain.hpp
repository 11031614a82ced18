// One unit's path through consecutive post-activation residual blocks (activationAt
// "after", no norm), for theory.cpp. There out_k = φ(s_k), s_{k+1} = out_k + α·f_{k+1}:
// the skip path carries a unit's own state from block to block, so the masks φ'(s_k) that
// the backward pass multiplies along it are correlated (a relu unit that is on stays on),
// and E[φ'(s_k)²]·E[(dL/ds_{k+1})²], the independent step, is off by a factor that
// compounds with depth. Mean-field, the branch's share α·f_{k+1} of a unit is a Gaussian
// ε_k ~ N(0, α²·q_f) independent of the unit's past (it sums a whole layer through fresh
// weights), so a unit's states y_0, y_1, … form a Markov chain y_{k+1} = ψ_k(y_k) + ε_{k+1},
// ψ_k the activation after state k. The chain tracks each state's law on a grid; backward,
// V_k(y) = E[(dL/dy_k)² | y_k = y] follows the chain exactly:
//   V_K(y) = ψ_K'(y)²·G,   V_k(y) = ψ_k'(y)²·(E_ε[V_{k+1}(ψ_k(y) + ε)] + β_{k+1}·U_{k+1}),
// U_k = E[V_k(y_k)], G = E[(dL/d out_K)²] (from fresh weights above), β_k = α²·c_k the
// branch's backward gain (its own gradient mixes the whole layer: independent of the unit).
// State 0 is the first block's input's pre-activation (the dense layer before, ψ_0 its φ)
// or the input itself (ψ_0 linear).
#pragma once
#include <cstddef>
#include <vector>

#include "initscope/activation.hpp"

namespace initscope {

class UnitChain {
 public:
  // State 0: y_0 ~ N(mean, variance), passed on through psi.
  UnitChain(double mean, double variance, const ActivationSpec& psi);
  // State k + 1 = ψ_k(y_k) + ε, ε ~ N(0, noise), passed on through psi; beta its branch's
  // backward gain.
  void step(double noise, double beta, const ActivationSpec& psi);
  // E[ψ(y)] and E[ψ(y)²] of the last state.
  double mean() const { return mean_; }
  double second() const { return second_; }
  // β_k of the step into state k.
  double beta(std::size_t k) const { return states_[k].beta; }
  // From G = E[(dL/d out_K)²] of the last state's output: U_k = E[(dL/dy_k)²] for every
  // state k = 0..K (the pre-activation gradient of each; state 0's is the layer before's).
  std::vector<double> backward(double top_grad2) const;

 private:
  struct State {
    double lo = 0, h = 0;          // cell i is [lo + i·h, lo + (i + 1)·h]
    std::vector<double> mass;      // the law of y_k, by cell
    ActivationSpec psi;
    double noise = 0, beta = 0;    // of the step into this state
    double center(std::size_t i) const { return lo + (static_cast<double>(i) + 0.5) * h; }
  };
  // P(ψ(c_i) + ε ∈ each cell of `to`) for one source point x, into row (cells of `to`).
  static void transfer(double x, double noise, const State& to, std::vector<double>& row,
                       std::size_t& first, std::size_t& last);
  void summarize();
  std::vector<State> states_;
  double mean_ = 0, second_ = 0;
  bool broken_ = false;  // a moment overflowed: every result is NaN
};

}  // namespace initscope
