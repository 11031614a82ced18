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
// B vectors and a broadcast in 11 of the 16 registers V8 has for wasm SIMD.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <vector>

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

// Unaligned loads and stores through memcpy: one movups / v128.load each.
template <class V, class T>
inline V load(const T* p) {
  V v;
  std::memcpy(&v, p, sizeof(V));
  return v;
}
template <class V, class T>
inline void store(T* p, V v) {
  std::memcpy(p, &v, sizeof(V));
}

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

// One operand: element (i, j) at data[i * rs + j * cs].
template <class T>
struct View {
  const T* data;
  std::ptrdiff_t rs, cs;
};

// The tile kernel: an MR × NR block of C from `a`, A's MR rows packed p-major (MR values
// per p), and `b`, B's K × NR panel packed row by row; `rows` × `cols` of it are stored.
template <class T>
inline void tile(std::size_t K, const T* __restrict a, const T* __restrict b,
                 const T* init, std::ptrdiff_t init_ms, std::ptrdiff_t init_ns, T* c,
                 std::ptrdiff_t c_ms, std::ptrdiff_t c_ns, std::size_t rows, std::size_t cols) {
  using V = typename Vec<T>::type;
  constexpr std::size_t W = Vec<T>::lanes, NR = kNV * W, MR = kMR;
  V acc[MR][kNV];
  // Initial values: init (a bias, broadcast along one axis) or zero.
  if (init) {
    T tmp[MR][NR] = {};
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t j = 0; j < cols; ++j)
        tmp[r][j] = init[static_cast<std::ptrdiff_t>(r) * init_ms +
                         static_cast<std::ptrdiff_t>(j) * init_ns];
    for (std::size_t r = 0; r < MR; ++r)
      for (std::size_t v = 0; v < kNV; ++v) acc[r][v] = load<V>(&tmp[r][v * W]);
  } else {
    for (std::size_t r = 0; r < MR; ++r)
      for (std::size_t v = 0; v < kNV; ++v) acc[r][v] = V{};
  }
  for (std::size_t p = 0; p < K; ++p) {
    V bv[kNV];
    for (std::size_t v = 0; v < kNV; ++v) bv[v] = load<V>(b + v * W);
    for (std::size_t r = 0; r < MR; ++r) {
      const T x = a[r];
      for (std::size_t v = 0; v < kNV; ++v) acc[r][v] += x * bv[v];
    }
    a += MR;
    b += NR;
  }
  // Store: whole vectors when the rows of C are contiguous and the block is full.
  if (c_ns == 1 && cols == NR && rows == MR) {
    for (std::size_t r = 0; r < MR; ++r)
      for (std::size_t v = 0; v < kNV; ++v)
        store(c + static_cast<std::ptrdiff_t>(r) * c_ms + v * W, acc[r][v]);
    return;
  }
  for (std::size_t r = 0; r < rows; ++r) {
    T tmp[NR];
    for (std::size_t v = 0; v < kNV; ++v) store(tmp + v * W, acc[r][v]);
    T* cr = c + static_cast<std::ptrdiff_t>(r) * c_ms;
    for (std::size_t j = 0; j < cols; ++j) cr[static_cast<std::ptrdiff_t>(j) * c_ns] = tmp[j];
  }
}

// Which way round multiply() computes an M × N × K product: false for C = A·B, true for
// Cᵀ = Bᵀ·Aᵀ (lanes along N pad less then). Each element gets the same sum either way.
template <class T>
inline bool transposed(std::size_t M, std::size_t N) {
  constexpr std::size_t NR = panel_width<T>(), MR = kMR;
  auto up = [](std::size_t n, std::size_t to) { return (n + to - 1) / to * to; };
  return up(M, MR) * up(N, NR) > up(N, MR) * up(M, NR);
}

// Enough packing scratch (elements) for multiply() on any M' <= M, N' <= N with this K,
// whichever way round it computes: A's tiles and B's panels.
template <class T>
inline std::size_t scratch_a(std::size_t M, std::size_t N, std::size_t K) {
  return (std::max(M, N) + kMR - 1) / kMR * kMR * K;
}
template <class T>
inline std::size_t scratch_b(std::size_t M, std::size_t N, std::size_t K) {
  constexpr std::size_t NR = panel_width<T>();
  return (std::max(M, N) + NR - 1) / NR * NR * K;
}

