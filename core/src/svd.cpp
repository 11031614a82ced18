// One-sided Jacobi SVD (svd.hpp).
#include "initscope/svd.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace initscope {

namespace {

// Sweeps after which the rotations stop even if some pair is still not orthogonal to
// rounding (Jacobi converges quadratically; a few sweeps suffice at these sizes).
constexpr int kMaxSweeps = 60;
constexpr double kTolerance = 1e-15;

}  // namespace

std::vector<double> singular_values(const std::vector<double>& a, std::size_t rows, std::size_t cols) {
  // Work on columns stored contiguously: col[j * m + i], m the longer side, n the shorter,
  // so there are n columns to orthogonalize (raw loops: a leaf kernel whose order fixes the
  // bits).
  const bool transpose = cols > rows;
  const std::size_t m = transpose ? cols : rows, n = transpose ? rows : cols;
  std::vector<double> col(m * n);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < cols; ++c) {
      const double v = a[r * cols + c];
      if (transpose) col[r * m + c] = v;
      else col[c * m + r] = v;
    }
  for (int sweep = 0; sweep < kMaxSweeps; ++sweep) {
    bool rotated = false;
    for (std::size_t p = 0; p + 1 < n; ++p)
      for (std::size_t q = p + 1; q < n; ++q) {
        double* x = &col[p * m];
        double* y = &col[q * m];
        double alpha = 0, beta = 0, gamma = 0;
        for (std::size_t i = 0; i < m; ++i) {
          alpha += x[i] * x[i];
          beta += y[i] * y[i];
          gamma += x[i] * y[i];
        }
        if (gamma == 0 || std::fabs(gamma) <= kTolerance * std::sqrt(alpha * beta)) continue;
        rotated = true;
        // The rotation that zeroes the pair's inner product (the smaller of its two angles).
        const double zeta = (beta - alpha) / (2 * gamma);
        const double t = (zeta >= 0 ? 1.0 : -1.0) / (std::fabs(zeta) + std::sqrt(1 + zeta * zeta));
        const double c = 1 / std::sqrt(1 + t * t), s = c * t;
        for (std::size_t i = 0; i < m; ++i) {
          const double xi = x[i], yi = y[i];
          x[i] = c * xi - s * yi;
          y[i] = s * xi + c * yi;
        }
      }
    if (!rotated) break;
  }
  std::vector<double> sigma(n);
  for (std::size_t j = 0; j < n; ++j) {
    double s2 = 0;
    for (std::size_t i = 0; i < m; ++i) s2 += col[j * m + i] * col[j * m + i];
    sigma[j] = std::sqrt(s2);
  }
  std::sort(sigma.begin(), sigma.end(), std::greater<double>());
  return sigma;
}

}  // namespace initscope
