#include "initscope/activation.hpp"

#include <cmath>
#include <limits>
#include <type_traits>

#include "simd_math.hpp"

namespace initscope {

// ---------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------

const std::vector<ActivationInfo>& activations() {
  static const std::vector<ActivationInfo> table = {
      {Activation::linear, "linear", "φ(z) = z", "φ′(z) = 1", {}, false, false, false,
       "Identity: no nonlinearity. Variance propagates exactly as through the weights."},
      {Activation::sigmoid, "sigmoid", "σ(z) = 1 / (1 + e⁻ᶻ)", "σ′(z) = σ(z)·(1 − σ(z))", {},
       true, false, false,
       "Logistic function. Saturates at 0 and 1, its slope is at most 1/4, and its output "
       "is not centred at 0."},
      {Activation::tanh, "tanh", "tanh(z) = (eᶻ − e⁻ᶻ) / (eᶻ + e⁻ᶻ)", "tanh′(z) = 1 − tanh²(z)",
       {}, true, false, false,
       "Hyperbolic tangent. Centred at 0 with slope 1 there; saturates at −1 and 1."},
      {Activation::relu, "relu", "φ(z) = max(0, z)", "φ′(z) = 1 if z > 0, else 0", {}, false,
       true, false,
       "Rectified linear unit. Halves the second moment of a symmetric input; a unit whose "
       "input is negative on the whole batch is dead (zero gradient). φ′(0) = 0, as in PyTorch."},
      {Activation::leaky_relu, "leaky_relu", "φ(z) = z if z > 0, else α·z",
       "φ′(z) = 1 if z > 0, else α",
       {number_param("alpha", leaky_relu_default_alpha, 0, 1,
                     "slope for z < 0 (PyTorch's default 0.01; Keras's LeakyReLU defaults to 0.3)")},
       false, true, false,
       "ReLU with a small slope α for negative inputs, so no unit is completely dead. "
       "The default α = 0.01 is PyTorch's (Keras uses 0.3)."},
      {Activation::elu, "elu", "φ(z) = z if z > 0, else α·(eᶻ − 1)",
       "φ′(z) = 1 if z > 0, else α·eᶻ",
       {number_param("alpha", elu_default_alpha, 0, 10,
                     "−α is the value approached as z → −∞ (default 1)", true)},
       false, false, false,
       "Exponential linear unit (Clevert et al. 2015): smooth for α = 1, negative outputs "
       "push the mean activation toward 0."},
      {Activation::selu, "selu", "φ(z) = λ·z if z > 0, else λ·α·(eᶻ − 1)   (λ ≈ 1.0507, α ≈ 1.6733)",
       "φ′(z) = λ if z > 0, else λ·α·eᶻ", {}, false, false, false,
       "Scaled ELU (Klambauer et al. 2017). With LeCun-normal weights, mean 0 and variance 1 "
       "are a stable fixed point of the layer map."},
      {Activation::gelu, "gelu", "φ(z) = z·Φ(z) = ½·z·(1 + erf(z/√2))",
       "φ′(z) = Φ(z) + z·e^(−z²/2)/√(2π)", {}, false, false, false,
       "Gaussian error linear unit (Hendrycks and Gimpel 2016), the exact erf form (not the "
       "tanh approximation). Φ is the standard normal CDF."},
      {Activation::softplus, "softplus", "φ(z) = ln(1 + eᶻ)", "φ′(z) = σ(z)", {}, false, false,
       false,
       "A smooth ReLU. Computed as max(z, 0) + ln(1 + e^(−|z|)), which never overflows."},
      {Activation::swish, "swish", "φ(z) = z·σ(z)", "φ′(z) = σ(z)·(1 + z·(1 − σ(z)))", {}, false,
       false, false,
       "Swish / SiLU (Ramachandran et al. 2017): smooth, non-monotonic, slightly negative "
       "for z < 0."},
      {Activation::softmax, "softmax", "aᵢ = e^(zᵢ) / Σⱼ e^(zⱼ)", "∂aᵢ/∂zⱼ = aᵢ·(δᵢⱼ − aⱼ)",
       {}, false, false, true,
       "Normalizes each row into probabilities; output layer only, paired with the "
       "cross-entropy loss. Computed with the row maximum subtracted, so it never overflows."},
  };
  return table;
}

const ActivationInfo& activation_info(Activation kind) {
  return activations()[static_cast<std::size_t>(kind)];
}

const ActivationInfo* find_activation(const std::string& name) {
  return find_by_name(activations(), name);
}

ActivationSpec activation_spec(Activation kind) {
  ActivationSpec spec;
  spec.kind = kind;
  for (const auto& p : activation_info(kind).params)
    if (p.name == "alpha") spec.alpha = p.default_value;
  return spec;
}


Status parse_activation(const nlohmann::json& value, const std::string& path,
                        ActivationSpec& out) {
  const std::vector<std::string> names = names_of(activations());
  const NamedSpelling spelling{names,
                               "an activation name (one of " + join(names) +
                                   ") or an object {\"name\": ...}",
                               "", ""};
  std::string name;
  nlohmann::json object;
  if (auto e = parse_named(value, path, spelling, name, object)) return e;
  const ActivationInfo* info = find_activation(name);
  Params params;
  if (auto e = parse_params(object, info->params, path, {"name"}, params)) return e;
  out = activation_spec(info->kind);
  if (params.numbers.count("alpha")) out.alpha = params.number("alpha");
  return std::nullopt;
}

nlohmann::json activation_to_json(const ActivationSpec& spec) {
  const ActivationInfo& info = activation_info(spec.kind);
  if (info.params.empty()) return info.name;
  nlohmann::json j = {{"name", info.name}};
  for (const auto& p : info.params)
    if (p.name == "alpha") j["alpha"] = spec.alpha;
  return j;
}

nlohmann::json activations_schema() {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& info : activations()) {
    arr.push_back({{"name", info.name},
                   {"formula", info.formula},
                   {"derivative", info.derivative},
                   {"doc", info.doc},
                   {"params", params_schema(info.params)},
                   {"saturating", info.saturating},
                   {"canDie", info.can_die},
                   {"outputOnly", info.output_only}});
  }
  return arr;
}

