// The machine's ceiling for what the engine's matrix product does: 128-bit vectors of 4
// floats, acc += x·y as a multiply and an add (wasm SIMD has no fused multiply-add, and
// the engine uses none natively either). The product's inner loop with its data in L1:
// N accumulators, each with its own x (so no two products are alike), times a y loaded
// each step (so no product is loop-invariant). An earlier version multiplied every
// accumulator by one of two shared values, which the compiler computed once per step:
// it timed additions and reported 52-60 GFLOP/s, about 1.6 times what the core does.
//
// Built by bench/run.mjs for wasm (em++ -msimd128, run in Node), natively at 128 bits
// (g++ -march=x86-64-v2 -ffp-contract=off), and natively with -march=x86-64-v3
// -ffp-contract=fast, where g++ fuses each multiply-add into one FMA: the ceiling of
// the fused arithmetic this engine does not use. Prints the best GFLOP/s over a few
// accumulator counts (a multiply or an add = 1 flop per lane; an FMA = 2).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

typedef float f32x4 __attribute__((vector_size(16)));

constexpr int K = 256;  // y: 4 KB, in L1

// K steps on N accumulators. Many short calls: V8 optimizes a wasm function between
// calls, not inside one long call.
template <int N>
__attribute__((noinline)) void block(f32x4* __restrict acc_io, const f32x4* __restrict x_in,
                                     const f32x4* __restrict y) {
  f32x4 acc[N], x[N];
  for (int j = 0; j < N; ++j) {
    acc[j] = acc_io[j];
    x[j] = x_in[j];
  }
  for (int p = 0; p < K; ++p) {
    const f32x4 v = y[p];
    for (int j = 0; j < N; ++j) acc[j] = acc[j] + x[j] * v;
  }
  for (int j = 0; j < N; ++j) acc_io[j] = acc[j];
}

// Best GFLOP/s of 5 repetitions; `seed` comes from the command line so that nothing folds.
template <int N>
double measure(float seed, float& sink) {
  std::vector<f32x4> acc(N), x(N), y(K);
  for (int j = 0; j < N; ++j) {
    acc[j] = f32x4{};
    x[j] = f32x4{} + seed * static_cast<float>(j + 1);
  }
  for (int p = 0; p < K; ++p) y[p] = f32x4{} + seed * static_cast<float>(p % 7);
  for (int i = 0; i < 20000; ++i) block<N>(acc.data(), x.data(), y.data());
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const long calls = 1200000 / N;  // about 0.1 s
    const auto t0 = std::chrono::steady_clock::now();
    for (long i = 0; i < calls; ++i) block<N>(acc.data(), x.data(), y.data());
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, calls * K * N * 2.0 * 4.0 / dt / 1e9);
  }
  for (int j = 0; j < N; ++j) sink += acc[j][0];
  return best;
}

int main(int argc, char**) {
  const float seed = 1e-3f * static_cast<float>(argc);
  float sink = 0;
  // 4 and 6 accumulators fit the 15 vector registers V8 allocates; an FMA's latency
  // needs more chains in flight to fill both of its ports.
  const double best = std::max({measure<4>(seed, sink), measure<6>(seed, sink), measure<8>(seed, sink),
                                measure<12>(seed, sink)});
  std::printf("{\"gflops\": %.2f, \"sink\": %g}\n", best, static_cast<double>(sink));
  return 0;
}
