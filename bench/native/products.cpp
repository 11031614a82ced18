// C4's matrix products alone: the eight calls of core/src/gemm.hpp that one training step
// of 784-256-256-10 at batch 64 makes (x·W + b per layer, xᵀ·dz per layer, dz·Wᵀ for the
// last two), on fixed data, without the rest of the step (activations, loss, update,
// checks). bench/run.mjs builds it natively (g++ -march=x86-64-v2) and for wasm (em++
// -msimd128) and prints the best GFLOP/s of 5 repetitions, to set beside C4's whole step.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "../../core/src/gemm.hpp"

using initscope::gemm::multiply;

int main() {
  const std::size_t rows = 64, dims[4] = {784, 256, 256, 10};
  std::vector<float> x(rows * dims[0]);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 7919) % 1000) / 1000.0f - 0.5f;
  std::vector<std::vector<float>> w(3), b(3), z(3), dz(3), dw(3), dx(3);
  double flops = 0;
  for (int l = 0; l < 3; ++l) {
    const std::size_t n_in = dims[l], n_out = dims[l + 1];
    w[l].assign(n_in * n_out, 0.01f);
    b[l].assign(n_out, 0.0f);
    z[l].assign(rows * n_out, 0.0f);
    dz[l].assign(rows * n_out, 0.001f);
    dw[l].assign(n_in * n_out, 0.0f);
    dx[l].assign(rows * n_in, 0.0f);
    flops += 2.0 * rows * n_in * n_out * (l == 0 ? 2 : 3);
  }
  std::vector<float> pa(1 << 20), pb(1 << 20);
  auto step = [&] {
    const float* in = x.data();
    for (int l = 0; l < 3; ++l) {
      const auto ni = static_cast<std::ptrdiff_t>(dims[l]), no = static_cast<std::ptrdiff_t>(dims[l + 1]);
      multiply<float>(rows, dims[l + 1], dims[l], {in, ni, 1}, {w[l].data(), no, 1}, b[l].data(), 0, 1,
                      z[l].data(), no, 1, pa, pb);
      in = z[l].data();
    }
    for (int l = 2; l >= 0; --l) {
      const auto ni = static_cast<std::ptrdiff_t>(dims[l]), no = static_cast<std::ptrdiff_t>(dims[l + 1]);
      const float* input = l ? z[l - 1].data() : x.data();
      multiply<float>(dims[l], dims[l + 1], rows, {input, 1, ni}, {dz[l].data(), no, 1}, nullptr, 0, 0,
                      dw[l].data(), no, 1, pa, pb);
      if (l)
        multiply<float>(rows, dims[l], dims[l + 1], {dz[l].data(), no, 1}, {w[l].data(), 1, no}, nullptr,
                        0, 0, dx[l].data(), ni, 1, pa, pb);
    }
  };
  for (int i = 0; i < 100; ++i) step();
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    const int n = 200;
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i) step();
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    best = std::max(best, flops * n / dt / 1e9);
  }
  std::printf("{\"gflops\": %.2f, \"sink\": %g}\n", best, static_cast<double>(dw[0][0] + dx[1][0]));
  return 0;
}
