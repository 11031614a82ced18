#include "initscope/loss.hpp"

#include <algorithm>
#include <cmath>
#include <type_traits>

#include <xtensor/xoperation.hpp>

#include "initscope/params.hpp"
#include "simd_math.hpp"

namespace initscope {

const std::vector<LossInfo>& losses() {
  static const std::vector<LossInfo> table = {
      {Loss::mse, "mse", "L = (1/(N·K)) Σₙₖ (aₙₖ − yₙₖ)²",
       "Mean squared error over all N·K outputs, as Keras. Works with any output activation; "
       "its gradient 2(a − y)/(N·K) flows back through the output activation.",
       Activation::linear, true},
      {Loss::bce, "bce", "L = (1/N) Σₙ [max(zₙ, 0) − zₙ·yₙ + ln(1 + e^(−|zₙ|))]",
       "Binary cross-entropy −[y·ln σ(z) + (1 − y)·ln(1 − σ(z))] for a sigmoid output, "
       "computed from its logit z so that it stays finite for any z; dL/dz = (σ(z) − y)/N.",
       Activation::sigmoid, false},
      {Loss::cross_entropy, "cross_entropy", "L = (1/N) Σₙ Σₖ yₙₖ·(ln Σⱼ e^(zₙⱼ) − zₙₖ)",
       "Categorical cross-entropy −Σₖ yₖ·ln softmaxₖ(z) for a softmax output and one-hot "
       "targets, computed from the logits with the row maximum subtracted; "
       "dL/dz = (softmax(z) − y)/N.",
       Activation::softmax, false},
  };
  return table;
}

const LossInfo* find_loss(const std::string& name) {
  return find_by_name(losses(), name);
}

Status parse_loss(const nlohmann::json& value, const std::string& path, Loss& out) {
  const LossInfo* info =
      value.is_string() ? find_loss(value.get_ref<const std::string&>()) : nullptr;
  if (!info) {
    return make_error(path, show_value(value) + " is not allowed; expected one of " +
                                join(names_of(losses())));
  }
  out = info->kind;
  return std::nullopt;
}

nlohmann::json losses_schema() {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& info : losses()) {
    arr.push_back({{"name", info.name},
                   {"formula", info.formula},
                   {"doc", info.doc},
                   {"requiredOutput", info.any_output
                                          ? nlohmann::json(nullptr)
                                          : nlohmann::json(activation_info(info.required_output).name)},
                   {"anyOutput", info.any_output}});
  }
  return arr;
}

int output_units(Loss loss, int num_classes) {
  switch (loss) {
    case Loss::bce: return num_classes == 2 ? 1 : 0;
    case Loss::cross_entropy: return num_classes;
    case Loss::mse: return num_classes > 2 ? num_classes : 1;
  }
  return 0;
}

bool loss_grad_is_logit(Loss kind) { return kind != Loss::mse; }

namespace {

// Each kernel returns the mean loss and, when Grad, writes the gradient of that mean.
// All arithmetic is in double; only the gradient is stored back as T. For float data the
// kernels run two elements at a time (simd_math.hpp's double exp and log1p, a few ulp of
// std's): the same formulas, sums in two interleaved partial sums, one code for native
// and wasm. Double data (the gradient checks) keeps the scalar std:: loops.

using simd::f64x2;

inline f64x2 pair(const float* p) { return f64x2{p[0], p[1]}; }
inline void store_pair(float* p, f64x2 v) {
  p[0] = static_cast<float>(v[0]);
  p[1] = static_cast<float>(v[1]);
}

// The pairs of n elements, then a last odd one through a pair padded with zeros (its
// second lane is dropped): f(x, y, g) returns the loss terms of two elements and sets
// their gradient g. Four pairs per iteration, into four partial sums: the kernels are
// long dependent chains (a degree-12 polynomial), and independent pairs side by side let
// the processor overlap them. The partial sums are combined in a fixed order.
template <bool Grad, class F>
double pairwise(const float* x, const float* y, std::size_t n, float* grad, F f) {
  f64x2 acc[4] = {};
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    f64x2 g[4];
    for (std::size_t k = 0; k < 4; ++k) acc[k] += f(pair(x + i + 2 * k), pair(y + i + 2 * k), g[k]);
    if (Grad)
      for (std::size_t k = 0; k < 4; ++k) store_pair(grad + i + 2 * k, g[k]);
  }
  for (; i + 2 <= n; i += 2) {
    f64x2 g;
    acc[0] += f(pair(x + i), pair(y + i), g);
    if (Grad) store_pair(grad + i, g);
  }
  const f64x2 total = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  double sum = total[0] + total[1];
  if (i < n) {
    f64x2 g;
    const f64x2 terms = f(f64x2{x[i], 0.0}, f64x2{y[i], 0.0}, g);
    sum += terms[0];
    if (Grad) grad[i] = static_cast<float>(g[0]);
  }
  return sum;
}

