#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "initscope/stats.hpp"

using namespace initscope;

namespace {

// Values as the statistics see them: a (rows, cols) tensor.
MatrixView<const float> as_matrix(const std::vector<float>& v, std::size_t rows, std::size_t cols) {
  return matrix_view(v.data(), rows, cols);
}
MatrixView<const float> as_row(const std::vector<float>& v) { return as_matrix(v, 1, v.size()); }

}  // namespace

TEST_CASE("summarize matches direct computation") {
  std::vector<float> v = {-1.5f, -0.25f, 0.0f, 0.5f, 2.0f, 0.75f};
  Summary s = summarize(as_row(v), {-2, 2}, 4);
  double mean = 0, sq = 0;
  for (float x : v) mean += x;
  mean /= v.size();
  for (float x : v) sq += (x - mean) * (x - mean);
  CHECK(s.mean == doctest::Approx(mean).epsilon(1e-12));
  CHECK(s.std == doctest::Approx(std::sqrt(sq / v.size())).epsilon(1e-12));
  CHECK(s.min == -1.5);
  CHECK(s.max == 2.0);
  CHECK(s.count == 6);
  // bins [-2,-1) [-1,0) [0,1) [1,2]: 2.0 lands in the last bin (top edge included).
  CHECK(s.histogram.counts == std::vector<double>{1, 1, 3, 1});
  CHECK(s.histogram.underflow == 0);
  CHECK(s.histogram.overflow == 0);
}

TEST_CASE("values outside the range go to underflow and overflow") {
  std::vector<float> v = {-5, -0.5f, 0.5f, 7, 9};
  Summary s = summarize(as_row(v), {-1, 1}, 2);
  CHECK(s.histogram.underflow == 1);
  CHECK(s.histogram.overflow == 2);
  CHECK(s.histogram.counts == std::vector<double>{1, 1});
}

TEST_CASE("non-finite values are counted and left out of the moments") {
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> v = {1, std::nanf(""), inf, 3};
  Summary s = summarize(as_row(v), {-4, 4}, 8);
  CHECK(s.nonfinite == 2);
  CHECK(s.count == 2);
  CHECK(s.mean == 2);
  CHECK(s.rms == doctest::Approx(std::sqrt(5.0)));
  CHECK(s.norm == std::sqrt(10.0));  // √(1 + 9): the Frobenius norm of the finite values
}

TEST_CASE("nice ceilings are 1 2 5 times a power of ten") {
  CHECK(nice_ceiling(0.7) == doctest::Approx(1.0));
  CHECK(nice_ceiling(1.0) == doctest::Approx(1.0));
  CHECK(nice_ceiling(1.01) == doctest::Approx(2.0));
  CHECK(nice_ceiling(3e-4) == doctest::Approx(5e-4));
  CHECK(nice_ceiling(6000) == doctest::Approx(1e4));
  CHECK(nice_ceiling(0) == 1.0);
}

TEST_CASE("activation ranges suit the activation") {
  std::vector<float> a = {0.0f, 0.3f, 2.7f};
  Range r = activation_range({Activation::tanh, 0}, as_row(a));
  CHECK(r.lo == -1);
  CHECK(r.hi == 1);
  r = activation_range({Activation::sigmoid, 0}, as_row(a));
  CHECK(r.lo == 0);
  CHECK(r.hi == 1);
  r = activation_range({Activation::relu, 0}, as_row(a));
  CHECK(r.lo == 0);
  CHECK(r.hi == doctest::Approx(5));
  r = activation_range({Activation::linear, 0}, as_row(a));
  CHECK(r.lo == doctest::Approx(-5));
}

TEST_CASE("saturated fraction counts the flat regions of tanh and sigmoid") {
  std::vector<float> a = {0.995f, -0.999f, 0.5f, 0.0f};  // 2 rows x 2 units
  CHECK(saturated_fraction({Activation::tanh, 0}, as_matrix(a, 2, 2)) == 0.5);
  std::vector<float> s = {0.005f, 0.5f, 0.995f, 0.98f};
  CHECK(saturated_fraction({Activation::sigmoid, 0}, as_matrix(s, 2, 2)) == 0.5);
  CHECK(saturated_fraction({Activation::relu, 0}, as_matrix(a, 2, 2)) == 0);
}

TEST_CASE("a relu unit is dead when it is zero on every example") {
  // 3 rows x 3 units: unit 0 dead, unit 1 alive once, unit 2 alive.
  std::vector<float> a = {0, 0, 1, 0, 2, 1, 0, 0, 3};
  CHECK(dead_fraction({Activation::relu, 0}, as_matrix(a, 3, 3)) == doctest::Approx(1.0 / 3));
  CHECK(dead_fraction({Activation::tanh, 0}, as_matrix(a, 3, 3)) == 0);
}

TEST_CASE("distinct units counts units with different incoming weights") {
  std::vector<float> w(3 * 4, 0.0f), b(4, 0.0f);  // fan_in 3, fan_out 4
  CHECK(distinct_units(as_matrix(w, 3, 4), vector_view<const float>(b.data(), 4)) == 1);
  w[0 * 4 + 1] = 0.5f;  // unit 1 differs
  CHECK(distinct_units(as_matrix(w, 3, 4), vector_view<const float>(b.data(), 4)) == 2);
  b[3] = -0.0f;  // -0 equals +0
  CHECK(distinct_units(as_matrix(w, 3, 4), vector_view<const float>(b.data(), 4)) == 2);
  b[3] = 1e-7f;  // a bias alone breaks symmetry too
  CHECK(distinct_units(as_matrix(w, 3, 4), vector_view<const float>(b.data(), 4)) == 3);
}
