#include "initscope/theory.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "theory_chain.hpp"

namespace initscope {

namespace {

constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // 1/√(2π)
constexpr double kInvSqrtPi = 0.56418958354775628695;   // 1/√π
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kPi = 3.14159265358979323846;

// Composite-rule layout. Past |z| = 40 every activation here is a constant, a line or 0
// to within 1e-16 (sigmoid, softplus − z and swish − z by 37, gelu − z by 9), so only
// |z| ≤ 40 needs panels on the activation's own scale; past |u| = 10 the normal mass is
// below 1e-23.
constexpr double kUMax = 10.0;        // u range [−10, 10]
constexpr double kZFeature = 40.0;    // |z| beyond which φ is polynomial
constexpr double kPanelZ = 0.5;       // panel width in z inside |z| ≤ 40
constexpr double kPanelU = 0.25;      // and at most this wide in u anywhere
// Up to this q Gauss–Hermite-60 agrees with the composite rule to 2e-14 (measured) for
// the smooth activations; above it tanh's poles at ±iπ/2 spoil it: E[sech⁴] is off by
// 9e-11 at q = 0.5 and 2e-7 at q = 1.
constexpr double kHermiteMaxQ = 0.05;

// Gauss–Legendre on [−1, 1] by Newton on the Legendre recurrence (Numerical Recipes gauleg).
GaussRule gauss_legendre(std::size_t n) {
  GaussRule r;
  r.nodes.assign(n, 0.0);
  r.weights.assign(n, 0.0);
  const std::size_t m = (n + 1) / 2;
  for (std::size_t i = 0; i < m; ++i) {
    double z = std::cos(kPi * (static_cast<double>(i) + 0.75) / (static_cast<double>(n) + 0.5));
    double pp = 0.0;
    for (int it = 0; it < 100; ++it) {
      double p1 = 1.0, p2 = 0.0;
      for (std::size_t j = 0; j < n; ++j) {
        const double p3 = p2;
        p2 = p1;
        p1 = ((2.0 * j + 1.0) * z * p2 - static_cast<double>(j) * p3) / (j + 1.0);
      }
      pp = static_cast<double>(n) * (z * p1 - p2) / (z * z - 1.0);
      const double z1 = z;
      z = z1 - p1 / pp;
      if (std::abs(z - z1) <= 1e-16) break;
    }
    r.nodes[i] = -z;
    r.nodes[n - 1 - i] = z;
    r.weights[i] = r.weights[n - 1 - i] = 2.0 / ((1.0 - z * z) * pp * pp);
  }
  return r;
}

const GaussRule& legendre8() {
  static const GaussRule rule = gauss_legendre(8);
  return rule;
}

// Calls visit(z, w) for the composite rule of E[f(z)], z ~ N(0, q): Gauss–Legendre-8
// panels in u = z/√q over [−10, 10], split at 0 so a kink or jump there costs no
// accuracy, ≤ 0.5 wide in z where |z| ≤ 40 and ≤ 0.25 wide in u everywhere.
template <class Visit>
void for_each_normal_node(double q, Visit&& visit) {
  const double s = std::sqrt(q);
  const GaussRule& gl = legendre8();
  auto panels = [&](double a, double b, std::size_t count) {
    const double h = (b - a) / static_cast<double>(count);
    for (std::size_t k = 0; k < count; ++k) {
      const double lo = a + h * static_cast<double>(k);
      const double mid = lo + 0.5 * h;
      for (std::size_t i = 0; i < gl.nodes.size(); ++i) {
        const double u = mid + 0.5 * h * gl.nodes[i];
        const double w = 0.5 * h * gl.weights[i] * kInvSqrt2Pi * std::exp(-0.5 * u * u);
        visit(s * u, w);
        visit(-s * u, w);
      }
    }
  };
  const double u_in = std::min(kUMax, kZFeature / s);
  const double h_in = std::min(kPanelU, kPanelZ / s);
  panels(0.0, u_in, static_cast<std::size_t>(std::ceil(u_in / h_in - 1e-9)));
  if (u_in < kUMax)
    panels(u_in, kUMax, static_cast<std::size_t>(std::ceil((kUMax - u_in) / kPanelU - 1e-9)));
}

bool is_piecewise_linear(Activation kind) {
  return kind == Activation::linear || kind == Activation::relu ||
         kind == Activation::leaky_relu || kind == Activation::softmax;
}

bool is_smooth(Activation kind) {
  return kind == Activation::sigmoid || kind == Activation::tanh || kind == Activation::gelu ||
         kind == Activation::softplus || kind == Activation::swish;
}

// E[φ²] / q for the piecewise-linear activations: exact for any symmetric z.
double piecewise_gain(const ActivationSpec& spec) {
  switch (spec.kind) {
    case Activation::relu: return 0.5;
    case Activation::leaky_relu: return 0.5 * (1.0 + spec.alpha * spec.alpha);
    default: return 1.0;  // linear; softmax treated as linear
  }
}

}  // namespace

GaussRule gauss_hermite(std::size_t n) {
  // Physicists' nodes x (weight e^{−x²}) by Newton on the orthonormal recurrence
  // p_j = x·√(2/j)·p_{j−1} − √((j−1)/j)·p_{j−2}, which never overflows; then u = √2·x
  // and weights/√π for N(0,1). Initial guesses from Numerical Recipes (gauher).
  GaussRule r;
  if (n == 0 || n > 150) return r;  // the initial guesses fail from n = 199 on
  const double pim4 = 0.75112554446494248286;  // π^(−1/4)
  std::vector<double> x(n, 0.0), w(n, 0.0);
  const std::size_t m = (n + 1) / 2;
  const double nd = static_cast<double>(n);
  double z = 0.0;
  for (std::size_t i = 0; i < m; ++i) {
    if (i == 0) z = std::sqrt(2.0 * nd + 1.0) - 1.85575 * std::pow(2.0 * nd + 1.0, -0.16667);
    else if (i == 1) z -= 1.14 * std::pow(nd, 0.426) / z;
    else if (i == 2) z = 1.86 * z - 0.86 * x[0];
    else if (i == 3) z = 1.91 * z - 0.91 * x[1];
    else z = 2.0 * z - x[i - 2];
    double pp = 0.0;
    for (int it = 0; it < 100; ++it) {
      double p1 = pim4, p2 = 0.0;
      for (std::size_t j = 1; j <= n; ++j) {
        const double p3 = p2;
        p2 = p1;
        p1 = z * std::sqrt(2.0 / j) * p2 - std::sqrt((j - 1.0) / j) * p3;
      }
      pp = std::sqrt(2.0 * nd) * p2;
      const double z1 = z;
      z = z1 - p1 / pp;
      if (std::abs(z - z1) <= 1e-15 * std::max(1.0, std::abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = w[n - 1 - i] = 2.0 / (pp * pp);
  }
  r.nodes.resize(n);
  r.weights.resize(n);
  for (std::size_t i = 0; i < n; ++i) {  // ascending
    r.nodes[i] = std::sqrt(2.0) * x[n - 1 - i];
    r.weights[i] = w[n - 1 - i] * kInvSqrtPi;
  }
  return r;
}

const GaussRule& gauss_hermite_60() {
  static const GaussRule rule = gauss_hermite(60);
  return rule;
}

double gaussian_expectation(const std::function<double(double)>& f, double q) {
  if (std::isnan(q) || std::isinf(q)) return kNaN;  // an overflowed q has no panels
  if (!(q > 0.0)) return f(0.0);
  double sum = 0.0;
  for_each_normal_node(q, [&](double z, double w) { sum += w * f(z); });
  return sum;
}

ActivationMoments activation_moments(const ActivationSpec& spec, double q) {
  ActivationMoments m;
  if (is_piecewise_linear(spec.kind)) {
    // z symmetric: E[relu(z)²] = q/2 whatever the law of z; the mean, the fourth moment
    // and E[φφ′z] = E[φ²] use the Gaussian law.
    const double alpha = spec.kind == Activation::leaky_relu ? spec.alpha
                         : spec.kind == Activation::relu     ? 0.0
                                                             : 1.0;
    const double g = piecewise_gain(spec);
    m.mean = (1.0 - alpha) * kInvSqrt2Pi * std::sqrt(std::max(q, 0.0));
    m.second = g * q;
    m.fourth = 1.5 * (1.0 + alpha * alpha * alpha * alpha) * q * q;
    m.deriv2 = g;
    m.slope = 1.0;
    m.exact = true;
    return m;
  }
  if (std::isnan(q) || std::isinf(q)) {  // an overflowed q has no panels
    m.mean = m.second = m.fourth = m.deriv2 = m.slope = kNaN;
    return m;
  }
  double s1 = 0.0, s2 = 0.0, s4 = 0.0, sd2 = 0.0, sx = 0.0;
  auto visit = [&](double z, double w) {
    const double a = activate<double>(spec, z);
    const double d = activate_derivative<double>(spec, z);
    const double a2 = a * a;
    s1 += w * a;
    s2 += w * a2;
    s4 += w * a2 * a2;
    sd2 += w * d * d;
    sx += w * a * d * z;
  };
  if (!(q > 0.0)) {
    visit(0.0, 1.0);
  } else if (is_smooth(spec.kind) && q <= kHermiteMaxQ) {
    const GaussRule& gh = gauss_hermite_60();
    const double s = std::sqrt(q);
    for (std::size_t i = 0; i < gh.nodes.size(); ++i) visit(s * gh.nodes[i], gh.weights[i]);
  } else {
    for_each_normal_node(q, visit);
  }
  m.mean = s1;
  m.second = s2;
  m.fourth = s4;
  m.deriv2 = sd2;
  // At q → 0: φ ≈ φ(0) + φ′(0)z, so E[φ²] is flat in q unless φ(0) = 0.
  if (s2 > 0.0 && q > 0.0) m.slope = sx / s2;
  else m.slope = activate<double>(spec, 0.0) == 0.0 ? 1.0 : 0.0;
  m.exact = false;
  return m;
}

std::optional<double> fixed_point_q(const ActivationSpec& spec, double chi, double sigma_b2) {
  if (is_piecewise_linear(spec.kind)) {
    const double c = chi * piecewise_gain(spec);
    if (c < 1.0) return sigma_b2 / (1.0 - c);
    return std::nullopt;  // grows without bound, or (c = 1, no bias) every q is fixed
  }
  auto g = [&](double q) { return chi * activation_moments(spec, q).second + sigma_b2 - q; };
  double lo = 0.0;
  if (!(g(0.0) > 0.0)) {
    // φ(0) = 0 and no bias: q = 0 is a fixed point; it is the stable one unless q grows
    // from just above it (tanh with χ > 1).
    lo = 1e-12;
    if (!(g(lo) > 0.0)) return 0.0;
  }
  double hi = std::max(1.0, 2.0 * lo);
  while (g(hi) > 0.0) {
    hi *= 2.0;
    if (hi > 1e12) return std::nullopt;
  }
  for (int it = 0; it < 200 && hi - lo > 1e-15 * hi; ++it) {
    const double mid = 0.5 * (lo + hi);
    (g(mid) > 0.0 ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

Status check_theory_layers(const std::vector<TheoryLayer>& layers, double input_second_moment) {
  if (!std::isfinite(input_second_moment) || input_second_moment < 0.0)
    return make_error("input_second_moment", "must be a finite number >= 0, got " +
                                                 std::to_string(input_second_moment));
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const TheoryLayer& L = layers[l];
    const std::string at = "layers[" + std::to_string(l) + "].";
    if (L.fan_in == 0) return make_error(at + "fan_in", "must be at least 1, got 0");
    if (L.fan_out == 0) return make_error(at + "fan_out", "must be at least 1, got 0");
    if (l > 0 && L.fan_in != layers[l - 1].fan_out)
      return make_error(at + "fan_in", "must equal the previous layer's fan_out " +
                                           std::to_string(layers[l - 1].fan_out) + ", got " +
                                           std::to_string(L.fan_in));
    if (!std::isfinite(L.weight_second_moment) || L.weight_second_moment < 0.0)
      return make_error(at + "weight_second_moment", "must be a finite number >= 0, got " +
                                                         std::to_string(L.weight_second_moment));
    if (!std::isfinite(L.bias_second_moment) || L.bias_second_moment < 0.0)
      return make_error(at + "bias_second_moment", "must be a finite number >= 0, got " +
                                                       std::to_string(L.bias_second_moment));
    if (L.activation.kind == Activation::softmax && l + 1 != layers.size())
      return make_error(at + "activation", "softmax is allowed on the output layer only");
    if (L.normalization && L.fan_in != L.fan_out)
      return make_error(at + "fan_out", "must equal fan_in for a normalization layer, got " +
                                            std::to_string(L.fan_out));
    if (L.batch_norm && (!L.normalization || L.batch_rows < 1))
      return make_error(at + "batch_rows", "must be >= 1 for a batch normalization layer, got " +
                                               std::to_string(L.batch_rows));
    if (L.normalization && !(L.epsilon >= 0.0 && std::isfinite(L.epsilon)))
      return make_error(at + "epsilon", "must be a finite number >= 0, got " +
                                            std::to_string(L.epsilon));
  }
  return std::nullopt;
}

namespace {

// A LayerNorm step on rows of variance v (mean-field): E[z²] = v/(v + ε), then
// E[a²] = σ²_gain·E[z²] + σ²_shift; backward dL/dx has E[(dL/dz)²]·keep/(v + ε).
struct NormStep {
  double v_eps = 0, ratio = 0, a2 = 0;
  double back(double dz2, double width) const {
    const double keep = std::max(0.0, 1.0 - (1.0 + ratio * (2.0 - ratio)) / width);
    return v_eps > 0.0 ? dz2 * keep / v_eps : kNaN;
  }
};
NormStep norm_step(double v, double epsilon, double gain2, double shift2) {
  NormStep s;
  s.v_eps = std::max(0.0, v) + epsilon;
  s.ratio = s.v_eps > 0.0 ? std::max(0.0, v) / s.v_eps : 0.0;
  s.a2 = gain2 * s.ratio + shift2;
  return s;
}

// Moments of φ(u) for u ~ N(mean, second − mean²): a block's input keeps the mean of the
// layer before (a relu layer's is not 0). Zero mean: activation_moments.
ActivationMoments shifted_moments(const ActivationSpec& spec, double mean, double second) {
  if (mean == 0.0 || !std::isfinite(mean)) return activation_moments(spec, second);
  const double var = std::max(0.0, second - mean * mean);
  ActivationMoments m;
  auto visit = [&](double z, double w) {
    const double a = activate<double>(spec, z + mean);
    const double d = activate_derivative<double>(spec, z + mean);
    m.mean += w * a;
    m.second += w * a * a;
    m.fourth += w * a * a * a * a;
    m.deriv2 += w * d * d;
  };
  if (var > 0.0) for_each_normal_node(var, visit);
  else visit(0.0, 1.0);
  m.slope = 1.0;
  m.exact = false;
  return m;
}

// What a block's forward step leaves for its backward step.
struct BlockState {
  ActivationMoments h, z1, t;  // of φ at the branch's input, W1's output, the sum
  NormStep norm;
};

}  // namespace

TheoryResult propagate(const std::vector<TheoryLayer>& layers, double input_second_moment,
                       double output_grad_second_moment, double input_row_variance,
                       double input_column_variance) {
  TheoryResult out;
  const std::size_t n = layers.size();
  out.layers.resize(n);
  out.chi1_last = kNaN;
  std::vector<ActivationMoments> mom(n);
  std::vector<double> row_var(n, 0.0);  // a normalization layer's v + ε
  double a2_prev = input_second_moment;
  double log_s_var = 0.0;  // Var[log s_l], s_l = conditional variance of z_l given a_{l−1}
  bool exact = true;
  std::vector<BlockState> blocks(n);
  // Runs of post-activation blocks without norm: their unit chain (theory_chain.hpp).
  struct ChainRun {
    std::size_t first, last;
    UnitChain chain;
  };
  std::vector<ChainRun> chains;
  std::vector<std::size_t> chain_top(n, n);  // a run's last layer: the run's index
  for (std::size_t l = 0; l < n; ++l) {
    const TheoryLayer& L = layers[l];
    TheoryLayerResult& r = out.layers[l];
    if (L.block) {
      const TheoryBlock& B = *L.block;
      BlockState& st = blocks[l];
      const double width = static_cast<double>(L.fan_in);
      const double mean_in = l == 0 ? 0.0 : mom[l - 1].mean;
      // x's rows' variance (the probe's for a first layer, as a LayerNorm layer's).
      const double v_x = l == 0 ? (std::isnan(input_row_variance) ? input_second_moment : input_row_variance)
                                : (1.0 - 1.0 / width) * (a2_prev - mean_in * mean_in);
      double h2 = a2_prev, h_mean = mean_in;
      if (B.norm == TheoryBlock::Norm::pre) {
        st.norm = norm_step(v_x, B.norm_epsilon, B.norm_gain, B.norm_shift);
        h2 = st.norm.a2;
        h_mean = B.norm_shift_mean;
      }
      double p2 = h2;
      if (!B.post_activation) {
        st.h = shifted_moments(L.activation, h_mean, h2);
        p2 = st.h.second;
      }
      double qf = width * B.w1 * p2 + B.b1;
      if (B.branch == 2) {
        st.z1 = activation_moments(L.activation, qf);
        qf = static_cast<double>(B.hidden) * B.w2 * st.z1.second + B.b2;
      }
      const double s2 = a2_prev + B.alpha * B.alpha * qf;
      double t2 = s2, t_mean = mean_in;
      // A linear φ passes no mask: its closed form is already exact.
      const bool chained = B.post_activation && B.norm == TheoryBlock::Norm::none &&
                           L.activation.kind != Activation::linear;
      if (chained) {
        if (chains.empty() || chains.back().last + 1 != l) {
          // State 0: the dense layer before's z (its φ's masks ride on the skip path too),
          // else x itself, Gaussian with x's mean and variance.
          const bool dense_before = l > 0 && !layers[l - 1].normalization && !layers[l - 1].block;
          chains.push_back(dense_before
                               ? ChainRun{l, l, UnitChain(0.0, out.layers[l - 1].q, layers[l - 1].activation)}
                               : ChainRun{l, l, UnitChain(mean_in, std::max(0.0, a2_prev - mean_in * mean_in),
                                                          ActivationSpec{Activation::linear, 0.0})});
        }
        // The branch's backward gain: dL/df = α·dL/ds through W2, φ'(z1) and W1.
        const double c = B.branch == 2 ? width * B.w2 * st.z1.deriv2 * static_cast<double>(B.hidden) * B.w1
                                       : width * B.w1;
        ChainRun& run = chains.back();
        if (run.last + 1 == l) chain_top[run.last] = n;
        run.last = l;
        chain_top[l] = chains.size() - 1;
        run.chain.step(B.alpha * B.alpha * qf, B.alpha * B.alpha * c, L.activation);
      }
      if (B.norm == TheoryBlock::Norm::post) {
        // s's rows: x's variance plus the branch's (zero mean, independent of x).
        st.norm = norm_step(v_x + (1.0 - 1.0 / width) * B.alpha * B.alpha * qf, B.norm_epsilon,
                            B.norm_gain, B.norm_shift);
        t2 = st.norm.a2;
        t_mean = B.norm_shift_mean;
      }
      r.q = qf;
      r.a2 = t2;
      r.a_mean = t_mean;
      if (chained) {
        r.a2 = chains.back().chain.second();
        r.a_mean = chains.back().chain.mean();
      } else if (B.post_activation) {
        st.t = shifted_moments(L.activation, t_mean, t2);
        r.a2 = st.t.second;
        r.a_mean = st.t.mean;
      }
      // The spread of one draw: the measurement's 2/n (the branch's own draws are not
      // followed).
      r.log_q_var = 2.0 / width;
      const double root_q = std::sqrt(r.q), half_sd = 0.5 * std::sqrt(r.log_q_var);
      r.band_lo = root_q * std::exp(-half_sd);
      r.band_hi = root_q * std::exp(half_sd);
      exact = exact && L.activation.kind == Activation::linear && B.norm == TheoryBlock::Norm::none;
      r.exact = exact;
      // As an activation for what follows: dz is dL/d(out) already (E[φ'²] → 1), and a
      // Gaussian's fourth moment.
      mom[l] = ActivationMoments{r.a_mean, r.a2, 3.0 * r.a2 * r.a2, 1.0, 1.0, r.exact};
      log_s_var = 0.0;
      a2_prev = r.a2;
      continue;
    }
    if (L.normalization) {
      // Statistics over the row's features (LayerNorm) or the feature's batch (BatchNorm).
      const double width = static_cast<double>(L.batch_norm ? L.batch_rows : L.fan_in);
      const double given = L.batch_norm ? input_column_variance : input_row_variance;
      double v = l == 0 ? (std::isnan(given) ? input_second_moment : given)
                        : (1.0 - 1.0 / width) * (a2_prev - mom[l - 1].mean * mom[l - 1].mean);
      v = std::max(0.0, v);
      row_var[l] = v + L.epsilon;
      r.q = row_var[l] > 0.0 ? v / row_var[l] : 0.0;
      r.a2 = L.weight_second_moment * r.q + L.bias_second_moment;
      r.a_mean = L.bias_mean;
      r.log_q_var = 0.0;
      r.band_lo = r.band_hi = std::sqrt(r.q);
      // As an activation for what follows: no spread (E[a⁴] = E[a²]²), and dL/dz =
      // gain·dL/da (E[φ'²] → σ²_gain).
      mom[l] = ActivationMoments{r.a_mean, r.a2, r.a2 * r.a2, L.weight_second_moment, 0.0, false};
      exact = false;
      r.exact = false;
      log_s_var = 0.0;
      a2_prev = r.a2;
      continue;
    }
    const double chi = static_cast<double>(L.fan_in) * L.weight_second_moment;
    r.q = chi * a2_prev + L.bias_second_moment;

    // Finite width, one input, Gaussian weights and biases: given a_{l−1} the units of
    // z_l are i.i.d. N(0, s_l) with s_l = σ²_w·Σφ(z_{l−1})² + σ²_b. The sum over n_{l−1}
    // units has relative variance κ/n_{l−1}, κ = E[φ⁴]/E[φ²]² − 1 (2 linear, 5 relu),
    // and passes the earlier log-variance on with elasticity β = ω·d log E[φ²]/d log q,
    // where ω = χE[φ²]/s is the weight share of s (delta method). Measuring q̂ as the mean
    // of z² over the n_l units adds 2/n_l. The input layer's s is fixed.
    if (l > 0 && layers[l - 1].normalization) {
      log_s_var = 0.0;  // its rows' second moment is fixed by the normalization
    } else if (l > 0) {
      const ActivationMoments& p = mom[l - 1];
      if (r.q > 0.0 && p.second > 0.0) {
        const double omega = chi * p.second / r.q;
        const double beta = omega * p.slope;
        const double kappa = p.fourth / (p.second * p.second) - 1.0;
        log_s_var = beta * beta * log_s_var +
                    omega * omega * kappa / static_cast<double>(layers[l - 1].fan_out);
      } else {
        log_s_var = 0.0;
      }
    }
    r.log_q_var = log_s_var + 2.0 / static_cast<double>(L.fan_out);
    const double root_q = std::sqrt(r.q), half_sd = 0.5 * std::sqrt(r.log_q_var);
    r.band_lo = root_q * std::exp(-half_sd);
    r.band_hi = root_q * std::exp(half_sd);

    mom[l] = activation_moments(L.activation, r.q);
    r.a2 = mom[l].second;
    r.a_mean = mom[l].mean;
    exact = exact && mom[l].exact;
    if (L.activation.kind == Activation::softmax) {
      // Rows sum to 1, so the mean is exact. For wide layers a_i ≈ e^{z_i}/(n·E[e^z]),
      // giving E[a²] ≈ e^q/n²; Σa² lies in [1/n, 1], hence the clamp.
      const double k = static_cast<double>(L.fan_out);
      r.a_mean = 1.0 / k;
      r.a2 = std::clamp(std::exp(r.q) / (k * k), 1.0 / (k * k), 1.0 / k);
      exact = false;
    }
    r.exact = exact;
    a2_prev = r.a2;
  }

  if (n == 0) return out;
  out.layers[n - 1].grad2 = output_grad_second_moment;
  for (std::size_t l = n - 1; l > 0; --l) {
    const TheoryLayer& L = layers[l];
    if (chain_top[l] < n) {
      // A run of chained blocks at once: dL/d out_k = U_{k+1}·(1 + β_{k+1}) below its top.
      const ChainRun& run = chains[chain_top[l]];
      const std::vector<double> u = run.chain.backward(out.layers[l].grad2);
      for (std::size_t k = 1; k + 1 < u.size(); ++k) {
        out.layers[run.first + k - 1].grad2 = u[k + 1] * (1.0 + run.chain.beta(k + 1));
      }
      if (run.first == 0) break;
      const std::size_t before = run.first - 1;
      const bool dense_before = !layers[before].normalization && !layers[before].block;
      out.layers[before].grad2 = dense_before ? u[0] : mom[before].deriv2 * u[0];
      l = run.first;
      continue;
    }
    if (L.block) {
      const TheoryBlock& B = *L.block;
      const BlockState& st = blocks[l];
      const double width = static_cast<double>(L.fan_in);
      double g = out.layers[l].grad2;  // E[(dL/d out)²]
      if (B.post_activation) g *= st.t.deriv2;
      if (B.norm == TheoryBlock::Norm::post) g = st.norm.back(B.norm_gain * g, width);
      const double g_s = g;  // dL/ds: the skip path's share
      double gb = B.alpha * B.alpha * g_s;  // dL/df
      if (B.branch == 2) gb = width * B.w2 * gb * st.z1.deriv2;  // dL/dz1
      gb *= static_cast<double>(B.branch == 2 ? B.hidden : L.fan_in) * B.w1;  // dL/dp
      if (!B.post_activation) gb *= st.h.deriv2;
      if (B.norm == TheoryBlock::Norm::pre) gb = st.norm.back(B.norm_gain * gb, width);
      out.layers[l - 1].grad2 = mom[l - 1].deriv2 * (g_s + gb);
      continue;
    }
    if (L.normalization) {
      const double width = static_cast<double>(L.batch_norm ? L.batch_rows : L.fan_in);
      const double ratio = out.layers[l].q;
      const double keep = 1.0 - (1.0 + ratio * (2.0 - ratio)) / width;
      out.layers[l - 1].grad2 = row_var[l] > 0.0 ? mom[l - 1].deriv2 * out.layers[l].grad2 *
                                                        std::max(0.0, keep) / row_var[l]
                                                  : kNaN;
      continue;
    }
    out.layers[l - 1].grad2 = static_cast<double>(L.fan_out) * L.weight_second_moment *
                              mom[l - 1].deriv2 * out.layers[l].grad2;
  }
  // χ₁ is the order/chaos indicator of a dense layer: none before a normalization layer.
  if (n >= 2 && !layers[n - 2].normalization && !layers[n - 2].block) {
    const TheoryLayer& h = layers[n - 2];
    out.chi1_last = static_cast<double>(h.fan_in) * h.weight_second_moment * mom[n - 2].deriv2;
  }
  return out;
}

}  // namespace initscope
