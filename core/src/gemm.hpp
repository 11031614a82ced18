// A blocked, register-tiled matrix product for the dense layers (internal to core/src).
//
//   C[m][n] = init[m][n] + Σ_{p = 0 .. K-1} A[m][p] · B[p][n]
//
// with every operand given by a pointer and two strides, so one routine does x·W + b,
// xᵀ·dz and dz·Wᵀ without transposing anything in memory.
//
// Arithmetic contract (what makes results bit-identical across builds): every element of
// C is accumulated on its own, from its initial value, over p = 0, 1, ..., K-1 in order,
// one rounded multiply and one rounded add per term (no FMA, no split sums). That is what
// the plain i-k-j loop computes, so vector width, tile sizes, the orientation chosen and
// the target (x86 SSE/AVX natively, -msimd128 in wasm) never change a single bit.
//
// Vectors are GCC/Clang vector extensions of 16 bytes (wasm v128, SSE xmm), or 32/64
// bytes natively when AVX/AVX-512 is on: lanes are independent elements of C, so the
// width does not change results either. The kernel keeps an MR × NV-vector tile of C in
// registers, streams a packed K × NR panel of B (NR = NV · lanes, zero padded at the right
// edge) and broadcasts A one element at a time. MR = 4, NV = 2 keeps 8 accumulators, two
// B vectors and a broadcast in 11 of the 16 registers V8 has for wasm SIMD. Measured in
// V8 11.3 (Node 20), the kernel on data in L1 runs at 32 GFLOP/s, 97% of what this core
// does with 128-bit multiplies and adds at all (bench/native/peak.cpp: 33 to 34 GFLOP/s,
// three such operations per cycle, two multiplies at most): there is little left to take.
// Wider tiles gain nothing for that reason; 5 × 2, 4 × 3, 3 × 3 and 6 × 2 tiles, and
// unrolling the p loop (clang then groups each accumulator's terms), were measured slower
// in V8, which spills their registers.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <type_traits>
#include <vector>

#include "vector_memory.hpp"

