// Vectorized elementary functions for the float32 hot loops (internal to core/src):
// exp, the sigmoid pair, tanh and its derivative on 4 floats at a time, and the normal
// CDF Φ (for gelu) on 2 doubles at a time. GCC/Clang vector extensions of 16 bytes: SSE
// natively, v128 under -msimd128. Branch-free: every lane takes the same instructions.
//
// Accuracy (tests/core/test_activation.cpp checks it over dense grids): within 1e-6
// relative of the double-precision std functions wherever the result is a normal float,
// and within 1e-6·FLT_MIN absolutely below that. The float kernels are Cephes-style
// (Moshier): Cody–Waite range reduction and minimax polynomials; Φ uses W. J. Cody's
// rational Chebyshev approximations of erf/erfc (Math. Comp. 23, 1969) in double.
//
// Determinism: only +, −, ×, ÷, comparisons and bit operations, each rounded once (no
// FMA contraction: -ffp-contract is off in ISO C++ with GCC, and wasm has no FMA), so
// native and wasm builds give the same bits.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "vector_memory.hpp"

namespace initscope {
namespace simd {

typedef float f32x4 __attribute__((vector_size(16)));
typedef std::int32_t i32x4 __attribute__((vector_size(16)));
typedef double f64x2 __attribute__((vector_size(16)));
typedef std::int64_t i64x2 __attribute__((vector_size(16)));

using initscope::load;
using initscope::store;

template <class V, class M>
inline V select(M mask, V a, V b) {  // mask lanes all ones: a, all zeros: b
  return (V)((mask & (M)a) | (~mask & (M)b));
}
inline f32x4 abs(f32x4 x) { return (f32x4)((i32x4)x & 0x7fffffff); }
inline f32x4 copysign(f32x4 magnitude, f32x4 sign) {
  return (f32x4)(((i32x4)magnitude & 0x7fffffff) | ((i32x4)sign & (std::int32_t)0x80000000));
}
// Clamps NaN-preservingly: a NaN lane fails both comparisons and stays NaN.
inline f32x4 clamp(f32x4 x, float lo, float hi) {
  f32x4 v = select(x < lo, f32x4{} + lo, x);
  return select(v > hi, f32x4{} + hi, v);
}

// e^x. Range reduction x = n·ln2 + r (|r| <= ln2/2, ln2 split in two so n·ln2_hi is
// exact), Cephes' degree-7 polynomial for e^r, then ·2^n in two steps so that results
// in the subnormal range round once. Overflows to inf above 88.72, 0 below -103.97.
inline f32x4 exp(f32x4 x) {
  const float magic = 12582912.0f;  // 1.5·2^23: adding it rounds to an integer
  x = clamp(x, -104.0f, 89.0f);
  const f32x4 t = x * 1.44269504088896341f + magic;
  const f32x4 n = t - magic;
  f32x4 r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  f32x4 p = 1.9875691500e-4f * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * (r * r) + r + 1.0f;
  const i32x4 ni = (i32x4)t - (i32x4)(f32x4{} + magic);
  const i32x4 n1 = ni >> 1, n2 = ni - n1;
  const f32x4 s1 = (f32x4)((n1 + 127) << 23), s2 = (f32x4)((n2 + 127) << 23);
  return p * s1 * s2;
}

// σ(z) and σ(−z) = 1 − σ(z), from one e^(−|z|): never overflows, and each keeps full
// relative precision (1 − σ(z) would cancel for large z).
struct SigmoidPair {
  f32x4 pos, neg;
};
inline SigmoidPair sigmoid_pair(f32x4 z) {
  const f32x4 e = exp(-abs(z));
  const f32x4 r = 1.0f / (1.0f + e);
  const i32x4 nonneg = z >= 0.0f;
  return {select(nonneg, r, e * r), select(nonneg, e * r, r)};
}

// tanh: Cephes' odd polynomial below |z| = 0.625, 1 − 2/(e^(2|z|) + 1) above.
inline f32x4 tanh(f32x4 x) {
  const f32x4 ax = abs(x);
  const f32x4 z = x * x;
  f32x4 p = -5.70498872745e-3f * z + 2.06390887954e-2f;
  p = p * z - 5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z - 3.33332819422e-1f;
  const f32x4 small = p * z * x + x;
  const f32x4 large = copysign(1.0f - 2.0f / (exp(ax + ax) + 1.0f), x);
  return select(ax < 0.625f, small, large);
}

// tanh'(z) = sech²(z) = 4e/(1 + e)² with e = e^(−2|z|): exact where 1 − tanh² cancels.
inline f32x4 tanh_derivative(f32x4 z) {
  const f32x4 ax = abs(z);
  const f32x4 e = exp(-(ax + ax));
  const f32x4 d = 1.0f + e;
  return 4.0f * e / (d * d);
}

// ---------------------------------------------------------------------------------------
// Double lanes, for gelu: Φ(z) and φ(z).
// ---------------------------------------------------------------------------------------

inline f64x2 abs(f64x2 x) { return (f64x2)((i64x2)x & 0x7fffffffffffffffLL); }

// e^x in double to ~1e-15 relative (NaN stays NaN): x = n·ln2 + r, |r| <= ln2/2, Taylor
// to degree 12, then ·2^n in two steps, so subnormal results round once; 0 below -745.2,
// inf above 709.8.
inline f64x2 exp(f64x2 x) {
  const double magic = 6755399441055744.0;  // 1.5·2^52
  f64x2 v = select(x < -746.0, f64x2{} - 746.0, x);
  v = select(v > 710.0, f64x2{} + 710.0, v);
  const f64x2 t = v * 1.4426950408889634074 + magic;
  const f64x2 n = t - magic;
  f64x2 r = v - n * 6.93147180369123816490e-01;  // ln2 high part (Cody–Waite, fdlibm)
  r = r - n * 1.90821492927058770002e-10;         // ln2 low part
  // Σ rⁱ/i! for i = 0..12 by Estrin's scheme: a dependency chain of 4 multiply-adds
  // instead of Horner's 12, so that neighbouring elements overlap in the processor.
  const f64x2 r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const f64x2 q0 = 1.0 + r, q1 = 0.5 + r * (1.0 / 6.0), q2 = 1.0 / 24.0 + r * (1.0 / 120.0),
              q3 = 1.0 / 720.0 + r * (1.0 / 5040.0), q4 = 1.0 / 40320.0 + r * (1.0 / 362880.0),
              q5 = 1.0 / 3628800.0 + r * (1.0 / 39916800.0);
  const f64x2 s0 = q0 + q1 * r2, s1 = q2 + q3 * r2, s2 = q4 + q5 * r2;
  const f64x2 p = (s0 + s1 * r4) + (s2 + r4 * (1.0 / 479001600.0)) * r8;
  const i64x2 ni = (i64x2)t - (i64x2)(f64x2{} + magic);
  const i64x2 n1 = ni >> 1, n2 = ni - n1;
  return p * (f64x2)((n1 + 1023) << 52) * (f64x2)((n2 + 1023) << 52);
}

// ln(1 + x) in double for x in [0, 1] (what the losses need: x = e^(−|z|)), to a few
// ulp: u = 1 + x, ln u = k·ln2 + 2·atanh(s) with s = (m − 1)/(m + 1), m = u or u/2 in
// [√½, √2], atanh by its series to s^21; plus c/u for what rounding 1 + x lost
// (c = x − (u − 1), exact), with 1/m ≈ (1 − s)(1 − s + s²): c/u is below 1e-16 so that
// is plenty, and it saves a division. x = 0 gives 0.
inline f64x2 log1p_unit(f64x2 x) {
  const f64x2 u = 1.0 + x;
  const i64x2 big = u > 1.4142135623730951;
  const f64x2 m = select(big, u * 0.5, u);
  const f64x2 k = select(big, f64x2{} + 1.0, f64x2{});
  const f64x2 s = (m - 1.0) / (m + 1.0);
  const f64x2 t = s * s;
  // q = Σ tⁱ/(2i + 3) for i = 0..9, Estrin's scheme (see exp).
  const f64x2 t2 = t * t, t4 = t2 * t2, t8 = t4 * t4;
  const f64x2 a0 = 1.0 / 3 + t * (1.0 / 5), a1 = 1.0 / 7 + t * (1.0 / 9),
              a2 = 1.0 / 11 + t * (1.0 / 13), a3 = 1.0 / 15 + t * (1.0 / 17),
              a4 = 1.0 / 19 + t * (1.0 / 21);
  const f64x2 q = (a0 + a1 * t2) + (a2 + a3 * t2) * t4 + a4 * t8;
  const f64x2 log_m = 2.0 * s + 2.0 * s * (t * q);
  const f64x2 c = x - (u - 1.0);
  const f64x2 inv_u = select(big, f64x2{} + 0.5, f64x2{} + 1.0) * ((1.0 - s) * (1.0 - s + t));
  return k * 6.93147180369123816490e-01 + (log_m + (k * 1.90821492927058770002e-10 + c * inv_u));
}

// erfc(x) for x >= 0 as e^(−x²)·erfcx(x), W. J. Cody's three rational approximations
// (|x| <= 0.46875: 1 − erf; up to 4; beyond 4 the asymptotic form). All three are
// evaluated and the lane's own is selected. e^(−x²) is split as e^(−xh²)·e^(−(x−xh)(x+xh))
// with xh = x rounded to 1/16, so x² never loses bits to rounding.
inline f64x2 erfc_nonneg(f64x2 x) {
  const f64x2 z = x * x;
  // Region 1: erf(x) = x·A(z)/B(z).
  f64x2 an = 1.85777706184603153e-1 * z, ad = z;
  an = (an + 3.16112374387056560e0) * z;
  ad = (ad + 2.36012909523441209e1) * z;
  an = (an + 1.13864154151050156e2) * z;
  ad = (ad + 2.44024637934444173e2) * z;
  an = (an + 3.77485237685302021e2) * z;
  ad = (ad + 1.28261652607737228e3) * z;
  const f64x2 r1 = 1.0 - x * (an + 3.20937758913846947e3) / (ad + 2.84423683343917062e3);
  // Region 2: erfcx(x) = C(x)/D(x).
  f64x2 cn = 2.15311535474403846e-8 * x, cd = x;
  cn = (cn + 5.64188496988670089e-1) * x;
  cd = (cd + 1.57449261107098347e1) * x;
  cn = (cn + 8.88314979438837594e0) * x;
  cd = (cd + 1.17693950891312499e2) * x;
  cn = (cn + 6.61191906371416295e1) * x;
  cd = (cd + 5.37181101862009858e2) * x;
  cn = (cn + 2.98635138197400131e2) * x;
  cd = (cd + 1.62138957456669019e3) * x;
  cn = (cn + 8.81952221241769090e2) * x;
  cd = (cd + 3.29079923573345963e3) * x;
  cn = (cn + 1.71204761263407058e3) * x;
  cd = (cd + 4.36261909014324716e3) * x;
  cn = (cn + 2.05107837782607147e3) * x;
  cd = (cd + 3.43936767414372164e3) * x;
  const f64x2 x2 = (cn + 1.23033935479799725e3) / (cd + 1.23033935480374942e3);
  // Region 3: erfcx(x) = (1/√π − w·P(w)/Q(w))/x, w = 1/x².
  const f64x2 w = 1.0 / z;
  f64x2 pn = 1.63153871373020978e-2 * w, pd = w;
  pn = (pn + 3.05326634961232344e-1) * w;
  pd = (pd + 2.56852019228982242e0) * w;
  pn = (pn + 3.60344899949804439e-1) * w;
  pd = (pd + 1.87295284992346047e0) * w;
  pn = (pn + 1.25781726111229246e-1) * w;
  pd = (pd + 5.27905102951428412e-1) * w;
  pn = (pn + 1.60837851487422766e-2) * w;
  pd = (pd + 6.05183413124413191e-2) * w;
  const f64x2 x3 =
      (5.6418958354775628695e-1 - w * (pn + 6.58749161529837803e-4) / (pd + 2.33520497626869185e-3)) / x;
  // e^(−x²) without rounding x²: xh = x rounded to a multiple of 1/16 (x <= 28: at most
  // 9 bits) makes xh² exact, and (x − xh)(x + xh) is small.
  const double magic = 6755399441055744.0 / 16.0;  // adding it rounds to a multiple of 1/16
  const f64x2 xh = (x + magic) - magic;
  const f64x2 scale = exp(-(xh * xh)) * exp(-((x - xh) * (x + xh)));
  const f64x2 tail = select(x <= 4.0, x2, x3) * scale;
  return select(x <= 0.46875, r1, tail);
}

// Φ(z) = ½·erfc(−z/√2): the left tail (z < 0) directly, the right side as 1 − ½·erfc.
// |z|/√2 is clamped to 28 (Φ is 0 or 1 in double beyond); NaN stays NaN.
inline f64x2 normal_cdf(f64x2 z) {
  const f64x2 u = abs(z) * 0.70710678118654752440;
  const f64x2 uc = select(u > 28.0, f64x2{} + 28.0, u);
  const f64x2 half = 0.5 * erfc_nonneg(uc);
  return select(z < 0.0, half, 1.0 - half);
}

inline f64x2 normal_pdf(f64x2 z) { return 0.39894228040143267794 * exp(-0.5 * (z * z)); }

// The float lanes of 4 floats as two double vectors and back.
inline void widen(f32x4 v, f64x2& lo, f64x2& hi) {
  lo = f64x2{static_cast<double>(v[0]), static_cast<double>(v[1])};
  hi = f64x2{static_cast<double>(v[2]), static_cast<double>(v[3])};
}
inline f32x4 narrow(f64x2 lo, f64x2 hi) {
  return f32x4{static_cast<float>(lo[0]), static_cast<float>(lo[1]), static_cast<float>(hi[0]),
               static_cast<float>(hi[1])};
}

// gelu(z) = z·Φ(z) and gelu'(z) = Φ(z) + z·φ(z), computed in double, rounded once.
inline f32x4 gelu(f32x4 z) {
  f64x2 lo, hi;
  widen(z, lo, hi);
  return narrow(lo * normal_cdf(lo), hi * normal_cdf(hi));
}
inline f32x4 gelu_derivative(f32x4 z) {
  f64x2 lo, hi;
  widen(z, lo, hi);
  return narrow(normal_cdf(lo) + lo * normal_pdf(lo), normal_cdf(hi) + hi * normal_pdf(hi));
}

// The first n (1 to 3) lanes of v to p, and p's first n floats into a zeroed vector: the
// low pair as one 8-byte integer lane, then lane 2. A plain loop becomes a memcpy call,
// and a compare and a lane access per float is slow in wasm.
inline void store_first(float* p, f32x4 v, std::size_t n) {
  if (n >= 2) {
    const std::int64_t low = ((i64x2)v)[0];
    std::memcpy(p, &low, 8);
    if (n == 3) p[2] = v[2];
  } else {
    p[0] = v[0];
  }
}
inline f32x4 load_first(const float* p, std::size_t n) {
  if (n >= 2) {
    std::int64_t low;
    std::memcpy(&low, p, 8);
    f32x4 v = (f32x4)(i64x2{low, 0});
    if (n == 3) v[2] = p[2];
    return v;
  }
  return f32x4{p[0], 0.0f, 0.0f, 0.0f};
}

// Applies `f` (f32x4 → f32x4) to n floats: 4 at a time, the last 1 to 3 through a
// zero-padded vector, so every element goes through the same instructions.
template <class F>
inline void map(const float* x, float* y, std::size_t n, F f) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(y + i, f(load<f32x4>(x + i)));
  if (i < n) store_first(y + i, f(load_first(x + i, n - i)), n - i);
}

// The same with a second input (e.g. the upstream gradient): y = f(x, g).
template <class F>
inline void map2(const float* x, const float* g, float* y, std::size_t n, F f) {
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) store(y + i, f(load<f32x4>(x + i), load<f32x4>(g + i)));
  if (i < n) store_first(y + i, f(load_first(x + i, n - i), load_first(g + i, n - i)), n - i);
}

// One float through a vector kernel (lane 0), for the scalar API.
template <class F>
inline float one(float x, F f) {
  return f(f32x4{x, 0, 0, 0})[0];
}

}  // namespace simd
}  // namespace initscope
