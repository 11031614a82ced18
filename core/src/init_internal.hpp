// Internal to the init files: the initializers whose elements are not i.i.d. (orthogonal,
// identity/eye, sparse; init_structured.cpp), which the table in init_table.cpp wires to
// names and params, and the normal-mass helper that parsing and moments share (init.cpp).
#pragma once
#include <cstddef>

#include "initscope/init.hpp"

namespace initscope {

// P(a <= Z <= b) for a standard normal Z, from the nearer tail so that an interval far out
// keeps its relative precision.
double normal_mass(double a, double b);

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