namespace initscope {
namespace gemm {

#if defined(__AVX512F__)
constexpr std::size_t kVectorBytes = 64;
#elif defined(__AVX__)
constexpr std::size_t kVectorBytes = 32;
#else
constexpr std::size_t kVectorBytes = 16;  // SSE, and wasm SIMD128
#endif

template <class T>
struct Vec {
  static constexpr std::size_t lanes = kVectorBytes / sizeof(T);
  typedef T type __attribute__((vector_size(kVectorBytes)));
};

#ifndef GEMM_MR
#define GEMM_MR 4
#endif
#ifndef GEMM_NV
#define GEMM_NV 2
#endif
constexpr std::size_t kMR = GEMM_MR;  // rows of C per tile
constexpr std::size_t kNV = GEMM_NV;  // vectors of C per tile row

template <class T>
constexpr std::size_t panel_width() {
  return kNV * Vec<T>::lanes;
}

// The first n (< lanes) lanes of v to p: lane by lane, so that the compiler does not turn
// the loop into a call to memcpy (which it does for a plain copy loop of variable length).
template <class V, class T>
inline void store_first(T* p, V v, std::size_t n) {
  if constexpr (sizeof(V) == 16 && sizeof(T) == 4) {
    // 1 to 3 floats of a 16-byte vector: the low pair as one 8-byte integer lane, then
    // lane 2; a compare and a lane store per float cost more than the tile's work when
    // K is tiny.
    typedef long long i64x2 __attribute__((vector_size(16)));
    if (n >= 2) {
      const long long low = ((i64x2)v)[0];
      std::memcpy(p, &low, 8);
      if (n == 3) p[2] = v[2];
    } else {
      p[0] = v[0];
    }
  } else {
    for (std::size_t l = 0; l < sizeof(V) / sizeof(T); ++l)
      if (l < n) p[l] = v[l];
  }
}

// One operand: element (i, j) at data[i * rs + j * cs].
template <class T>
struct View {
  const T* data;
  std::ptrdiff_t rs, cs;
};

// How a tile's accumulators start: zero, a bias per column (the same NR-wide vector in
// every row), or a bias per row (one value broadcast along the row).
enum class Init { zero, per_column, per_row };

// The tile kernel: R (<= MR) rows × NR columns of C, kept in registers over p = 0..K-1.
// A: element (r, p) at a[r * a_rs + p * a_ps]; packed tiles have a_rs = 1, a_ps = MR
// (compile-time, so every broadcast is a load at a fixed offset). B: K rows of NR
// contiguous values, b_ps apart (NR when packed). init: per_column: NR values; per_row:
// R values at stride init_rs.
// rows × cols of the tile are stored; rows = R always.
template <class T, std::size_t R, bool Packed>
inline void tile(std::size_t K, const T* __restrict a, std::ptrdiff_t a_rs, std::ptrdiff_t a_ps,
                 const T* __restrict b, std::ptrdiff_t b_ps, Init init_kind, const T* init,
                 std::ptrdiff_t init_rs, T* c, std::ptrdiff_t c_ms, std::ptrdiff_t c_ns,
                 std::size_t cols) {
  using V = typename Vec<T>::type;
  constexpr std::size_t W = Vec<T>::lanes, NR = kNV * W;
  if constexpr (Packed) {
    a_rs = 1;
    a_ps = static_cast<std::ptrdiff_t>(kMR);
  }
  V acc[R][kNV];
  if (init_kind == Init::per_column) {
    for (std::size_t v = 0; v < kNV; ++v) {
      const V bias = load<V>(init + v * W);
      for (std::size_t r = 0; r < R; ++r) acc[r][v] = bias;
    }
  } else if (init_kind == Init::per_row) {
    for (std::size_t r = 0; r < R; ++r) {
      const V bias = V{} + init[static_cast<std::ptrdiff_t>(r) * init_rs];
      for (std::size_t v = 0; v < kNV; ++v) acc[r][v] = bias;
    }
  } else {
    for (std::size_t r = 0; r < R; ++r)
      for (std::size_t v = 0; v < kNV; ++v) acc[r][v] = V{};
  }
  for (std::size_t p = 0; p < K; ++p) {
    V bv[kNV];
    for (std::size_t v = 0; v < kNV; ++v) bv[v] = load<V>(b + v * W);
    for (std::size_t r = 0; r < R; ++r) {
      const T x = a[static_cast<std::ptrdiff_t>(r) * a_rs];
      for (std::size_t v = 0; v < kNV; ++v) acc[r][v] += x * bv[v];
    }
    a += a_ps;
    b += b_ps;
  }
  // Stores: whole vectors along contiguous rows of C, the rest one element at a time.
  if (c_ns == 1) {
    const std::size_t full = cols / W;
    for (std::size_t r = 0; r < R; ++r) {
      T* cr = c + static_cast<std::ptrdiff_t>(r) * c_ms;
      for (std::size_t v = 0; v < kNV; ++v) {
        if (v < full) {
          store(cr + v * W, acc[r][v]);
        } else if (v * W < cols) {
          store_first(cr + v * W, acc[r][v], cols - v * W);
        }
      }
    }
    return;
  }
  for (std::size_t r = 0; r < R; ++r) {
    T tmp[NR];
    for (std::size_t v = 0; v < kNV; ++v) store(tmp + v * W, acc[r][v]);
    T* cr = c + static_cast<std::ptrdiff_t>(r) * c_ms;
    for (std::size_t j = 0; j < cols; ++j) cr[static_cast<std::ptrdiff_t>(j) * c_ns] = tmp[j];
  }
}

// A block of `rows` (1 .. MR) rows through the kernel of exactly that height.
template <class T, bool Packed, std::size_t R = kMR>
inline void tile_rows(std::size_t rows, std::size_t K, const T* a, std::ptrdiff_t a_rs,
                      std::ptrdiff_t a_ps, const T* b, std::ptrdiff_t b_ps, Init init_kind,
                      const T* init, std::ptrdiff_t init_rs, T* c, std::ptrdiff_t c_ms,
                      std::ptrdiff_t c_ns, std::size_t cols) {
  if constexpr (R > 0) {
    if (rows == R)
      tile<T, R, Packed>(K, a, a_rs, a_ps, b, b_ps, init_kind, init, init_rs, c, c_ms, c_ns, cols);
    else
      tile_rows<T, Packed, R - 1>(rows, K, a, a_rs, a_ps, b, b_ps, init_kind, init, init_rs, c,
                                  c_ms, c_ns, cols);
  }
}

// Which way round multiply() computes an M × N × K product: false for C = A·B, true for
// Cᵀ = Bᵀ·Aᵀ. Lanes run along N: the cost model counts tile passes (K each, plus a fixed
// cost per tile for its start and its stores, higher when the stores are scattered).
// Each element of C gets the same sum in the same order either way.
template <class T>
inline bool transposed(std::size_t M, std::size_t N, std::size_t K, std::ptrdiff_t c_ms,
                       std::ptrdiff_t c_ns) {
  constexpr std::size_t NR = panel_width<T>(), MR = kMR;
  auto tiles = [](std::size_t m, std::size_t n) { return (m + MR - 1) / MR * ((n + NR - 1) / NR); };
  auto store = [](std::ptrdiff_t lane_stride) { return lane_stride == 1 ? 2 * kNV + 4 : 4 * NR; };
  return tiles(N, M) * (K + store(c_ms)) < tiles(M, N) * (K + store(c_ns));
}

// Enough packing scratch (elements) for multiply() on any M' <= M, N' <= N with this K,
// whichever way round it computes: A's tiles, and B's panels plus a padded bias.
template <class T>
inline std::size_t scratch_a(std::size_t M, std::size_t N, std::size_t K) {
  return (std::max(M, N) + kMR - 1) / kMR * kMR * K;
}
template <class T>
inline std::size_t scratch_b(std::size_t M, std::size_t N, std::size_t K) {
  constexpr std::size_t NR = panel_width<T>();
  return (std::max(M, N) + NR - 1) / NR * NR * (K + 1);
}

// Packing copies 4 × 4 blocks of floats with one transpose when the source runs the other
// way: four 16-byte loads, eight shuffles, four stores instead of sixteen scalar copies.
typedef float f32x4 __attribute__((vector_size(16)));
inline void transpose4(f32x4& a0, f32x4& a1, f32x4& a2, f32x4& a3) {
  const f32x4 t0 = __builtin_shufflevector(a0, a1, 0, 4, 1, 5);
  const f32x4 t1 = __builtin_shufflevector(a0, a1, 2, 6, 3, 7);
  const f32x4 t2 = __builtin_shufflevector(a2, a3, 0, 4, 1, 5);
  const f32x4 t3 = __builtin_shufflevector(a2, a3, 2, 6, 3, 7);
  a0 = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
  a1 = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
  a2 = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
  a3 = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
}

// `count` (<= 4) lines of K values each, line i starting at src + i * line_stride and
// contiguous in p, written transposed: dst[p * dst_stride + i] for p < K; lines past
// `count` are zeros.
inline void pack_lines4(const float* src, std::ptrdiff_t line_stride, std::size_t count,
                        std::size_t K, float* dst, std::size_t dst_stride) {
  const float* line[4];
  for (std::size_t i = 0; i < 4; ++i) line[i] = src + static_cast<std::ptrdiff_t>(std::min(i, count - 1)) * line_stride;
  std::size_t p = 0;
  for (; p + 4 <= K; p += 4) {
    f32x4 v[4];
    for (std::size_t i = 0; i < 4; ++i) v[i] = i < count ? load<f32x4>(line[i] + p) : f32x4{};
    transpose4(v[0], v[1], v[2], v[3]);
    for (std::size_t j = 0; j < 4; ++j) store(dst + (p + j) * dst_stride, v[j]);
  }
  for (std::size_t q = 0; q < K % 4; ++q, ++p)  // the last K % 4 values of each line
    for (std::size_t i = 0; i < 4; ++i) dst[p * dst_stride + i] = i < count ? line[i][p] : 0.0f;
}

// One tile of A: `rows` (<= MR) rows from m0, p-major (block[p * MR + r]), zero rows at
// the bottom.
template <class T>
inline void pack_a_tile(const View<T>& A, std::size_t m0, std::size_t rows, std::size_t K, T* block) {
  constexpr std::size_t MR = kMR;
  if constexpr (std::is_same_v<T, float> && MR == 4) {
    if (A.cs == 1) {  // rows contiguous in p: transposed 4 × 4 at a time
      pack_lines4(A.data + static_cast<std::ptrdiff_t>(m0) * A.rs, A.rs, rows, K, block, MR);
      return;
    }
    if (A.rs == 1 && rows == MR) {  // the tile's MR values of each p are contiguous
      for (std::size_t p = 0; p < K; ++p)
        store(block + p * MR, load<f32x4>(A.data + static_cast<std::ptrdiff_t>(p) * A.cs + m0));
      return;
    }
  }
  for (std::size_t r = 0; r < MR; ++r) {
    if (r < rows) {
      const T* src = A.data + static_cast<std::ptrdiff_t>(m0 + r) * A.rs;
      for (std::size_t p = 0; p < K; ++p) block[p * MR + r] = src[static_cast<std::ptrdiff_t>(p) * A.cs];
    } else {
      for (std::size_t p = 0; p < K; ++p) block[p * MR + r] = T(0);
    }
  }
}

// One panel of B: `cols` (<= NR) columns from n0, row by row (panel[p * NR + j]), zero
// columns at the right.
template <class T>
inline void pack_b_panel(const View<T>& B, std::size_t n0, std::size_t cols, std::size_t K, T* panel) {
  using V = typename Vec<T>::type;
  constexpr std::size_t W = Vec<T>::lanes, NR = panel_width<T>();
  if constexpr (std::is_same_v<T, float>) {
    if (B.rs == 1 && NR % 4 == 0) {  // columns contiguous in p (a transposed B): 4 × 4 blocks
      for (std::size_t j = 0; j < NR; j += 4) {
        if (j < cols)
          pack_lines4(B.data + static_cast<std::ptrdiff_t>(n0 + j) * B.cs, B.cs, std::min<std::size_t>(4, cols - j),
                      K, panel + j, NR);
        else
          for (std::size_t p = 0; p < K; ++p) store(panel + p * NR + j, f32x4{});
      }
      return;
    }
  }
  for (std::size_t p = 0; p < K; ++p) {
    const T* src = B.data + static_cast<std::ptrdiff_t>(p) * B.rs + static_cast<std::ptrdiff_t>(n0) * B.cs;
    T* dst = panel + p * NR;
    if (B.cs == 1 && cols == NR) {
      for (std::size_t v = 0; v < kNV; ++v) store(dst + v * W, load<V>(src + v * W));
    } else {
      for (std::size_t j = 0; j < NR; ++j) dst[j] = j < cols ? src[static_cast<std::ptrdiff_t>(j) * B.cs] : T(0);
    }
  }
}

// C (M × N) = init + A (M × K) · B (K × N). init: nullptr (zeros) or a vector broadcast
// along M (init_ms = 0, init_ns = 1: a bias per column) or along N (init_ms = 1,
// init_ns = 0: a bias per row). scratch_a/scratch_b: see above; grown if too small.
template <class T>
void multiply(std::size_t M, std::size_t N, std::size_t K, View<T> A, View<T> B,
              const T* init, std::ptrdiff_t init_ms, std::ptrdiff_t init_ns, T* C,
              std::ptrdiff_t c_ms, std::ptrdiff_t c_ns, std::vector<T>& scratch_a,
              std::vector<T>& scratch_b) {
  if (M == 0 || N == 0) return;
  constexpr std::size_t NR = panel_width<T>(), MR = kMR;
  if (transposed<T>(M, N, K, c_ms, c_ns)) {
    std::swap(M, N);
    const View<T> At{B.data, B.cs, B.rs}, Bt{A.data, A.cs, A.rs};
    A = At;
    B = Bt;
    std::swap(init_ms, init_ns);
    std::swap(c_ms, c_ns);
  }
  const std::size_t panels = (N + NR - 1) / NR, Np = panels * NR, Mp = (M + MR - 1) / MR * MR;
  // Sized in advance by the caller, so this does not allocate.
  if (scratch_b.size() < Np * (K + 1)) scratch_b.resize(Np * (K + 1));
  // A is packed (MR rows p-major per tile: broadcasts at fixed offsets) when its tiles are
  // used by enough panels to repay the copy; otherwise the kernel reads it in place.
  const bool pack_a = panels >= 3 && K >= 8;
  if (pack_a && scratch_a.size() < Mp * K) scratch_a.resize(Mp * K);

  // B in panels of NR columns, row by row, zero columns at the right edge. A full panel of
  // a row-major B that few row tiles share is read in place instead (no copy to repay).
  const bool b_in_place = B.cs == 1 && M <= 2 * MR;
  T* pb = scratch_b.data();
  for (std::size_t n0 = 0; n0 < Np; n0 += NR) {
    const std::size_t cols = std::min(NR, N - n0);
    if (b_in_place && cols == NR) continue;
    pack_b_panel(B, n0, cols, K, pb + n0 * K);
  }
  // A bias per column, zero padded to whole panels.
  Init init_kind = Init::zero;
  const T* bias = nullptr;
  if (init && init_ms == 0) {
    init_kind = Init::per_column;
    T* padded = pb + Np * K;
    for (std::size_t j = 0; j < Np; ++j)
      padded[j] = j < N ? init[static_cast<std::ptrdiff_t>(j) * init_ns] : T(0);
    bias = padded;
  } else if (init) {
    init_kind = Init::per_row;
    bias = init;
  }
  // A in tiles of MR rows, p-major inside a tile, zero rows at the bottom edge.
  T* pa = scratch_a.data();
  if (pack_a)
    for (std::size_t m0 = 0; m0 < Mp; m0 += MR) pack_a_tile(A, m0, std::min(MR, M - m0), K, pa + m0 * K);
  for (std::size_t n0 = 0; n0 < N; n0 += NR) {
    const std::size_t cols = std::min(NR, N - n0);
    const bool direct = b_in_place && cols == NR;
    const T* panel = direct ? B.data + static_cast<std::ptrdiff_t>(n0) : pb + n0 * K;
    const std::ptrdiff_t b_ps = direct ? B.rs : static_cast<std::ptrdiff_t>(NR);
    for (std::size_t m0 = 0; m0 < M; m0 += MR) {
      const std::size_t rows = std::min(MR, M - m0);
      const T* b0 = init_kind == Init::per_column ? bias + n0
                    : init_kind == Init::per_row   ? bias + static_cast<std::ptrdiff_t>(m0) * init_ms
                                                   : nullptr;
      T* c = C + static_cast<std::ptrdiff_t>(m0) * c_ms + static_cast<std::ptrdiff_t>(n0) * c_ns;
      if (pack_a) {
        // Padded rows are zero: the full-height kernel, storing only `rows`.
        if (rows == MR)
          tile<T, MR, true>(K, pa + m0 * K, 1, MR, panel, b_ps, init_kind, b0, init_ms, c, c_ms,
                            c_ns, cols);
        else
          tile_rows<T, true>(rows, K, pa + m0 * K, 1, MR, panel, b_ps, init_kind, b0, init_ms, c,
                             c_ms, c_ns, cols);
      } else {
        tile_rows<T, false>(rows, K, A.data + static_cast<std::ptrdiff_t>(m0) * A.rs, A.rs, A.cs,
                            panel, b_ps, init_kind, b0, init_ms, c, c_ms, c_ns, cols);
      }
    }
  }
}

}  // namespace gemm
}  // namespace initscope
