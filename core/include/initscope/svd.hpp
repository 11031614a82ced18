// Singular values of a small dense matrix in double: a one-sided Jacobi (Hestenes) SVD,
// for the input-output Jacobian's spectrum (jacobian.hpp).
#pragma once
#include <cstddef>
#include <vector>

namespace initscope {

// The min(rows, cols) singular values of the (rows, cols) row-major matrix `a`, largest
// first. Rotates pairs of columns (of `a` or of its transpose, whichever has fewer) until
// every pair is orthogonal to double rounding; the column norms are then the singular
// values. Only +, −, ×, ÷ and sqrt, in a fixed order: every build gives the same bits.
std::vector<double> singular_values(const std::vector<double>& a, std::size_t rows, std::size_t cols);

}  // namespace initscope