// ---------------------------------------------------------------------------------------
// Element-wise kinds: one small functor each with value() and deriv(), so the batched
// loops below switch on the kind once and then run a branch-free body per element.
// ---------------------------------------------------------------------------------------

namespace {

// σ(z) and σ(−z) = 1 − σ(z) from one exp of a non-positive number: never overflows, and
// each of the pair keeps full relative precision (1 − σ(z) would cancel for large z).
template <class T>
struct SigmoidPair {
  T pos, neg;
  explicit SigmoidPair(T z) {
    const T e = std::exp(-std::abs(z));
    const T r = T(1) / (T(1) + e);
    pos = z >= T(0) ? r : e * r;
    neg = z >= T(0) ? e * r : r;
  }
};

template <class T> struct Linear {
  T value(T z) const { return z; }
  T deriv(T) const { return T(1); }
};
template <class T> struct Sigmoid {
  T value(T z) const { return SigmoidPair<T>(z).pos; }
  T deriv(T z) const {
    SigmoidPair<T> s(z);
    return s.pos * s.neg;
  }
};
template <class T> struct Tanh {
  T value(T z) const { return std::tanh(z); }
  // sech²(z) = 4e/(1 + e)² with e = e^(−2|z|): exact where 1 − tanh² would cancel.
  T deriv(T z) const {
    const T e = std::exp(T(-2) * std::abs(z));
    const T d = T(1) + e;
    return T(4) * e / (d * d);
  }
};
template <class T> struct Relu {
  T value(T z) const { return z < T(0) ? T(0) : z; }  // NaN passes through
  T deriv(T z) const { return z > T(0) ? T(1) : T(0); }
};
template <class T> struct LeakyRelu {
  T alpha;
  T value(T z) const { return z < T(0) ? alpha * z : z; }
  T deriv(T z) const { return z > T(0) ? T(1) : alpha; }
};
template <class T> struct Elu {
  T alpha, scale;  // selu is elu with fixed alpha and an outer scale
  T value(T z) const { return scale * (z > T(0) ? z : alpha * std::expm1(z)); }
  T deriv(T z) const { return z > T(0) ? scale : scale * alpha * std::exp(z); }
};
template <class T> struct Gelu {
  // Φ(z) = ½·erfc(−z/√2): accurate in the left tail, where 1 + erf(z/√2) would cancel.
  T value(T z) const { return T(0.5) * z * std::erfc(-z * T(0.70710678118654752440)); }
  T deriv(T z) const {
    return T(0.5) * std::erfc(-z * T(0.70710678118654752440)) +
           z * std::exp(T(-0.5) * z * z) * T(0.39894228040143267794);
  }
};
template <class T> struct Softplus {
  T value(T z) const { return (z > T(0) ? z : T(0)) + std::log1p(std::exp(-std::abs(z))); }
  T deriv(T z) const { return SigmoidPair<T>(z).pos; }
};
template <class T> struct Swish {
  T value(T z) const { return z * SigmoidPair<T>(z).pos; }
  T deriv(T z) const {
    SigmoidPair<T> s(z);
    return s.pos * (T(1) + z * s.neg);
  }
};
template <class T> struct NotElementwise {  // softmax
  T value(T) const { return std::numeric_limits<T>::quiet_NaN(); }
  T deriv(T) const { return std::numeric_limits<T>::quiet_NaN(); }
};

template <class T, class Fn>
auto with_kind(const ActivationSpec& spec, Fn&& fn) {
  const T alpha = static_cast<T>(spec.alpha);
  switch (spec.kind) {
    case Activation::linear: return fn(Linear<T>{});
    case Activation::sigmoid: return fn(Sigmoid<T>{});
    case Activation::tanh: return fn(Tanh<T>{});
    case Activation::relu: return fn(Relu<T>{});
    case Activation::leaky_relu: return fn(LeakyRelu<T>{alpha});
    case Activation::elu: return fn(Elu<T>{alpha, T(1)});
    case Activation::selu: return fn(Elu<T>{T(selu_alpha), T(selu_scale)});
    case Activation::gelu: return fn(Gelu<T>{});
    case Activation::softplus: return fn(Softplus<T>{});
    case Activation::swish: return fn(Swish<T>{});
    case Activation::softmax: break;
  }
  return fn(NotElementwise<T>{});
}

// The float path, 4 lanes at a time through simd_math.hpp (std::tanh alone is a quarter
// of a tanh network's step; a relu written with a branch mispredicts on every other
// element). Calls fn(value, derivative), two f32x4 → f32x4 kernels, and returns true for
// those kinds; elu, selu and softplus keep the plain loops on std::expm1/std::log1p. The
// scalar activate<float> goes through the same kernels, so the element-wise and batched
// paths agree bit for bit.
template <class Fn>
bool with_vector_kind(const ActivationSpec& spec, Fn&& fn) {
  using simd::f32x4;
  switch (spec.kind) {
    // Branch-free selects: a branch on the sign of z mispredicts half the time.
    case Activation::linear:
      fn([](f32x4 z) { return z; }, [](f32x4) { return f32x4{} + 1.0f; });
      return true;
    case Activation::relu:  // NaN passes through the value; φ'(0) = 0
      fn([](f32x4 z) { return simd::select(z < 0.0f, f32x4{}, z); },
         [](f32x4 z) { return simd::select(z > 0.0f, f32x4{} + 1.0f, f32x4{}); });
      return true;
    case Activation::leaky_relu: {
      const float alpha = static_cast<float>(spec.alpha);
      fn([alpha](f32x4 z) { return simd::select(z < 0.0f, alpha * z, z); },
         [alpha](f32x4 z) { return simd::select(z > 0.0f, f32x4{} + 1.0f, f32x4{} + alpha); });
      return true;
    }
    case Activation::sigmoid:
      fn([](f32x4 z) { return simd::sigmoid_pair(z).pos; },
         [](f32x4 z) {
           const simd::SigmoidPair s = simd::sigmoid_pair(z);
           return s.pos * s.neg;
         });
      return true;
    case Activation::tanh:
      fn([](f32x4 z) { return simd::tanh(z); }, [](f32x4 z) { return simd::tanh_derivative(z); });
      return true;
    case Activation::gelu:
      fn([](f32x4 z) { return simd::gelu(z); }, [](f32x4 z) { return simd::gelu_derivative(z); });
      return true;
    case Activation::swish:
      fn([](f32x4 z) { return z * simd::sigmoid_pair(z).pos; },
         [](f32x4 z) {
           const simd::SigmoidPair s = simd::sigmoid_pair(z);
           return s.pos * (1.0f + z * s.neg);
         });
      return true;
    default:
      return false;
  }
}

// Row-wise softmax with the row maximum subtracted: every exp argument is <= 0.
template <class T>
void softmax_forward(const T* z, T* a, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const T* zr = z + r * cols;  // (cols)
    T* ar = a + r * cols;
    T m = zr[0];
    for (std::size_t j = 1; j < cols; ++j) m = zr[j] > m ? zr[j] : m;
    if constexpr (std::is_same_v<T, float>) {
      const float mf = m;
      simd::map(zr, ar, cols, [mf](simd::f32x4 v) { return simd::exp(v - mf); });
    } else {
      for (std::size_t j = 0; j < cols; ++j) ar[j] = std::exp(zr[j] - m);
    }
    T sum = 0;
    for (std::size_t j = 0; j < cols; ++j) sum += ar[j];
    const T inv = T(1) / sum;
    for (std::size_t j = 0; j < cols; ++j) ar[j] *= inv;
  }
}

