// Mean-field signal propagation through a wide random network (Poole et al. 2016,
// Schoenholz et al. 2017, "Deep information propagation"): weights N(0, σ²_w/n), biases
// N(0, σ²_b), one activation φ in every layer. Two maps describe what a layer does to its
// inputs in the infinite-width limit:
//
//   length       q_{l+1} = σ²_w·E[φ(√q_l·u)²] + σ²_b,                      u ~ N(0, 1)
//   correlation  c_{l+1} = (σ²_w·E[φ(u₁)φ(u₂)] + σ²_b) / q*,   (u₁, u₂) ~ N(0, q*·[[1, c], [c, 1]])
//
// q converges to a fixed point q*; c = 1 is always a fixed point of the correlation map,
// with slope χ₁ = σ²_w·E[φ′(√q*·u)²]. χ₁ < 1: ordered (c → 1, inputs become alike,
// gradients vanish); χ₁ > 1: chaotic (c → c* < 1, nearby inputs decorrelate, gradients
// explode). χ₁ = 1 is the order/chaos boundary, where the correlation depth scale
// ξ_c = −1/ln χ_c (χ_c the slope at the stable c*) diverges; Schoenholz et al. find that
// networks train only when their depth L ≲ 6·ξ_c.
//
// The sweep draws this boundary over a grid of initial weight scales; the page can show
// the numbers. Errors are values: invalid arguments name the field.
#pragma once
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "initscope/activation.hpp"
#include "initscope/error.hpp"

namespace initscope {

enum class MeanFieldPhase {
  ordered,    // χ₁ < 1: c* = 1
  critical,   // χ₁ = 1 (to 1e-9): the boundary, ξ_c infinite
  chaotic,    // χ₁ > 1: a stable c* < 1
  unbounded,  // q grows without bound (e.g. relu with σ²_w > 2): no fixed point
};

struct MeanField {
  double sigma_w2 = 0.0, sigma_b2 = 0.0;
  // Stable fixed point of the length map; 0 when the signal dies out (tanh with σ²_b = 0
  // and σ²_w ≤ 1); nullopt when q grows without bound.
  std::optional<double> q_star;
  // σ²_w·E[φ′(z)²] at z ~ N(0, q*). For linear, relu and leaky relu it does not depend on q
  // and is given even when q is unbounded; otherwise nullopt without a fixed point.
  std::optional<double> chi1;
  MeanFieldPhase phase = MeanFieldPhase::ordered;
  // Stable fixed point of the correlation map and the map's slope there (1 and χ₁ in the
  // ordered phase). nullopt when q* = 0 (the map is undefined: the signal itself vanishes,
  // at the rate of gradient_depth_scale), when q is unbounded, at the boundary, or in the
  // chaotic phase so close to the boundary (c* > 1 − 1e-6) that it cannot be resolved.
  std::optional<double> c_star, chi_c;
  // ξ_c = −1/ln χ_c: layers over which the correlation of two inputs approaches c*.
  std::optional<double> depth_scale;
  // 1/|ln χ₁|: layers over which the gradient's second moment changes by a factor e
  // (shrinks in the ordered phase, grows in the chaotic one). nullopt at χ₁ = 1.
  std::optional<double> gradient_depth_scale;
};

// The mean field of one activation at (σ²_w, σ²_b): σ²_w a number > 0 and <= 1e4, σ²_b a
// number >= 0 and <= 1e4; softmax is refused (output layer only). The chaotic phase's c*
// and χ_c come from a 100×100 product Gauss–Hermite rule (checked against a direct 2-D
// Simpson rule in tests/core/test_mean_field.cpp); everything else from theory.hpp.
Status mean_field(const ActivationSpec& spec, double sigma_w2, double sigma_b2, MeanField& out);

// The σ²_w at which χ₁ = 1 for this activation and σ²_b (bisection to 1e-10 relative,
// χ₁ increasing in σ²_w), or nullopt if χ₁ stays below 1 up to σ²_w = 1e4. tanh and
// linear at σ²_b = 0: exactly 1; relu: 2; leaky relu with slope α: 2/(1 + α²).
Status order_chaos_boundary(const ActivationSpec& spec, double sigma_b2,
                            std::optional<double>& sigma_w2);

const char* mean_field_phase_name(MeanFieldPhase phase);

// {"sigmaW2", "sigmaB2", "qStar", "chi1", "phase", "cStar", "chiC", "depthScale",
//  "gradientDepthScale"}; nullopt becomes null.
nlohmann::json mean_field_to_json(const MeanField& m);

// What the bindings call: the activation as the config writes it ("tanh" or
// {"name": "leaky_relu", "alpha": 0.2}), as JSON text. Returns the result's JSON, or
// {"error": {"field", "message"}} (fields "activation", "sigmaW2", "sigmaB2").
std::string mean_field_json(const std::string& activation_json, double sigma_w2, double sigma_b2);
// {"sigmaW2": number | null} or an error, as above.
std::string order_chaos_boundary_json(const std::string& activation_json, double sigma_b2);

}  // namespace initscope
