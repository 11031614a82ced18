#include "initscope/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace initscope {

// ---------------------------------------------------------------------------------------
// The optimizer
// ---------------------------------------------------------------------------------------

Optimizer::Optimizer(const OptimizerConfig& config, std::size_t n_params,
                     std::vector<std::uint8_t> decay_mask)
    : config_(config), schedule_(make_schedule(config.schedule)), n_(n_params), decay_(std::move(decay_mask)) {
  if (decay_.empty())
    decay_.assign(n_, 1);
  else
    decay_.resize(n_, 0);
  const OptimizerKind k = config_.kind;
  if (k == OptimizerKind::momentum || k == OptimizerKind::nesterov || k == OptimizerKind::adam)
    m_.assign(n_, 0.0);
  if (k == OptimizerKind::rmsprop || k == OptimizerKind::adam) v_.assign(n_, 0.0);
}

void Optimizer::set_lr_groups(std::vector<LrGroup> groups) {
  lr_groups_.clear();
  for (const LrGroup& group : groups) {
    if (group.size == 0) continue;
    if (!lr_groups_.empty() && lr_groups_.back().multiplier == group.multiplier)
      lr_groups_.back().size += group.size;  // one pass for neighbours of one rate
    else
      lr_groups_.push_back(group);
  }
  if (lr_groups_.size() == 1 && lr_groups_[0].multiplier == 1) lr_groups_.clear();
}

void Optimizer::reset() {
  std::fill(m_.begin(), m_.end(), 0.0);
  std::fill(v_.begin(), v_.end(), 0.0);
  t_ = 0;
  beta1_power_ = beta2_power_ = 1;
  moment_bound_ = 0;
  last_written_ = nullptr;
}

namespace {

typedef double f64x2 __attribute__((vector_size(16)));

#ifdef __wasm_simd128__
// 4 floats ↔ two pairs of doubles with wasm's f64x2.promote_low_f32x4 and
// f32x4.demote_f64x2_zero. Clang 14 vectorizes the plain float → double → float loops
// but demotes lane by lane, which made an SGD step on C4's 270k parameters cost a tenth
// of the step; GCC's native loops are fine as they are.
inline void widen4(const float* p, f64x2& lo, f64x2& hi) {
  const v128_t v = wasm_v128_load(p);
  lo = (f64x2)wasm_f64x2_promote_low_f32x4(v);
  hi = (f64x2)wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3));
}
inline v128_t narrow4(f64x2 lo, f64x2 hi) {
  const v128_t a = wasm_f32x4_demote_f64x2_zero((v128_t)lo);
  const v128_t b = wasm_f32x4_demote_f64x2_zero((v128_t)hi);
  return wasm_i32x4_shuffle(a, b, 0, 1, 4, 5);
}
inline f64x2 vsqrt(f64x2 x) { return (f64x2)wasm_f64x2_sqrt((v128_t)x); }
#endif
inline double vsqrt(double x) { return std::sqrt(x); }

// Σ g² in double, in 8 interleaved partial sums (element i goes to sum i mod 8; the sums
// are combined in a fixed order at the end): one dependent add per 8 elements instead of
// per element, the same bits in every build. A serial sum was a tenth of a big step.
struct SquareSums {
  f64x2 acc[4] = {};
  // Adds g[0 .. 7], g[k] to the partial sum k (lane k % 2 of acc[k / 2]).
  template <class T> void add8(const T* g) {
#ifdef __wasm_simd128__
    if constexpr (std::is_same_v<T, float>) {
      f64x2 x[4];
      widen4(g, x[0], x[1]);
      widen4(g + 4, x[2], x[3]);
      for (std::size_t v = 0; v < 4; ++v) acc[v] += x[v] * x[v];
      return;
    }
#endif
    for (std::size_t v = 0; v < 4; ++v) {
      const f64x2 x = {static_cast<double>(g[2 * v]), static_cast<double>(g[2 * v + 1])};
      acc[v] += x * x;
    }
  }
  // The total, with the elements from `tail` on (fewer than 8) added one by one.
  template <class T> double total(const T* tail, std::size_t n) const {
    const f64x2 pair = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    double s = pair[0] + pair[1];
    for (std::size_t i = 0; i < n; ++i) s += static_cast<double>(tail[i]) * static_cast<double>(tail[i]);
    return s;
  }
};