// Jacobian-vector product per row: gz = a ⊙ (ga − ⟨a, ga⟩).
template <class T>
void softmax_backward(const T* a, const T* ga, T* gz, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    const T* ar = a + r * cols;
    const T* gr = ga + r * cols;
    T* out = gz + r * cols;
    T dot = 0;
    for (std::size_t j = 0; j < cols; ++j) dot += ar[j] * gr[j];
    for (std::size_t j = 0; j < cols; ++j) out[j] = ar[j] * (gr[j] - dot);
  }
}

}  // namespace

template <class T> T activate(const ActivationSpec& spec, T z) {
  if constexpr (std::is_same_v<T, float>) {
    float out = 0;
    if (with_vector_kind(spec, [&](auto value, auto) { out = simd::one(z, value); }))
      return out;
  }
  return with_kind<T>(spec, [z](auto f) { return f.value(z); });
}

template <class T> T activate_derivative(const ActivationSpec& spec, T z) {
  if constexpr (std::is_same_v<T, float>) {
    float out = 0;
    if (with_vector_kind(spec, [&](auto, auto deriv) { out = simd::one(z, deriv); }))
      return out;
  }
  return with_kind<T>(spec, [z](auto f) { return f.deriv(z); });
}

template <class T>
void activation_forward(const ActivationSpec& spec, const T* z, T* a, std::size_t rows,
                        std::size_t cols) {
  if (spec.kind == Activation::softmax) return softmax_forward(z, a, rows, cols);
  const std::size_t n = rows * cols;
  if constexpr (std::is_same_v<T, float>) {
    if (with_vector_kind(spec, [&](auto value, auto) { simd::map(z, a, n, value); })) return;
  }
  with_kind<T>(spec, [&](auto f) {
    for (std::size_t i = 0; i < n; ++i) a[i] = f.value(z[i]);
  });
}