template <bool Grad, class T>
double mse(const T* a, const T* y, std::size_t n, T* grad) {
  const double scale = 2.0 / static_cast<double>(n);
  if constexpr (std::is_same_v<T, float>) {
    const double sum = pairwise<Grad>(a, y, n, grad, [scale](f64x2 av, f64x2 yv, f64x2& g) {
      const f64x2 d = av - yv;
      g = scale * d;
      return d * d;
    });
    return sum / static_cast<double>(n);
  }
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(a[i]) - static_cast<double>(y[i]);
    sum += d * d;
    if (Grad) grad[i] = static_cast<T>(scale * d);
  }
  return sum / static_cast<double>(n);
}

// max(z, 0) − z·y + ln(1 + e^(−|z|)) = −[y·ln σ(z) + (1 − y)·ln(1 − σ(z))], and
// dL/dz = σ(z) − y, with σ from the same e^(−|z|) (no exp of a positive number).
template <bool Grad, class T>
double bce(const T* z, const T* y, std::size_t n, T* grad) {
  const double inv = 1.0 / static_cast<double>(n);
  if constexpr (std::is_same_v<T, float>) {
    const double sum = pairwise<Grad>(z, y, n, grad, [inv](f64x2 zv, f64x2 yv, f64x2& g) {
      const f64x2 e = simd::exp(-simd::abs(zv));
      const simd::i64x2 pos = zv > 0.0, nonneg = zv >= 0.0;
      const f64x2 relu = simd::select(pos, zv, f64x2{});
      if (Grad) {
        // σ(z) = 1/(1 + e) for z >= 0, e/(1 + e) below: one division for both.
        const f64x2 sig = simd::select(nonneg, f64x2{} + 1.0, e) / (1.0 + e);
        g = (sig - yv) * inv;
      }
      return relu - zv * yv + simd::log1p_unit(e);
    });
    return sum * inv;
  }
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double zi = z[i], yi = y[i];
    const double e = std::exp(-std::abs(zi));
    sum += (zi > 0 ? zi : 0.0) - zi * yi + std::log1p(e);
    if (Grad) {
      const double s = zi >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
      grad[i] = static_cast<T>((s - yi) * inv);
    }
  }
  return sum * inv;
}

// Per row: Σₖ yₖ·(lse − zₖ) with lse = m + ln Σⱼ e^(zⱼ − m), m the row maximum; and
// dL/dzₖ = softmaxₖ·Σy − yₖ (= softmax − y for one-hot rows).
template <bool Grad, class T>
double cross_entropy(const T* z, const T* y, std::size_t rows, std::size_t cols, T* grad) {
  const double inv = 1.0 / static_cast<double>(rows);
  double total = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const T* zr = z + r * cols;  // (cols)
    const T* yr = y + r * cols;
    double m = zr[0];
    for (std::size_t j = 1; j < cols; ++j) m = zr[j] > m ? static_cast<double>(zr[j]) : m;
    if constexpr (std::is_same_v<T, float>) {
      // Σ e^(z − m), then the row's loss and Σ y, then the gradient, two columns at a time.
      const double sum = pairwise<false>(zr, zr, cols, nullptr, [m](f64x2 zv, f64x2, f64x2&) {
        return simd::exp(zv - m);
      });
      const double lse = m + std::log(sum);
      double ysum = 0;
      const double row = pairwise<false>(zr, yr, cols, nullptr, [&](f64x2 zv, f64x2 yv, f64x2&) {
        return yv * (lse - zv);
      });
      for (std::size_t j = 0; j < cols; ++j) ysum += yr[j];
      total += row;
      if (Grad) {
        const double scale = ysum / sum;
        pairwise<true>(zr, yr, cols, grad + r * cols, [&](f64x2 zv, f64x2 yv, f64x2& g) {
          g = (simd::exp(zv - m) * scale - yv) * inv;
          return f64x2{};
        });
      }
      continue;
    }
    double sum = 0;
    for (std::size_t j = 0; j < cols; ++j) sum += std::exp(static_cast<double>(zr[j]) - m);
    const double lse = m + std::log(sum);
    double row = 0, ysum = 0;
    for (std::size_t j = 0; j < cols; ++j) {
      row += static_cast<double>(yr[j]) * (lse - static_cast<double>(zr[j]));
      ysum += yr[j];
    }
    total += row;
    if (Grad) {
      T* gr = grad + r * cols;
      const double scale = ysum / sum;
      for (std::size_t j = 0; j < cols; ++j)
        gr[j] = static_cast<T>(
            (std::exp(static_cast<double>(zr[j]) - m) * scale - static_cast<double>(yr[j])) * inv);
    }
  }
  return total * inv;
}