template <class T> double sum_of_squares(const T* g, std::size_t n) {
  SquareSums sums;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) sums.add8(g + i);
  return sums.total(g + i, n - i);
}

// Magnitudes as integers: the bits of |x| (those without the sign) order as |x| does,
// with Inf above every finite value and NaN above Inf. An integer max vectorizes.
template <class T> using BitsOf = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
template <class T> BitsOf<T> magnitude_bits(T x) {
  BitsOf<T> bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits & (~BitsOf<T>(0) >> 1);
}
template <class T> double from_magnitude_bits(BitsOf<T> bits) {
  T value;
  std::memcpy(&value, &bits, sizeof value);
  return static_cast<double>(value);
}
// Inf's magnitude: a magnitude at least this is Inf or NaN.
template <class T> constexpr BitsOf<T> kInfBits = sizeof(T) == 4 ? BitsOf<T>(0x7f800000u) : BitsOf<T>(0x7ff0000000000000u);

// The largest |x[i]| (NaN when one is NaN, so that no comparison with it holds).
template <class T> double max_abs(const T* x, std::size_t n) {
  BitsOf<T> largest = 0;
  for (std::size_t i = 0; i < n; ++i) largest = std::max(largest, magnitude_bits(x[i]));
  return from_magnitude_bits<T>(largest);
}

// What one pass of update_each found: Σ g² (when asked for), the largest |new parameter|
// and whether every new parameter is finite.
struct PassResult {
  double sum_of_squares = 0;
  double largest = 0;
  bool finite = true;
};

// p[i] ← f(from[i], g[i], m[i], v[i]) in double, rounded once to T; f may update its state
// m and v (used and stored back when HasM / HasV). f is written once for double and for
// f64x2, so both paths do the same operations in the same order: the same bits (and
// update_rare's plain loop makes the same values). With Squares, the same
// pass also sums g² exactly as sum_of_squares() does (one pass over g instead of two when
// nothing is clipped). It finds the largest new |parameter| (and so whether each is finite)
// as it makes them, so that the caller need not read them again. p may be g: every
// gradient is read before its parameter is written.
template <bool HasM, bool HasV, bool Squares, class T, class F>
PassResult update_each(const T* from, T* p, const T* g, double* m, double* v, std::size_t n, F f) {
  SquareSums sums;
  std::size_t i = 0;
  BitsOf<T> largest = 0;
#ifdef __wasm_simd128__
  if constexpr (std::is_same_v<T, float>) {
    v128_t largest_lanes = wasm_i32x4_splat(0);
    const v128_t magnitude = wasm_i32x4_splat(0x7fffffff);
    for (; i + 8 <= n; i += 8) {
      f64x2 gd[4];  // g[i .. i + 7] in double, widened once for the sum and the update
      widen4(g + i, gd[0], gd[1]);
      widen4(g + i + 4, gd[2], gd[3]);
      if constexpr (Squares)
        for (std::size_t k = 0; k < 4; ++k) sums.acc[k] += gd[k] * gd[k];
      for (std::size_t h = i; h < i + 8; h += 4) {
        f64x2 plo, phi, mlo = {}, mhi = {}, vlo = {}, vhi = {};
        const f64x2 glo = gd[(h - i) / 2], ghi = gd[(h - i) / 2 + 1];
        widen4(from + h, plo, phi);
        if constexpr (HasM) {
          std::memcpy(&mlo, m + h, sizeof mlo);
          std::memcpy(&mhi, m + h + 2, sizeof mhi);
        }
        if constexpr (HasV) {
          std::memcpy(&vlo, v + h, sizeof vlo);
          std::memcpy(&vhi, v + h + 2, sizeof vhi);
        }
        const f64x2 rlo = f(plo, glo, mlo, vlo), rhi = f(phi, ghi, mhi, vhi);
        if constexpr (HasM) {
          std::memcpy(m + h, &mlo, sizeof mlo);
          std::memcpy(m + h + 2, &mhi, sizeof mhi);
        }
        if constexpr (HasV) {
          std::memcpy(v + h, &vlo, sizeof vlo);
          std::memcpy(v + h + 2, &vhi, sizeof vhi);
        }
        const v128_t r = narrow4(rlo, rhi);
        wasm_v128_store(p + h, r);
        largest_lanes = wasm_u32x4_max(largest_lanes, wasm_v128_and(r, magnitude));
      }
    }
    v128_t halves = wasm_u32x4_max(largest_lanes, wasm_i32x4_shuffle(largest_lanes, largest_lanes, 2, 3, 0, 1));
    halves = wasm_u32x4_max(halves, wasm_i32x4_shuffle(halves, halves, 1, 0, 3, 2));
    largest = wasm_u32x4_extract_lane(halves, 0);
  }
#endif
  PassResult result;
  if constexpr (Squares) {
    std::size_t j = i;  // the blocks of 8 the vector loop did not take, then the rest
    for (; j + 8 <= n; j += 8) sums.add8(g + j);
    result.sum_of_squares = sums.total(g + j, n - j);
  }
  const std::size_t rest = i;
  for (; i < n; ++i) {
    double mi = HasM ? m[i] : 0.0, vi = HasV ? v[i] : 0.0;
    const T r = static_cast<T>(f(static_cast<double>(from[i]), static_cast<double>(g[i]), mi, vi));
    if constexpr (HasM) m[i] = mi;
    if constexpr (HasV) v[i] = vi;
    p[i] = r;
  }
  // Checked in a loop of its own, so that GCC still vectorizes the update above natively.
  for (std::size_t j = rest; j < n; ++j) largest = std::max(largest, magnitude_bits(p[j]));
  result.largest = from_magnitude_bits<T>(largest);
  result.finite = largest < kInfBits<T>;
  return result;
}