template <class T>
void activation_backward(const ActivationSpec& spec, const T* z, const T* a, const T* grad_a,
                         T* grad_z, std::size_t rows, std::size_t cols) {
  if (spec.kind == Activation::softmax) return softmax_backward(a, grad_a, grad_z, rows, cols);
  const std::size_t n = rows * cols;
  if constexpr (std::is_same_v<T, float>) {
    if (with_vector_kind(spec, [&](auto, auto deriv) {
          simd::map2(z, grad_a, grad_z, n, [&](simd::f32x4 zv, simd::f32x4 g) { return g * deriv(zv); });
        }))
      return;
  }
  with_kind<T>(spec, [&](auto f) {
    for (std::size_t i = 0; i < n; ++i) grad_z[i] = grad_a[i] * f.deriv(z[i]);
  });
}

#define INITSCOPE_INSTANTIATE(T)                                                             \
  template T activate<T>(const ActivationSpec&, T);                                          \
  template T activate_derivative<T>(const ActivationSpec&, T);                               \
  template void activation_forward<T>(const ActivationSpec&, const T*, T*, std::size_t,     \
                                      std::size_t);                                          \
  template void activation_backward<T>(const ActivationSpec&, const T*, const T*, const T*, \
                                       T*, std::size_t, std::size_t);
INITSCOPE_INSTANTIATE(float)
INITSCOPE_INSTANTIATE(double)
#undef INITSCOPE_INSTANTIATE

}  // namespace initscope
