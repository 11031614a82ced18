#include "initscope/mean_field.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "initscope/json_input.hpp"
#include "initscope/params.hpp"
#include "initscope/text.hpp"
#include "initscope/theory.hpp"

namespace initscope {

namespace {

constexpr double kMaxSigma2 = 1e4;
constexpr double kCriticalTolerance = 1e-9;  // |χ₁ − 1| below this is the boundary
constexpr double kUnresolvedC = 1e-6;       // c* closer than this to 1 is not resolved
constexpr std::size_t kRule2d = 100;         // Gauss–Hermite points per dimension

const ParamSpec& sigma_w2_spec() {
  static const ParamSpec s =
      number_param("sigmaW2", 1, 0, kMaxSigma2, "n·Var(w): the weight variance times fan_in", true);
  return s;
}
const ParamSpec& sigma_b2_spec() {
  static const ParamSpec s = number_param("sigmaB2", 0, 0, kMaxSigma2, "the bias variance");
  return s;
}

// A double as JSON for messages: an integral value prints as the user typed it ("0", not
// "0.0"), as the config's own numbers do.
nlohmann::json number_json(double x) {
  if (std::isfinite(x) && x == std::floor(x) && std::abs(x) < 1e15)
    return static_cast<long long>(x);
  return x;
}

bool is_piecewise_linear(Activation kind) {
  return kind == Activation::linear || kind == Activation::relu ||
         kind == Activation::leaky_relu;
}

Status check_activation(const ActivationSpec& spec) {
  if (activation_info(spec.kind).output_only)
    return make_error("activation", "\"" + activation_info(spec.kind).name +
                                        "\" is not allowed; it is an output activation, and "
                                        "mean-field propagation needs a hidden-layer one");
  return std::nullopt;
}

const GaussRule& rule_2d() {
  static const GaussRule rule = gauss_hermite(kRule2d);
  return rule;
}

// E[f(u₁)·f(u₂)] for (u₁, u₂) ~ N(0, q·[[1, c], [c, 1]]), by the product rule:
// u₁ = √q·x, u₂ = √q·(c·x + √(1 − c²)·y), x, y independent N(0, 1).
template <class F>
double correlated_expectation(F&& f, double q, double c) {
  const GaussRule& r = rule_2d();
  const double s = std::sqrt(q), d = std::sqrt(std::max(0.0, 1.0 - c * c));
  double sum = 0.0;
  for (std::size_t i = 0; i < r.nodes.size(); ++i) {
    const double u1 = s * r.nodes[i];
    const double f1 = f(u1);
    double inner = 0.0;
    for (std::size_t j = 0; j < r.nodes.size(); ++j)
      inner += r.weights[j] * f(s * (c * r.nodes[i] + d * r.nodes[j]));
    sum += r.weights[i] * f1 * inner;
  }
  return sum;
}

// χ₁ at σ²_w for the boundary search: piecewise-linear activations do not depend on q.
std::optional<double> chi1_at(const ActivationSpec& spec, double sigma_w2, double sigma_b2) {
  if (is_piecewise_linear(spec.kind)) return sigma_w2 * activation_moments(spec, 1.0).deriv2;
  const std::optional<double> q = fixed_point_q(spec, sigma_w2, sigma_b2);
  if (!q) return std::nullopt;
  return sigma_w2 * activation_moments(spec, *q).deriv2;
}

}  // namespace

const char* mean_field_phase_name(MeanFieldPhase phase) {
  switch (phase) {
    case MeanFieldPhase::ordered: return "ordered";
    case MeanFieldPhase::critical: return "critical";
    case MeanFieldPhase::chaotic: return "chaotic";
    case MeanFieldPhase::unbounded: return "unbounded";
  }
  return "ordered";
}

Status mean_field(const ActivationSpec& spec, double sigma_w2, double sigma_b2, MeanField& out) {
  if (auto e = check_activation(spec)) return e;
  if (auto e = check_param(sigma_w2_spec(), number_json(sigma_w2), "sigmaW2")) return e;
  if (auto e = check_param(sigma_b2_spec(), number_json(sigma_b2), "sigmaB2")) return e;
  out = MeanField{};
  out.sigma_w2 = sigma_w2;
  out.sigma_b2 = sigma_b2;
  out.q_star = fixed_point_q(spec, sigma_w2, sigma_b2);
  if (out.q_star) {
    out.chi1 = sigma_w2 * activation_moments(spec, *out.q_star).deriv2;
  } else if (is_piecewise_linear(spec.kind)) {
    out.chi1 = chi1_at(spec, sigma_w2, sigma_b2);
  }
  if (out.chi1 && std::abs(*out.chi1 - 1.0) <= kCriticalTolerance) {
    out.phase = MeanFieldPhase::critical;
  } else if (!out.q_star) {
    out.phase = MeanFieldPhase::unbounded;
  } else {
    out.phase = *out.chi1 < 1.0 ? MeanFieldPhase::ordered : MeanFieldPhase::chaotic;
  }
  if (out.chi1 && out.phase != MeanFieldPhase::critical)
    out.gradient_depth_scale = 1.0 / std::abs(std::log(*out.chi1));

  if (!out.q_star || !(*out.q_star > 0.0)) return std::nullopt;  // no correlation map
  const double q = *out.q_star;
  if (out.phase == MeanFieldPhase::ordered) {
    // c* = 1, and the slope of the correlation map there is χ₁ itself.
    out.c_star = 1.0;
    out.chi_c = out.chi1;
    out.depth_scale = -1.0 / std::log(*out.chi1);
    return std::nullopt;
  }
  if (out.phase != MeanFieldPhase::chaotic) return std::nullopt;
  // c ↦ (σ²_w·E_c[φφ] + σ²_b) / (σ²_w·E_1[φφ] + σ²_b): the same rule in numerator and
  // denominator, so the map is exactly 1 at c = 1 and its rounding does not move c*.
  auto phi = [&](double z) { return activate<double>(spec, z); };
  const double norm = sigma_w2 * correlated_expectation(phi, q, 1.0) + sigma_b2;
  auto gap = [&](double c) {
    return (sigma_w2 * correlated_expectation(phi, q, c) + sigma_b2) / norm - c;
  };
  // The map lies in [−1, 1], so gap(−1) >= 0; in the chaotic phase it is negative just
  // below 1 (slope χ₁ > 1 there). Bisect between.
  double lo = -1.0, hi = 1.0 - kUnresolvedC;
  if (!(gap(hi) < 0.0)) return std::nullopt;
  for (int it = 0; it < 60 && hi - lo > 1e-13; ++it) {
    const double mid = 0.5 * (lo + hi);
    (gap(mid) >= 0.0 ? lo : hi) = mid;
  }
  const double c = 0.5 * (lo + hi);
  auto dphi = [&](double z) { return activate_derivative<double>(spec, z); };
  out.c_star = c;
  out.chi_c = sigma_w2 * correlated_expectation(dphi, q, c);
  if (*out.chi_c > 0.0 && *out.chi_c < 1.0) out.depth_scale = -1.0 / std::log(*out.chi_c);
  return std::nullopt;
}

Status order_chaos_boundary(const ActivationSpec& spec, double sigma_b2,
                            std::optional<double>& sigma_w2) {
  if (auto e = check_activation(spec)) return e;
  if (auto e = check_param(sigma_b2_spec(), number_json(sigma_b2), "sigmaB2")) return e;
  sigma_w2.reset();
  // χ₁ − 1 changes sign once; an unbounded q (no χ₁) lies past the boundary.
  auto above = [&](double w2) {
    const std::optional<double> chi = chi1_at(spec, w2, sigma_b2);
    return !chi || *chi >= 1.0;
  };
  double lo = 1e-6, hi = 1.0;
  if (above(lo)) return std::nullopt;
  while (!above(hi)) {
    lo = hi;
    hi *= 2.0;
    if (hi > kMaxSigma2) {
      if (!above(kMaxSigma2)) return std::nullopt;
      hi = kMaxSigma2;
      break;
    }
  }
  for (int it = 0; it < 200 && hi - lo > 1e-10 * hi; ++it) {
    const double mid = 0.5 * (lo + hi);
    (above(mid) ? hi : lo) = mid;
  }
  sigma_w2 = 0.5 * (lo + hi);
  return std::nullopt;
}

nlohmann::json mean_field_to_json(const MeanField& m) {
  auto opt = [](const std::optional<double>& v) -> nlohmann::json {
    if (v && std::isfinite(*v)) return *v;
    return nullptr;
  };
  return {{"sigmaW2", m.sigma_w2},
          {"sigmaB2", m.sigma_b2},
          {"qStar", opt(m.q_star)},
          {"chi1", opt(m.chi1)},
          {"phase", mean_field_phase_name(m.phase)},
          {"cStar", opt(m.c_star)},
          {"chiC", opt(m.chi_c)},
          {"depthScale", opt(m.depth_scale)},
          {"gradientDepthScale", opt(m.gradient_depth_scale)}};
}

namespace {

Status parse_activation_text(const std::string& text, ActivationSpec& spec) {
  nlohmann::json value;
  if (auto e = parse_json_input(text, "activation", "the activation", value)) return e;
  return parse_activation(value, "activation", spec);
}

}  // namespace

std::string mean_field_json(const std::string& activation_json, double sigma_w2, double sigma_b2) {
  ActivationSpec spec;
  if (auto e = parse_activation_text(activation_json, spec)) return error_json(*e);
  MeanField m;
  if (auto e = mean_field(spec, sigma_w2, sigma_b2, m)) return error_json(*e);
  nlohmann::json j = mean_field_to_json(m);
  j["activation"] = activation_to_json(spec);
  return json_text(j);
}

std::string order_chaos_boundary_json(const std::string& activation_json, double sigma_b2) {
  ActivationSpec spec;
  if (auto e = parse_activation_text(activation_json, spec)) return error_json(*e);
  std::optional<double> w2;
  if (auto e = order_chaos_boundary(spec, sigma_b2, w2)) return error_json(*e);
  return json_text({{"activation", activation_to_json(spec)},
                    {"sigmaB2", sigma_b2},
                    {"sigmaW2", w2 ? nlohmann::json(*w2) : nlohmann::json(nullptr)}});
}

}  // namespace initscope