// The passes of a step whose new parameters might overflow (rare: near divergence): the
// update_each values without writing the state, the new parameters written when `write`,
// in one plain loop per rule (one instantiation for both, no vector loop: a smaller
// module). The largest new |parameter| and whether every one is finite.
template <bool HasM, bool HasV, class T, class F>
PassResult update_rare(const T* from, T* p, const T* g, const double* m, const double* v, std::size_t n,
                       bool write, F f) {
  BitsOf<T> largest = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double mi = HasM ? m[i] : 0.0, vi = HasV ? v[i] : 0.0;
    const T r = static_cast<T>(f(static_cast<double>(from[i]), static_cast<double>(g[i]), mi, vi));
    if (write) p[i] = r;
    largest = std::max(largest, magnitude_bits(r));
  }
  PassResult result;
  result.largest = from_magnitude_bits<T>(largest);
  result.finite = largest < kInfBits<T>;
  return result;
}

}  // namespace

template <class T> double Optimizer::step(const T* from, T* p, T* g) {
  std::size_t n = n_;
  const OptimizerConfig& c = config_;

  // 1. L2: the gradient of (λ/2)·‖w‖² over the decayed parameters.
  if (c.weight_decay != 0) {
    const std::uint8_t* mask = decay_.data();
    const double wd = c.weight_decay;
    for (std::size_t i = 0; i < n; ++i)
      g[i] = static_cast<T>(static_cast<double>(g[i]) + (mask[i] ? wd * static_cast<double>(from[i]) : 0.0));
  }
  // ‖g‖ after the L2 term, before clipping: here when clipping or the moments' bound (4.)
  // need it, otherwise in the update's own pass.
  const bool clipped = c.clip_value || c.clip_norm;
  const bool has_moments = !m_.empty() || !v_.empty();
  double norm = clipped || has_moments ? std::sqrt(sum_of_squares(g, n)) : 0.0;

  // 2. Clip each value. NaN and ±Inf stay as they are, so that a gradient that is not
  // finite still makes its parameter not finite and the caller sees it.
  if (c.clip_value) {
    const T hi = static_cast<T>(*c.clip_value), lo = -hi, inf = std::numeric_limits<T>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
      const T x = g[i];
      g[i] = x < lo && x != -inf ? lo : (x > hi && x != inf ? hi : x);
    }
  }
  // 3. Clip the global norm, as Keras's clip_by_global_norm: g·c / max(‖g‖, c).
  if (c.clip_norm) {
    const double current = c.clip_value ? std::sqrt(sum_of_squares(g, n)) : norm;
    if (current > *c.clip_norm) {
      const double scale = *c.clip_norm / current;
      for (std::size_t i = 0; i < n; ++i) g[i] = static_cast<T>(static_cast<double>(g[i]) * scale);
    }
  }

  // 4. The update (Keras 3 rules, term for term). The state (moments, step count, Adam's
  // powers) changes only when every new parameter is finite. A kind with moments writes
  // them in one pass when a bound shows that no new parameter can overflow: ‖g‖ bounds
  // every |g| (and, finite, says that every g is finite), a running bound every |m|, and
  // a pass over the parameters their largest magnitude. Otherwise a first pass that
  // writes nothing finds out (the same operations as the one that writes: the same bits),
  // and a second writes everything, or only the new parameters when they are not all
  // finite. A kind without moments writes the parameters in one pass.
  const double base_lr = schedule_.is_constant() ? c.lr : c.lr * schedule_.factor(t_);
  // The pass below runs once over the whole buffer, or once per learning-rate group with
  // these pointing at the group's range and lr at its rate.
  double lr = base_lr;
  double* m = m_.data();
  double* v = v_.data();
  // |Δw| and |m| after this step can be at most these (infinite: no bound).
  double step_bound = 0, moment_next = 0;
  // Rounding in double adds a few ulps to each bound; this covers them.
  constexpr double kSlack = 1 + 1e-12;
  auto pass = [&](auto has_m, auto has_v, auto f) {
    constexpr bool M = decltype(has_m)::value, V = decltype(has_v)::value;
    if constexpr (!M && !V) {
      return clipped ? update_each<M, V, false>(from, p, g, m, v, n, f)
                     : update_each<M, V, true>(from, p, g, m, v, n, f);
    } else {
      const double largest = from == last_written_ ? last_largest_ : max_abs(from, n);
      const bool cannot_overflow =
          std::isfinite(norm) &&
          largest + step_bound * kSlack < 0.5 * static_cast<double>(std::numeric_limits<T>::max());
      if (!cannot_overflow && !update_rare<M, V>(from, p, g, m, v, n, false, f).finite)
        return update_rare<M, V>(from, p, g, m, v, n, true, f);
      return update_each<M, V, false>(from, p, g, m, v, n, f);
    }
  };
  using yes = std::true_type;
  using no = std::false_type;
  double beta1_next = beta1_power_, beta2_next = beta2_power_;
  if (c.kind == OptimizerKind::adam) {
    beta1_next *= c.beta1;
    beta2_next *= c.beta2;
  }

  // The PyTorch convention's rules (the Keras ones are in the switch below).
  //
  // | kind     | keras (keras.optimizers.*, the default)       | pytorch (torch.optim.*)                        |
  // |----------|-----------------------------------------------|------------------------------------------------|
  // | momentum | v ← μ·v − η·g;  w ← w + v  (SGD(momentum=μ))  | v ← μ·v + g;  w ← w − η·v  (SGD(momentum=μ))   |
  // | nesterov | v ← μ·v − η·g;  w ← w + μ·v − η·g             | v ← μ·v + g;  w ← w − η·(g + μ·v)  (nesterov)  |
  // | rmsprop  | s ← ρ·s + (1−ρ)·g²;  w ← w − η·g / √(s + ε)   | s ← ρ·s + (1−ρ)·g²;  w ← w − η·g / (√s + ε)    |
  // | adam     | w ← w − η·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε)     | w ← w − η/(1−β₁ᵗ) · m / (√v / √(1−β₂ᵗ) + ε)    |
  //
  // Adam's m ← β₁·m + (1−β₁)·g and v ← β₂·v + (1−β₂)·g² are the same in both. Sources: the
  // Keras 3 API docs (keras.optimizers.Adam: "epsilon is 'epsilon hat' in the Kingma and Ba
  // paper (in the formula just before Section 2.1), not the epsilon in Algorithm 1";
  // RMSprop and SGD's update rules) and the PyTorch docs' algorithm boxes of
  // torch.optim.Adam (ε added to √v̂_t), torch.optim.RMSprop (√ṽ_t + ε) and
  // torch.optim.SGD (b_t ← μ·b_{t−1} + g_t; nesterov g ← g + μ·b_t; w ← w − γ·g). With a
  // constant η the momentum forms are the same sums (Keras's v is −η times PyTorch's);
  // only their rounding differs. Adam and RMSprop differ in value: ε weighs more or less.
  const bool pytorch = c.convention == OptimizerConvention::pytorch;
  auto momentum_pytorch = [&](bool nesterov) {
    const double mu = c.momentum;
    moment_next = (mu * moment_bound_ + norm) * kSlack;  // |v| ≤ μ·|v| + ‖g‖
    step_bound = lr * (nesterov ? norm + mu * moment_next : moment_next);
    if (nesterov)
      return pass(yes{}, no{}, [lr, mu](auto pi, auto gi, auto& mi, auto&) {
        mi = mu * mi + gi;
        return pi - lr * (gi + mu * mi);
      });
    return pass(yes{}, no{}, [lr, mu](auto pi, auto gi, auto& mi, auto&) {
      mi = mu * mi + gi;
      return pi - lr * mi;
    });
  };
  auto rmsprop_pytorch = [&]() {
    const double rho = c.rho, eps = c.epsilon;
    // |g|/(√s + ε) is at most |g|/ε and at most 1/√(1 − ρ).
    step_bound = lr * std::min(norm / eps, rho < 1 ? 1 / std::sqrt(1 - rho) : HUGE_VAL);
    return pass(no{}, yes{}, [lr, rho, eps](auto pi, auto gi, auto&, auto& vi) {
      vi = rho * vi + (1 - rho) * gi * gi;
      return pi - lr * gi / (vsqrt(vi) + eps);
    });
  };
  auto adam_pytorch = [&](double beta1_power, double beta2_power) {
    const double b1 = c.beta1, b2 = c.beta2, eps = c.epsilon;
    const double step_size = lr / (1 - beta1_power), root2 = std::sqrt(1 - beta2_power);
    moment_next = std::max(moment_bound_, norm) * kSlack;
    step_bound = step_size * moment_next / eps;
    return pass(yes{}, yes{}, [b1, b2, eps, step_size, root2](auto pi, auto gi, auto& mi, auto& vi) {
      mi = b1 * mi + (1 - b1) * gi;
      vi = b2 * vi + (1 - b2) * gi * gi;
      return pi - step_size * mi / (vsqrt(vi) / root2 + eps);
    });
  };

  // One pass of the kind's rule over [from, from + n) at rate lr.
  auto update = [&]() -> PassResult {
    PassResult done;
    switch (c.kind) {
      case OptimizerKind::sgd:
        done = pass(no{}, no{}, [lr](auto pi, auto gi, auto&, auto&) { return pi - lr * gi; });
        break;
      case OptimizerKind::momentum: {
        const double mu = c.momentum;
        if (pytorch) {
          done = momentum_pytorch(false);
          break;
        }
        moment_next = (mu * moment_bound_ + lr * norm) * kSlack;
        step_bound = moment_next;
        done = pass(yes{}, no{}, [lr, mu](auto pi, auto gi, auto& mi, auto&) {
          mi = mu * mi - lr * gi;
          return pi + mi;
        });
        break;
      }
      case OptimizerKind::nesterov: {
        const double mu = c.momentum;
        if (pytorch) {
          done = momentum_pytorch(true);
          break;
        }
        moment_next = (mu * moment_bound_ + lr * norm) * kSlack;
        step_bound = mu * moment_next + lr * norm;
        done = pass(yes{}, no{}, [lr, mu](auto pi, auto gi, auto& mi, auto&) {
          mi = mu * mi - lr * gi;
          return pi + (mu * mi - lr * gi);
        });
        break;
      }
      case OptimizerKind::rmsprop: {
        const double rho = c.rho, eps = c.epsilon;
        if (pytorch) {
          done = rmsprop_pytorch();
          break;
        }
        // |g|/√(ρ·s + (1 − ρ)·g² + ε) is at most |g|/√ε and at most 1/√(1 − ρ).
        step_bound = lr * std::min(norm / std::sqrt(eps), rho < 1 ? 1 / std::sqrt(1 - rho) : HUGE_VAL);
        done = pass(no{}, yes{}, [lr, rho, eps](auto pi, auto gi, auto&, auto& vi) {
          vi = rho * vi + (1 - rho) * gi * gi;
          return pi - lr * gi / vsqrt(vi + eps);
        });
        break;
      }
      case OptimizerKind::adam: {
        const double b1 = c.beta1, b2 = c.beta2, eps = c.epsilon;
        if (pytorch) {
          done = adam_pytorch(beta1_next, beta2_next);
          break;
        }
        const double alpha = lr * std::sqrt(1 - beta2_next) / (1 - beta1_next);
        // m is a weighted mean of past gradients; √v + ε is at least ε.
        moment_next = std::max(moment_bound_, norm) * kSlack;
        step_bound = alpha * moment_next / eps;
        done = pass(yes{}, yes{}, [b1, b2, eps, alpha](auto pi, auto gi, auto& mi, auto& vi) {
          mi += (gi - mi) * (1 - b1);
          vi += (gi * gi - vi) * (1 - b2);
          return pi - mi * alpha / (vsqrt(vi) + eps);
        });
        break;
      }
    }
    return done;
  };

  // Each group's pass from its own offset; the state's bounds take the largest. No groups:
  // one over the whole buffer at the base rate, so that the update (every rule's passes) is
  // instantiated once: a smaller module, the same operations.
  const LrGroup whole{0, n, 1};
  const LrGroup* first = lr_groups_.empty() ? &whole : lr_groups_.data();
  const LrGroup* end = lr_groups_.empty() ? &whole + 1 : lr_groups_.data() + lr_groups_.size();
  const T* from0 = from;
  T* p0 = p;
  T* g0 = g;
  double* m0 = m;
  double* v0 = v;
  PassResult done;
  done.finite = true;
  double moment_max = 0;
  for (const LrGroup* group = first; group != end; ++group) {
    from = from0 + group->offset;
    p = p0 + group->offset;
    g = g0 + group->offset;
    if (!m_.empty()) m = m0 + group->offset;
    if (!v_.empty()) v = v0 + group->offset;
    n = group->size;
    lr = lr_groups_.empty() ? base_lr : base_lr * group->multiplier;
    const PassResult part = update();
    if (lr_groups_.empty()) {
      done = part;
      moment_max = moment_next;
      continue;
    }
    done.finite = done.finite && part.finite;
    done.largest = std::max(done.largest, part.largest);
    done.sum_of_squares += part.sum_of_squares;
    moment_max = std::max(moment_max, moment_next);
  }
  moment_next = moment_max;
  p = p0;
  params_finite_ = done.finite;
  last_written_ = p;
  last_largest_ = done.largest;
  if (done.finite) {
    ++t_;
    beta1_power_ = beta1_next;
    beta2_power_ = beta2_next;
    moment_bound_ = moment_next;
  }
  return clipped || has_moments ? norm : std::sqrt(done.sum_of_squares);
}

