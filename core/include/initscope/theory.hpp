// Variance-propagation theory (reference sheet §4): the per-layer second moments that a
// freshly initialized dense network should show, forward (q = E[z²], E[a²]) and backward
// (E[(dL/dz)²]), plus a finite-width band. The page overlays these on measured statistics.
//
// Assumptions: weights and biases i.i.d., zero mean and symmetric (the second moments are
// used as given, so a nonzero weight mean such as KotlinDL's [0, L) uniform breaks it);
// backward, gradients independent of the forward weights. Linear, relu and leaky_relu
// layers are exact in expectation (E[relu(z)²] = q/2 for any symmetric z); the others
// are mean-field (z Gaussian, wide layers) and use Gaussian expectations by quadrature.
#pragma once
#include <cstddef>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "initscope/activation.hpp"
#include "initscope/error.hpp"

namespace initscope {

// A residual block (core/src/residual_layer.cpp), out = x + α·f(x) of width n = fan_in.
// Forward, for the "before" form (pre-activation) and zero-mean weights: E[s²] = E[x²] +
// α²·q_f, q_f = E[f²] (the cross term E[x·f] vanishes over W2's draw); p = φ(h) before
// W1 (h = x or its pre-norm); q_1 = n·σ²_W1·E[p²] + σ²_b1, q_f = hidden·σ²_W2·E[φ(z_1)²]
// + σ²_b2 (branch 1: q_f = q_1 without φ). A post-norm takes s through the LayerNorm step,
// and the "after" form then applies φ (E[φ(t)²] for t ~ N(0, E[t²])). Backward, from
// E[(dL/dout)²]: through φ, the post-norm, α², the branch's dense steps and the pre-norm,
// plus the skip path (again no cross term). Exact in expectation for a linear φ without
// norm; mean-field otherwise (relu's E[φ(x)²] = E[x²]/2 needs a symmetric x). Down a
// stack of blocks this is the length recursion of Yang and Schoenholz's mean field residual
// networks (2017): E[x²] only adds, so it has no fixed point; it grows linearly for tanh and
// by 1 + n·σ²_W/2 a block for relu, the gradient too (test_theory.cpp).
// Consecutive "after" blocks without norm (φ not linear) follow one unit's chain instead
// (core/src/theory_chain.hpp): the masks φ'(s) that backward multiplies along the skip
// path are correlated from block to block, and a dense layer right before them shares the
// first block's; forward E[φ(s)²] from the law of s, which is not Gaussian there.
struct TheoryBlock {
  int branch = 2;
  std::size_t hidden = 0;        // units of W1 when branch = 2
  bool post_activation = false;  // activationAt "after"
  double alpha = 1.0;
  double w1 = 0, b1 = 0, w2 = 0, b2 = 0;  // second moments of one element of each
  enum class Norm { none, pre, post } norm = Norm::none;
  double norm_gain = 1, norm_shift = 0, norm_shift_mean = 0, norm_epsilon = 1e-5;
};

struct TheoryLayer {
  std::size_t fan_in = 0, fan_out = 0;
  double weight_second_moment = 0.0;  // σ²_w = mean² + variance of one weight (LayerNorm: gain)
  double bias_second_moment = 0.0;    // σ²_b (LayerNorm: shift)
  ActivationSpec activation;
  // A LayerNorm layer (fan_in = fan_out, no activation): z = (x − mean)/√(var + ε) per
  // row, a = gain·z + shift. bias_mean is the shift's mean (a's mean).
  bool normalization = false;
  double epsilon = 0.0;
  double bias_mean = 0.0;
  // A BatchNorm layer (normalization too): the same step with the statistics taken per
  // feature over batch_rows rows of the batch instead of per row over its features.
  bool batch_norm = false;
  std::size_t batch_rows = 0;
  // A residual block (fan_in = fan_out, activation the block's φ); its q is E[f²] of the
  // branch's output, a2 its output's, grad2 E[(dL/d out)²].
  std::optional<TheoryBlock> block;
};

struct TheoryLayerResult {
  double q = 0.0;       // predicted E[z²] of the pre-activations
  double a2 = 0.0;      // predicted E[a²] of the activations
  double a_mean = 0.0;  // predicted mean of a (relu 0.39894·√q, sigmoid ≈ ½; softmax 1/fan_out)
  double grad2 = 0.0;   // predicted E[(dL/dz)²], relative to the output layer's (given)
  // One standard deviation in log space around √q for one input through one random draw
  // of the weights: √q·exp(∓sd/2), sd² = Var[log q̂] (see propagate).
  double band_lo = 0.0, band_hi = 0.0;
  double log_q_var = 0.0;  // that Var[log q̂]: Σ 2/n_k for linear, 5(L−1)/n + 2/n for relu
  bool exact = false;   // q and a2 exact in expectation: linear/relu/leaky_relu up to here
};

struct TheoryResult {
  std::vector<TheoryLayerResult> layers;
  // Order/chaos indicator at the last hidden layer h (the one before the output):
  // χ₁ = fan_in_h·σ²_w,h·E[φ'(z_h)²] with z_h ~ N(0, q_h). Above 1 gradients grow
  // backward (chaotic), below 1 they shrink (ordered). NaN with fewer than two layers.
  double chi1_last = 0.0;
};

// Predicts every layer. Forward: q_l = fan_in_l·σ²_w,l·E[a²_{l−1}] + σ²_b,l with
// E[a²_0] = input_second_moment (E[x²] averaged over the input features). Backward, from
// E[g²_L] = output_grad_second_moment: E[g²_{l−1}] = fan_out_l·σ²_w,l·E[φ'(z_{l−1})²]·E[g²_l].
// A softmax layer (output only) is treated as linear for q and for the backward step
// (the loss hands dL/dz to it directly); its a_mean is 1/fan_out exactly and its a2 the
// wide-layer estimate e^q/fan_out² clamped to [1/fan_out², 1/fan_out].
// A LayerNorm layer (mean-field, never marked exact): its input rows' variance v is the
// given input_row_variance for the first layer (NaN: input_second_moment), else
// (1 − 1/n)·(E[a²] − E[a]²) of the layer before; then q = E[z²] = v/(v + ε),
// E[a²] = σ²_gain·q + σ²_shift, E[a] = the shift's mean, and no spread across draws (the
// rows are normalized). Backward, dL/dz = gain·dL/da gives σ²_gain·E[(dL/da)²], and
// dL/dx = (dz − mean(dz) − z·mean(dz·z))/√(v + ε) gives E[(dL/dz)²]·(1 − (1 + r(2 − r))/n)
// /(v + ε) with r = v/(v + ε), for gradients independent of z.
// A BatchNorm layer takes the same step with the variance over the batch: v is the given
// input_column_variance (the mean over the input's features of each one's batch variance;
// NaN: input_second_moment) for the first layer, else (1 − 1/B)·(E[a²] − E[a]²) of the
// layer before with B = batch_rows (a biased variance over B rows), and B in place of n
// in the backward step. Also mean-field, never marked exact.
// Inputs are assumed valid (see check_theory_layers); q overflowing to inf propagates.
TheoryResult propagate(const std::vector<TheoryLayer>& layers, double input_second_moment,
                       double output_grad_second_moment = 1.0,
                       double input_row_variance = std::numeric_limits<double>::quiet_NaN(),
                       double input_column_variance = std::numeric_limits<double>::quiet_NaN());

// Fans ≥ 1, second moments finite and ≥ 0, fan_in of each layer = fan_out of the previous.
Status check_theory_layers(const std::vector<TheoryLayer>& layers, double input_second_moment);

// A quadrature rule for the standard normal: E[f(u)] ≈ Σ weights[i]·f(nodes[i]).
struct GaussRule {
  std::vector<double> nodes, weights;
};

// n-point Gauss–Hermite rule for u ~ N(0,1) (Newton on the orthonormal Hermite
// recurrence; exact for polynomials up to degree 2n−1), for 1 ≤ n ≤ 150; empty otherwise.
GaussRule gauss_hermite(std::size_t n);
// The 60-point rule, computed once.
const GaussRule& gauss_hermite_60();

// E[f(√q·u)], u ~ N(0,1), to about 1e-13 relative for functions that are smooth apart
// from a kink or jump at 0 and polynomially bounded, at any q ≥ 0 (composite
// Gauss–Legendre in u, split at 0, panels ≤ 0.5 wide in z where |z| ≤ 40). The 60-point
// Gauss–Hermite rule alone is off by 6e-9 for tanh² at q = 1 and by 5e-2 at q = 64.
double gaussian_expectation(const std::function<double(double)>& f, double q);

// Gaussian moments of an activation for z ~ N(0, q).
struct ActivationMoments {
  double mean = 0.0;     // E[φ(z)]
  double second = 0.0;   // E[φ(z)²]
  double fourth = 0.0;   // E[φ(z)⁴]
  double deriv2 = 0.0;   // E[φ'(z)²]
  double slope = 0.0;    // d log E[φ²] / d log q = E[φ(z)φ'(z)z] / E[φ²] (1 for relu)
  bool exact = false;    // closed form (linear, relu, leaky_relu) rather than quadrature
};
// Closed forms for linear, relu and leaky_relu; quadrature otherwise (Gauss–Hermite-60
// for the smooth ones at q ≤ 0.05, where it matches the composite rule to 2e-14, else
// the composite rule). Softmax is treated as linear here. NaN moments for a non-finite q.
ActivationMoments activation_moments(const ActivationSpec& spec, double q);

// The stable fixed point q* of q = χ·E[φ(√q·u)²] + σ²_b, found by bisection: 0 when q
// shrinks to 0 (e.g. tanh with χ ≤ 1 and no bias), nullopt when q grows without bound
// (e.g. relu with χ > 2) or past 1e12.
std::optional<double> fixed_point_q(const ActivationSpec& spec, double chi, double sigma_b2);

}  // namespace initscope
