#include "init_internal.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

namespace initscope {

namespace {

// Four partial sums: independent chains the compiler can vectorize without reassociating.
double dot(const double* x, const double* y, std::size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += x[i] * y[i];
    s1 += x[i + 1] * y[i + 1];
    s2 += x[i + 2] * y[i + 2];
    s3 += x[i + 3] * y[i + 3];
  }
  for (; i < n; ++i) s0 += x[i] * y[i];
  return (s0 + s1) + (s2 + s3);
}

void axpy(double a, const double* x, double* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] += a * x[i];
}

// Reduced QR of a tall m×n matrix (m >= n), column-major (column j at a + j·m), by
// Householder reflections H_k = I − β_k v_k v_kᵀ. Returns Q (m×n, column-major) with the
// signs fixed so that R has a nonnegative diagonal: that Q is unique, hence the same Haar
// sample whatever QR algorithm a framework uses (up to rounding).
//
// Blocked (compact WY, as LAPACK's dgeqrf/dorgqr): a panel of kPanel reflectors is
// I − V T Vᵀ and is applied to a column four reflectors per pass, so each element of the
// column is loaded once for four multiply-adds instead of once for one.
constexpr std::size_t kPanel = 32;

struct Panel {
  std::size_t k0 = 0, width = 0, rows = 0;  // reflectors k0..k0+width−1, rows k0..m−1
  std::vector<double> v;                    // rows×width, column-major, zeros above v_i's start
  std::vector<double> t;                    // width×width upper triangular, row-major
};

// y_l = v_lᵀ x for l in [l0, l0+4): one pass over x, pairs of rows so that the compiler can
// pack each accumulator pair into one SIMD register without reassociating a sum.
void dot4(const Panel& p, std::size_t l0, const double* x, double* y) {
  const double* v0 = p.v.data() + l0 * p.rows;
  const double *v1 = v0 + p.rows, *v2 = v1 + p.rows, *v3 = v2 + p.rows;
  double a0 = 0, b0 = 0, a1 = 0, b1 = 0, a2 = 0, b2 = 0, a3 = 0, b3 = 0;
  std::size_t r = 0;
  for (; r + 2 <= p.rows; r += 2) {
    double x0 = x[r], x1 = x[r + 1];
    a0 += v0[r] * x0; b0 += v0[r + 1] * x1;
    a1 += v1[r] * x0; b1 += v1[r + 1] * x1;
    a2 += v2[r] * x0; b2 += v2[r + 1] * x1;
    a3 += v3[r] * x0; b3 += v3[r + 1] * x1;
  }
  if (r < p.rows) {
    a0 += v0[r] * x[r]; a1 += v1[r] * x[r]; a2 += v2[r] * x[r]; a3 += v3[r] * x[r];
  }
  y[0] = a0 + b0; y[1] = a1 + b1; y[2] = a2 + b2; y[3] = a3 + b3;
}

// x −= Σ_l u_l v_l for l in [l0, l0+4), in one pass over x.
void axpy4(const Panel& p, std::size_t l0, const double* u, double* x) {
  const double* v0 = p.v.data() + l0 * p.rows;
  const double *v1 = v0 + p.rows, *v2 = v1 + p.rows, *v3 = v2 + p.rows;
  double u0 = u[0], u1 = u[1], u2 = u[2], u3 = u[3];
  for (std::size_t r = 0; r < p.rows; ++r)
    x[r] -= (u0 * v0[r] + u1 * v1[r]) + (u2 * v2[r] + u3 * v3[r]);
}

