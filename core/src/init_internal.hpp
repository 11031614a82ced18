// Internal to the init files: element laws (init_laws.cpp) and the initializers whose
// elements are not i.i.d. (orthogonal, identity/eye, sparse; init_structured.cpp), which the
// table in init_table.cpp wires to names and params.
#pragma once
#include <cstddef>

#include "initscope/init.hpp"

namespace initscope {

// ---- element laws (init_laws.cpp) ----

ElementLaw constant_law(double value);
// A zero-width interval (e.g. the bias of a layer with fan_in 0) is the constant lo.
ElementLaw uniform_law(double lo, double hi);
// stddev 0 (scaled_normal with v = 0) is the constant mean.
ElementLaw normal_law(double mean, double stddev);
ElementLaw keras_truncated_law(double mean, double stddev);
ElementLaw truncated_law(double mean, double stddev, double a, double b);
// Keras VarianceScaling: v = scale / max(1, n); "normal" is Keras' alias of truncated_normal.
ElementLaw variance_scaling_law(double scale, const std::string& mode,
                                const std::string& distribution, const Fans& fans);

// n i.i.d. draws of `law`, stored as float32 within the law's support.
void fill_law(const ElementLaw& law, std::size_t n, Rng& rng, float* out);
Moments law_moments(const ElementLaw& law);

// P(a <= Z <= b) for a standard normal Z, from the nearer tail so that an interval far out
// keeps its relative precision.
double normal_mass(double a, double b);

// ---- structured initializers (init_structured.cpp) ----

// gain · Q, Q Haar-distributed with orthonormal columns (rows >= cols) or rows (rows < cols):
// A ~ N(0,1) of shape (max, min) drawn row-major as the frameworks do, reduced QR by
// Householder reflections in double, Q·diag(sign(diag R)) (Mezzadri), transposed back when
// rows < cols. `out` is (rows, cols) row-major.
void sample_orthogonal(std::size_t rows, std::size_t cols, double gain, Rng& rng, float* out);
// Every element has mean 0 and E[x²] = gain²/max(rows, cols) (unit columns or rows).
Moments orthogonal_moments(std::size_t rows, std::size_t cols, double gain);

// gain on the first min(rows, cols) diagonal entries, 0 elsewhere.
void fill_identity(std::size_t rows, std::size_t cols, double gain, float* out);
Moments identity_moments(std::size_t rows, std::size_t cols, double gain);

// PyTorch sparse_ in our (fan_in, fan_out) layout. PyTorch's weight is (out, in) and zeroes
// ceil(sparsity·out) random rows in each column, i.e. for each input, that many of its
// outputs. Our weight is the transpose, so each of our rows (one input) gets
// ceil(sparsity·fan_out) of its fan_out entries zeroed. The rest are N(0, std²).
std::size_t sparse_zeros_per_row(double sparsity, std::size_t fan_out);
void sample_sparse(std::size_t rows, std::size_t cols, double sparsity, double stddev, Rng& rng,
                   float* out);
Moments sparse_moments(std::size_t cols, double sparsity, double stddev);

}  // namespace initscope