Optimizer::State Optimizer::state() const {
  return State{t_, beta1_power_, beta2_power_, moment_bound_, m_, v_};
}

Status Optimizer::restore(const State& state, const std::string& path) {
  auto check = [&](const std::vector<double>& given, const std::vector<double>& mine,
                   const char* key) -> Status {
    if (given.size() != mine.size())
      return make_error(field_path(path, key), std::to_string(given.size()) +
                                                   " values given; expected " +
                                                   std::to_string(mine.size()) + " for this " +
                                                   optimizer_info(config_.kind).name + " optimizer");
    for (double x : given)
      if (!std::isfinite(x)) return make_error(field_path(path, key), "holds NaN or Inf; expected finite numbers");
    return std::nullopt;
  };
  if (auto e = check(state.first_moment, m_, "m")) return e;
  if (auto e = check(state.second_moment, v_, "v")) return e;
  const std::initializer_list<std::pair<double, const char*>> scalars = {
      {state.beta1_power, "beta1Power"}, {state.beta2_power, "beta2Power"}, {state.moment_bound, "momentBound"}};
  for (const auto& [value, key] : scalars)
    if (!std::isfinite(value) || value < 0)
      return make_error(field_path(path, key), show_value(value) + " is not allowed; expected a finite number >= 0");
  m_ = state.first_moment;
  v_ = state.second_moment;
  t_ = state.steps;
  beta1_power_ = state.beta1_power;
  beta2_power_ = state.beta2_power;
  moment_bound_ = state.moment_bound;
  last_written_ = nullptr;
  return std::nullopt;
}

template double Optimizer::step<float>(const float*, float*, float*);
template double Optimizer::step<double>(const double*, double*, double*);

}  // namespace initscope