// x ← x − V op(T) Vᵀ x for one column x (from row k0), op(T) = T or Tᵀ.
void apply_panel(const Panel& p, bool transpose_t, double* x) {
  std::size_t w = p.width;
  double y[kPanel] = {}, u[kPanel] = {};  // w is padded to a multiple of 4 with zero columns
  for (std::size_t l = 0; l < w; l += 4) dot4(p, l, x, y + l);
  for (std::size_t r = 0; r < w; ++r) {
    double s = 0;
    if (transpose_t)
      for (std::size_t l = 0; l <= r; ++l) s += p.t[l * w + r] * y[l];
    else
      for (std::size_t l = r; l < w; ++l) s += p.t[r * w + l] * y[l];
    u[r] = s;
  }
  for (std::size_t l = 0; l < w; l += 4) axpy4(p, l, u + l, x);
}

// Copies the panel's reflectors out of `a` and builds T with
// H_k0 ··· H_k0+w−1 = I − V T Vᵀ (LAPACK dlarft, forward, columnwise).
Panel make_panel(const std::vector<double>& a, std::size_t m, std::size_t k0, std::size_t count,
                 const std::vector<double>& beta) {
  Panel p;
  p.k0 = k0;
  p.width = (count + 3) / 4 * 4;  // zero reflectors (β = 0) pad the last group of four
  p.rows = m - k0;
  p.v.assign(p.rows * p.width, 0.0);
  for (std::size_t i = 0; i < count; ++i)
    std::copy(a.begin() + (k0 + i) * m + k0 + i, a.begin() + (k0 + i + 1) * m,
              p.v.begin() + i * p.rows + i);
  std::size_t w = p.width;
  p.t.assign(w * w, 0.0);
  for (std::size_t i = 0; i < count; ++i) {
    const double* vi = p.v.data() + i * p.rows;
    for (std::size_t r = 0; r < i; ++r) {  // T[0:i, i] = −β_i T[0:i, 0:i] (V[:, 0:i]ᵀ v_i)
      double s = 0;
      for (std::size_t l = r; l < i; ++l)
        s += p.t[r * w + l] * dot(p.v.data() + l * p.rows, vi, p.rows);
      p.t[r * w + i] = -beta[k0 + i] * s;
    }
    p.t[i * w + i] = beta[k0 + i];
  }
  return p;
}

std::vector<double> householder_q(std::vector<double>& a, std::size_t m, std::size_t n) {
  std::vector<double> beta(n, 0.0), r_diag(n, 0.0);
  std::vector<Panel> panels;
  for (std::size_t k0 = 0; k0 < n; k0 += kPanel) {
    std::size_t count = std::min(kPanel, n - k0);
    for (std::size_t k = k0; k < k0 + count; ++k) {
      double* v = a.data() + k * m + k;  // the reflector overwrites column k from the diagonal
      std::size_t len = m - k;
      double norm = std::sqrt(dot(v, v, len));
      if (norm == 0.0) {  // H_k = I (β = 0, v = 0), R_kk = 0
        std::fill(v, v + len, 0.0);
        continue;
      }
      double alpha = v[0] >= 0 ? -norm : norm;  // the sign that avoids cancellation in v0
      r_diag[k] = alpha;
      v[0] -= alpha;
      beta[k] = 1.0 / (norm * (norm + std::fabs(v[0] + alpha)));  // 2/‖v‖² in stable form
      for (std::size_t j = k + 1; j < k0 + count; ++j) {  // the rest of the panel
        double* col = a.data() + j * m + k;
        axpy(-beta[k] * dot(v, col, len), v, col, len);
      }
    }
    panels.push_back(make_panel(a, m, k0, count, beta));
    // Trailing columns get H_{k0+w−1} ··· H_k0 = (I − V T Vᵀ)ᵀ = I − V Tᵀ Vᵀ.
    for (std::size_t j = k0 + count; j < n; ++j)
      apply_panel(panels.back(), true, a.data() + j * m + k0);
  }
  // Q = H_0 ··· H_{n−1} [I; 0], accumulated backwards: a panel at k0 leaves columns j < k0
  // alone (they are still e_j, zero from row k0 down).
  std::vector<double> q(m * n, 0.0);
  for (std::size_t j = 0; j < n; ++j) q[j * m + j] = 1.0;
  for (auto p = panels.rbegin(); p != panels.rend(); ++p)
    for (std::size_t j = p->k0; j < n; ++j) apply_panel(*p, false, q.data() + j * m + p->k0);
  // Q·diag(sign(diag R)); sign(0) = 0 zeroes a column, as np.sign does (measure zero).
  for (std::size_t j = 0; j < n; ++j) {
    double s = r_diag[j] > 0 ? 1.0 : r_diag[j] < 0 ? -1.0 : 0.0;
    for (std::size_t i = 0; i < m; ++i) q[j * m + i] *= s;
  }
  return q;
}

}  // namespace