template <bool Grad, class T>
double compute(Loss kind, const T* z, const T* a, const T* y, std::size_t rows,
               std::size_t cols, T* grad) {
  if (rows == 0 || cols == 0) return 0.0;
  switch (kind) {
    case Loss::mse: return mse<Grad>(a, y, rows * cols, grad);
    case Loss::bce: return bce<Grad>(z, y, rows * cols, grad);
    case Loss::cross_entropy: return cross_entropy<Grad>(z, y, rows, cols, grad);
  }
  return 0.0;
}

// The views' memory goes to the kernels above: their paired sums in double, in index order,
// fix the bits.
template <bool Grad, class T>
double compute(Loss kind, const MatrixView<const T>& z, const MatrixView<const T>& a,
               const MatrixView<const T>& y, T* grad) {
  return compute<Grad, T>(kind, z.data(), a.data(), y.data(), y.shape()[0], y.shape()[1], grad);
}

template <class T>
double accuracy_of(Loss kind, const MatrixView<const T>& a, const MatrixView<const T>& targets) {
  const std::size_t rows = targets.shape()[0], cols = targets.shape()[1];
  if (rows == 0 || cols == 0) return 0.0;
  if (kind == Loss::bce || (kind == Loss::mse && cols == 1)) {
    const auto hits = xt::equal(a > T(0.5), targets > T(0.5));
    return static_cast<double>(std::count(hits.begin(), hits.end(), true)) /
           static_cast<double>(rows * cols);
  }
  // The first maximum of each row (xt::argmax's tie and NaN rules are its own).
  std::size_t correct = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    std::size_t pa = 0, py = 0;
    for (std::size_t j = 1; j < cols; ++j) {
      if (a(r, j) > a(r, pa)) pa = j;
      if (targets(r, j) > targets(r, py)) py = j;
    }
    correct += pa == py;
  }
  return static_cast<double>(correct) / static_cast<double>(rows);
}

}  // namespace

double loss_forward_backward(Loss kind, const MatrixView<const float>& z,
                             const MatrixView<const float>& a,
                             const MatrixView<const float>& targets, MatrixView<float> grad) {
  return compute<true, float>(kind, z, a, targets, grad.data());
}
double loss_forward_backward(Loss kind, const MatrixView<const double>& z,
                             const MatrixView<const double>& a,
                             const MatrixView<const double>& targets,
                             MatrixView<double> grad) {
  return compute<true, double>(kind, z, a, targets, grad.data());
}
double loss_value(Loss kind, const MatrixView<const float>& z, const MatrixView<const float>& a,
                  const MatrixView<const float>& targets) {
  return compute<false, float>(kind, z, a, targets, nullptr);
}
double loss_value(Loss kind, const MatrixView<const double>& z, const MatrixView<const double>& a,
                  const MatrixView<const double>& targets) {
  return compute<false, double>(kind, z, a, targets, nullptr);
}
double accuracy(Loss kind, const MatrixView<const float>& a, const MatrixView<const float>& targets) {
  return accuracy_of<float>(kind, a, targets);
}
double accuracy(Loss kind, const MatrixView<const double>& a,
                const MatrixView<const double>& targets) {
  return accuracy_of<double>(kind, a, targets);
}

}  // namespace initscope
