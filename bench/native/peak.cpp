// The machine's ceiling for what the engine's matrix product does: 128-bit vectors of 4
// floats, a multiply and an add per term (wasm SIMD has no fused multiply-add, and the
// engine uses none natively either). The matrix product's inner loop without its loads:
// ten accumulators acc += x·y from registers, y stepping each iteration so nothing is
// loop-invariant: the most mul+add work per second this core does at this width.
// bench/run.mjs builds it for wasm (em++ -msimd128, run in Node) and natively
// (g++ -march=x86-64-v2) and prints GFLOP/s (a multiply or an add = 1 flop per lane).
#include <chrono>
#include <cstdio>

typedef float f32x4 __attribute__((vector_size(16)));

int main() {
  f32x4 acc[10];
  for (int i = 0; i < 10; ++i) acc[i] = f32x4{} + static_cast<float>(i);
  const f32x4 x0 = f32x4{} + 1e-3f, x1 = f32x4{} - 1e-3f, d = f32x4{} + 1e-9f;
  f32x4 y = f32x4{} + 1.0f;
  const long n = 100000000;
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    for (long i = 0; i < n / 5; ++i) {
      y = y + d;
      for (int j = 0; j < 10; ++j) acc[j] = acc[j] + (j % 2 ? x1 : x0) * y;
    }
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double gflops = (n / 5) * 21.0 * 4.0 / dt / 1e9;
    if (gflops > best) best = gflops;
  }
  float sink = 0;
  for (int j = 0; j < 10; ++j) sink += acc[j][0];
  std::printf("{\"gflops\": %.2f, \"sink\": %g}\n", best, static_cast<double>(sink));
  return 0;
}