void sample_orthogonal(std::size_t rows, std::size_t cols, double gain, Rng& rng, float* out) {
  std::size_t m = std::max(rows, cols), n = std::min(rows, cols);
  if (n == 0) return;
  // Draw the (m, n) matrix in row-major order, store it column-major for the QR.
  std::vector<double> a(m * n);
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) a[j * m + i] = rng.normal();
  std::vector<double> q = householder_q(a, m, n);
  if (rows >= cols) {
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j)
        out[i * cols + j] = static_cast<float>(gain * q[j * m + i]);
  } else {
    // W = Qᵀ: row i of W is column i of Q, contiguous in our column-major Q.
    for (std::size_t i = 0; i < rows; ++i)
      for (std::size_t j = 0; j < cols; ++j)
        out[i * cols + j] = static_cast<float>(gain * q[i * m + j]);
  }
}

Moments orthogonal_moments(std::size_t rows, std::size_t cols, double gain) {
  std::size_t m = std::max<std::size_t>({rows, cols, 1});
  return {0.0, gain * gain / static_cast<double>(m)};
}

void fill_identity(std::size_t rows, std::size_t cols, double gain, float* out) {
  std::fill(out, out + rows * cols, 0.0f);
  for (std::size_t i = 0; i < std::min(rows, cols); ++i)
    out[i * cols + i] = static_cast<float>(gain);
}

Moments identity_moments(std::size_t rows, std::size_t cols, double gain) {
  if (rows == 0 || cols == 0) return {};
  double ones_fraction = static_cast<double>(std::min(rows, cols)) /
                         (static_cast<double>(rows) * static_cast<double>(cols));
  double mean = gain * ones_fraction;
  return {mean, gain * gain * ones_fraction - mean * mean};
}

std::size_t sparse_zeros_per_row(double sparsity, std::size_t fan_out) {
  // PyTorch: int(math.ceil(sparsity * rows)), in double, quirks included (0.1·30 -> 4).
  double zeros = std::ceil(sparsity * static_cast<double>(fan_out));
  return std::min(fan_out, static_cast<std::size_t>(zeros));
}

void sample_sparse(std::size_t rows, std::size_t cols, double sparsity, double stddev, Rng& rng,
                   float* out) {
  for (std::size_t i = 0; i < rows * cols; ++i)
    out[i] = static_cast<float>(stddev * rng.normal());
  std::size_t zeros = sparse_zeros_per_row(sparsity, cols);
  std::vector<std::size_t> order(cols);
  for (std::size_t i = 0; i < rows; ++i) {
    // A partial Fisher-Yates shuffle picks `zeros` distinct columns uniformly.
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t k = 0; k < zeros; ++k) {
      std::size_t pick = k + rng.below(static_cast<std::uint32_t>(cols - k));
      std::swap(order[k], order[pick]);
      out[i * cols + order[k]] = 0.0f;
    }
  }
}

Moments sparse_moments(std::size_t cols, double sparsity, double stddev) {
  if (cols == 0) return {};
  double kept = 1.0 - static_cast<double>(sparse_zeros_per_row(sparsity, cols)) /
                          static_cast<double>(cols);
  return {0.0, stddev * stddev * kept};
}

}  // namespace initscope