// C (M × N) = init + A (M × K) · B (K × N). init: nullptr (zeros) or a vector broadcast
// along M (init_ms = 0, init_ns = 1: a bias per column) or along N (1, 0).
template <class T>
void multiply(std::size_t M, std::size_t N, std::size_t K, View<T> A, View<T> B,
              const T* init, std::ptrdiff_t init_ms, std::ptrdiff_t init_ns, T* C,
              std::ptrdiff_t c_ms, std::ptrdiff_t c_ns, std::vector<T>& scratch_a,
              std::vector<T>& scratch_b) {
  if (M == 0 || N == 0) return;
  constexpr std::size_t NR = panel_width<T>(), MR = kMR;
  auto up = [](std::size_t n, std::size_t to) { return (n + to - 1) / to * to; };
  // Orientation: lanes run along N. Compute Cᵀ = Bᵀ·Aᵀ instead when that pads less (N
  // narrow, M wide); each element sees the same terms in the same order either way.
  if (transposed<T>(M, N)) {
    std::swap(M, N);
    const View<T> At{B.data, B.cs, B.rs}, Bt{A.data, A.cs, A.rs};
    A = At;
    B = Bt;
    std::swap(init_ms, init_ns);
    std::swap(c_ms, c_ns);
  }
  const std::size_t Mp = up(M, MR), Np = up(N, NR);
  // Sized in advance by the caller (scratch_a/scratch_b), so this does not allocate.
  if (scratch_a.size() < Mp * K) scratch_a.resize(Mp * K);
  if (scratch_b.size() < Np * K) scratch_b.resize(Np * K);
  // Pack A in blocks of MR rows, p-major inside a block, zero rows at the bottom edge.
  T* pa = scratch_a.data();
  for (std::size_t m0 = 0; m0 < Mp; m0 += MR) {
    T* block = pa + m0 * K;
    const std::size_t rows = std::min(MR, M - std::min(M, m0));
    for (std::size_t r = 0; r < MR; ++r) {
      if (r < rows) {
        const T* src = A.data + static_cast<std::ptrdiff_t>(m0 + r) * A.rs;
        for (std::size_t p = 0; p < K; ++p) block[p * MR + r] = src[static_cast<std::ptrdiff_t>(p) * A.cs];
      } else {
        for (std::size_t p = 0; p < K; ++p) block[p * MR + r] = T(0);
      }
    }
  }
  // Pack B in panels of NR columns, row by row, zero columns at the right edge.
  T* pb = scratch_b.data();
  for (std::size_t n0 = 0; n0 < Np; n0 += NR) {
    T* panel = pb + n0 * K;
    const std::size_t cols = std::min(NR, N - n0);
    for (std::size_t p = 0; p < K; ++p) {
      const T* src = B.data + static_cast<std::ptrdiff_t>(p) * B.rs +
                     static_cast<std::ptrdiff_t>(n0) * B.cs;
      T* dst = panel + p * NR;
      if (B.cs == 1)
        std::copy(src, src + cols, dst);
      else
        for (std::size_t j = 0; j < cols; ++j) dst[j] = src[static_cast<std::ptrdiff_t>(j) * B.cs];
      std::fill(dst + cols, dst + NR, T(0));
    }
  }
  for (std::size_t n0 = 0; n0 < N; n0 += NR) {
    const std::size_t cols = std::min(NR, N - n0);
    for (std::size_t m0 = 0; m0 < M; m0 += MR) {
      const std::size_t rows = std::min(MR, M - m0);
      const T* init_tile = init ? init + static_cast<std::ptrdiff_t>(m0) * init_ms +
                                      static_cast<std::ptrdiff_t>(n0) * init_ns
                                : nullptr;
      tile<T>(K, pa + m0 * K, pb + n0 * K, init_tile, init_ms, init_ns,
              C + static_cast<std::ptrdiff_t>(m0) * c_ms + static_cast<std::ptrdiff_t>(n0) * c_ns,
              c_ms, c_ns, rows, cols);
    }
  }
}

}  // namespace gemm
}  // namespace initscope
