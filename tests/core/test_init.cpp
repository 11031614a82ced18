// Every initializer against statistical recipes (statistics_checks.hpp) and the
// worked numbers of the frameworks. Weights are (fan_in, fan_out): a dense layer 10 → 1000 is shape
// (10, 1000). Expected laws are written here from the published formulas, not read back from
// the engine.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "initscope/init.hpp"
#include "statistics_checks.hpp"

using namespace initscope;
using nlohmann::json;
namespace sc = stats_check;

namespace {

const double kTau = sc::kTau;

InitSpec parsed(const json& value) {
  InitSpec spec;
  auto e = parse_init(value, "init", spec);
  INFO(value.dump());
  REQUIRE_MESSAGE(!e, (e ? e->message : ""));
  return spec;
}

std::size_t count_of(const Shape& shape) {
  std::size_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

// Unfilled elements stay NaN, which every statistic below would catch.
std::vector<float> sample(const InitSpec& spec, const Shape& shape, Fans layer = {},
                          std::uint64_t seed = 1, std::uint64_t stream = 0) {
  std::vector<float> out(count_of(shape), std::numeric_limits<float>::quiet_NaN());
  Rng rng(seed, stream);
  fill(spec, shape, layer, rng, vector_view(out.data(), out.size()));
  return out;
}

// ---- expected element laws, from the sheet --------------------------------------------------

enum class Law { uniform, normal, keras_truncated, truncated };

struct Expected {
  Law law;
  double mean = 0, stddev = 0, lo = 0, hi = 0;
};

Expected uniform(double lo, double hi) { return {Law::uniform, (lo + hi) / 2, 0, lo, hi}; }
Expected symmetric_uniform(double bound) { return uniform(-bound, bound); }
Expected normal(double mean, double stddev) { return {Law::normal, mean, stddev, 0, 0}; }
Expected keras_tn(double mean, double s) {
  return {Law::keras_truncated, mean, s, mean - 2 * s, mean + 2 * s};
}
Expected truncated(double mean, double stddev, double a, double b) {
  return {Law::truncated, mean, stddev, a, b};
}

struct Exact {
  double mean, stddev, kurtosis;
};

Exact exact_moments(const Expected& e) {
  switch (e.law) {
    case Law::uniform:
      return {(e.lo + e.hi) / 2, (e.hi - e.lo) / std::sqrt(12.0), sc::kUniformKurtosis};
    case Law::normal:
      return {e.mean, e.stddev, sc::kNormalKurtosis};
    case Law::keras_truncated:
    case Law::truncated: {
      auto m = sc::truncated_standard_normal_moments((e.lo - e.mean) / e.stddev,
                                                     (e.hi - e.mean) / e.stddev);
      return {e.mean + e.stddev * m.mean, e.stddev * std::sqrt(m.variance), m.kurtosis};
    }
  }
  return {};
}

sc::Cdf cdf_of(const Expected& e) {
  switch (e.law) {
    case Law::uniform:
      return sc::uniform_cdf(e.lo, e.hi);
    case Law::normal:
      return sc::normal_cdf(e.mean, e.stddev);
    default:
      return sc::truncated_normal_cdf(e.mean, e.stddev, e.lo, e.hi);
  }
}

bool inside_support(const Expected& e, double x) {
  switch (e.law) {
    case Law::uniform:
      return x >= e.lo && x < e.hi;
    case Law::keras_truncated:
      return x > e.lo && x < e.hi;
    case Law::truncated:
      return x >= e.lo && x <= e.hi;
    case Law::normal:
      return std::isfinite(x);
  }
  return false;
}

ElementLaw::Kind kind_of(Law law) {
  switch (law) {
    case Law::uniform:
      return ElementLaw::Kind::uniform;
    case Law::normal:
      return ElementLaw::Kind::normal;
    case Law::keras_truncated:
      return ElementLaw::Kind::keras_truncated_normal;
    case Law::truncated:
      return ElementLaw::Kind::truncated_normal;
  }
  return ElementLaw::Kind::constant;
}

struct DistributionCase {
  json init;
  Shape shape;
  Expected expected;
  Fans layer = {};
};

const Shape dense_10_1000 = {10, 1000};
const Shape square_100 = {100, 100};

std::vector<DistributionCase> distribution_cases() {
  const double g = std::sqrt(2.0);  // kaiming's default gain: leaky_relu with a = 0
  return {
      // Keras
      {"random_normal", square_100, normal(0, 0.05)},
      {{{"name", "random_normal"}, {"mean", 1}, {"stddev", 2}}, square_100, normal(1, 2)},
      {"random_uniform", square_100, uniform(-0.05, 0.05)},
      {{{"name", "random_uniform"}, {"minval", 2}, {"maxval", 5}}, square_100, uniform(2, 5)},
      {"truncated_normal", square_100, keras_tn(0, 0.05)},
      {{{"name", "truncated_normal"}, {"mean", -1}, {"stddev", 0.5}}, square_100, keras_tn(-1, 0.5)},
      {"variance_scaling", dense_10_1000, keras_tn(0, std::sqrt(1.0 / 10) / kTau)},
      {{{"name", "variance_scaling"}, {"scale", 2}, {"mode", "fan_out"}, {"distribution", "uniform"}},
       dense_10_1000, symmetric_uniform(std::sqrt(3 * 2.0 / 1000))},
      {{{"name", "variance_scaling"}, {"mode", "fan_avg"}, {"distribution", "untruncated_normal"}},
       dense_10_1000, normal(0, std::sqrt(1.0 / 505))},
      {{{"name", "variance_scaling"}, {"scale", 3}, {"distribution", "normal"}}, dense_10_1000,
       keras_tn(0, std::sqrt(3.0 / 10) / kTau)},
      {"variance_scaling", {20000}, keras_tn(0, std::sqrt(1.0 / 20000) / kTau)},  // rank 1
      {"glorot_uniform", dense_10_1000, symmetric_uniform(std::sqrt(6.0 / 1010))},
      {"glorot_normal", dense_10_1000, keras_tn(0, std::sqrt(2.0 / 1010) / kTau)},
      {"he_uniform", dense_10_1000, symmetric_uniform(std::sqrt(6.0 / 10))},
      {"he_normal", dense_10_1000, keras_tn(0, std::sqrt(2.0 / 10) / kTau)},
      {"he_normal", {3, 3, 64, 128}, keras_tn(0, std::sqrt(2.0 / 576) / kTau)},  // conv kernel
      {"lecun_uniform", dense_10_1000, symmetric_uniform(std::sqrt(3.0 / 10))},
      {"lecun_normal", dense_10_1000, keras_tn(0, std::sqrt(1.0 / 10) / kTau)},
      // PyTorch
      {"uniform_", square_100, uniform(0, 1)},
      {{{"name", "uniform_"}, {"a", -3}, {"b", 2}}, square_100, uniform(-3, 2)},
      {"normal_", square_100, normal(0, 1)},
      {{{"name", "normal_"}, {"mean", -2}, {"std", 3}}, square_100, normal(-2, 3)},
      {"trunc_normal_", square_100, truncated(0, 1, -2, 2)},
      {{{"name", "trunc_normal_"}, {"mean", 0.5}, {"std", 0.02}}, square_100,
       truncated(0.5, 0.02, -2, 2)},  // absolute bounds far away: nothing is cut
      {{{"name", "trunc_normal_"}, {"a", 2}, {"b", 3}}, square_100, truncated(0, 1, 2, 3)},
      {{{"name", "trunc_normal_"}, {"mean", -1}, {"std", 2}, {"a", -1}, {"b", 100}}, square_100,
       truncated(-1, 2, -1, 100)},
      {"xavier_uniform_", dense_10_1000, symmetric_uniform(std::sqrt(3.0) * std::sqrt(2.0 / 1010))},
      {{{"name", "xavier_uniform_"}, {"gain", 5.0 / 3}}, dense_10_1000,
       symmetric_uniform(5.0 / 3 * std::sqrt(6.0 / 1010))},
      {{{"name", "xavier_normal_"}, {"gain", 0.5}}, dense_10_1000, normal(0, 0.5 * std::sqrt(2.0 / 1010))},
      {"kaiming_uniform_", dense_10_1000, symmetric_uniform(std::sqrt(3.0) * g / std::sqrt(10.0))},
      {{{"name", "kaiming_uniform_"}, {"a", 0.5}, {"mode", "fan_out"}}, dense_10_1000,
       symmetric_uniform(std::sqrt(3.0) * std::sqrt(2 / 1.25) / std::sqrt(1000.0))},
      {"kaiming_normal_", dense_10_1000, normal(0, g / std::sqrt(10.0))},
      {{{"name", "kaiming_normal_"}, {"mode", "fan_out"}}, dense_10_1000, normal(0, g / std::sqrt(1000.0))},
      {{{"name", "kaiming_normal_"}, {"nonlinearity", "tanh"}}, dense_10_1000,
       normal(0, 5.0 / 3 / std::sqrt(10.0))},
      {{{"name", "kaiming_normal_"}, {"nonlinearity", "selu"}}, dense_10_1000,
       normal(0, 0.75 / std::sqrt(10.0))},
      {"nn_linear_default", dense_10_1000, symmetric_uniform(1 / std::sqrt(10.0))},
      {"nn_linear_default", {10000}, symmetric_uniform(1 / std::sqrt(10.0)), Fans{10, 1000}},  // bias
      // Teaching
      {"scaled_normal", dense_10_1000, normal(0, std::sqrt(1.0 / 10))},
      {{{"name", "scaled_normal"}, {"v", 100}}, dense_10_1000, normal(0, std::sqrt(100.0 / 10))},
      {{{"name", "scaled_normal"}, {"v", 0.01}}, dense_10_1000, normal(0, std::sqrt(0.01 / 10))},
      {"standard_uniform", dense_10_1000, symmetric_uniform(1 / std::sqrt(10.0))},
  };
}

std::string name_of(const json& init) {
  return init.is_string() ? init.get<std::string>() : init["name"].get<std::string>();
}

// Names the structured and constant tests below cover.
const std::vector<std::string> structured_names = {
    "orthogonal", "orthogonal_", "lsuv", "identity", "eye_", "sparse_",
    "zeros", "ones", "constant", "constant_", "ones_", "zeros_"};

// max |G − g²I| with G = WᵀW for a tall W (rows >= cols) or WWᵀ for a wide one, in double.
double max_gram_error(const std::vector<float>& w, std::size_t rows, std::size_t cols, double gain) {
  std::size_t m = std::max(rows, cols), n = std::min(rows, cols);
  std::vector<double> a(m * n);  // the tall orientation, row-major (m, n)
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j)
      (rows >= cols ? a[i * n + j] : a[j * n + i]) = w[i * cols + j];
  std::vector<double> gram(n * n, 0.0);
  for (std::size_t k = 0; k < m; ++k)
    for (std::size_t i = 0; i < n; ++i) {
      double aki = a[k * n + i];
      double* row = &gram[i * n];
      const double* ak = &a[k * n];
      for (std::size_t j = 0; j < n; ++j) row[j] += aki * ak[j];
    }
  double worst = 0;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j)
      worst = std::max(worst, std::fabs(gram[i * n + j] - (i == j ? gain * gain : 0.0)));
  return worst;
}

}  // namespace

// ---- distributions -------------------------------------------------------------------------

TEST_CASE("every random initializer has its exact distribution moments and support") {
  std::uint64_t seed = 100;  // one seed per case, so that cases do not share their draws
  for (const auto& c : distribution_cases()) {
    ++seed;
    INFO("init " << c.init.dump() << " on " << c.shape.size() << "-d shape of " << count_of(c.shape));
    InitSpec spec = parsed(c.init);
    REQUIRE_FALSE(check_init_shape(spec, c.shape, "init"));
    const Expected& e = c.expected;
    Exact exact = exact_moments(e);

    // The law the engine reports is the sheet's.
    auto law = element_law(spec, c.shape, c.layer);
    REQUIRE(law);
    CHECK(static_cast<int>(law->kind) == static_cast<int>(kind_of(e.law)));
    if (e.law != Law::uniform) {
      CHECK(law->mean == doctest::Approx(e.mean).epsilon(1e-12));
      CHECK(law->stddev == doctest::Approx(e.stddev).epsilon(1e-12));
    }
    if (e.law != Law::normal) {
      CHECK(law->lo == doctest::Approx(e.lo).epsilon(1e-12));
      CHECK(law->hi == doctest::Approx(e.hi).epsilon(1e-12));
    }
    Moments m = init_moments(spec, c.shape, c.layer);
    CHECK(m.mean == doctest::Approx(exact.mean).epsilon(1e-9).scale(exact.stddev));
    CHECK(std::sqrt(m.variance) == doctest::Approx(exact.stddev).epsilon(1e-9));

    auto x = sample(spec, c.shape, c.layer, seed);
    REQUIRE(x.size() >= 10000);
    auto s = sc::sample_stats(x);
    auto ks = sc::ks_test(x, cdf_of(e));
    INFO("KS D = " << ks.d << ", p = " << ks.p << "; mean " << s.mean << ", std " << s.stddev);
    CHECK(ks.p > 1e-4);
    CHECK(sc::mean_within(s, exact.mean, exact.stddev));
    CHECK(sc::stddev_within(s, exact.stddev, exact.kurtosis));
    // init_moments against the sample, as the theory overlay will use them.
    CHECK(sc::mean_within(s, m.mean, std::sqrt(m.variance)));
    CHECK(sc::stddev_within(s, std::sqrt(m.variance), exact.kurtosis));
    std::size_t outside = 0;
    for (float v : x) outside += !inside_support(e, v);
    CHECK(outside == 0);
    bool symmetric = e.mean == 0 && (e.law == Law::normal || e.lo == -e.hi);
    if (symmetric)  // KotlinDL's bug sampled [0, L): half the weights must be negative
      CHECK(std::fabs(s.fraction_negative - 0.5) <= 0.02);
  }
}

TEST_CASE("every table row is covered by a distribution or structure test") {
  std::set<std::string> covered(structured_names.begin(), structured_names.end());
  for (const auto& c : distribution_cases()) covered.insert(name_of(c.init));
  for (const auto& info : initializers()) {
    INFO(info.name);
    CHECK(covered.count(info.name) == 1);
  }
}

TEST_CASE("init_moments equal the sample mean and variance of fill for every initializer") {
  const Shape shape = {100, 300};
  const double n = 30000;
  for (const auto& info : initializers()) {
    json init = {{"name", info.name}};
    if (info.name == "constant_") init["val"] = -2.5;
    if (info.name == "constant") init["value"] = 6;
    if (info.name == "sparse_") init["sparsity"] = 0.25;
    INFO(init.dump());
    InitSpec spec = parsed(init);
    Moments m = init_moments(spec, shape, Fans{100, 300});
    auto s = sc::sample_stats(sample(spec, shape, Fans{100, 300}, 5));
    // Kurtosis at most 4 covers every law here (sparse_'s normal/zero mixture is 4 at 25%).
    double var_tol = 6 * m.variance * std::sqrt(3.0 / n) + 1e-12;
    CHECK(std::fabs(s.mean - m.mean) <= 6 * std::sqrt(m.variance / n) + 1e-7 * std::fabs(m.mean));
    CHECK(std::fabs(s.variance - m.variance) <= var_tol);
  }
  SUBCASE("a bias uses the layer's fan_in") {
    InitSpec spec = parsed("nn_linear_default");
    Moments m = init_moments(spec, {20000}, Fans{30, 5});
    CHECK(m.variance == doctest::Approx(1.0 / (3 * 30)));
    auto s = sc::sample_stats(sample(spec, {20000}, Fans{30, 5}));
    CHECK(sc::stddev_within(s, std::sqrt(m.variance), sc::kUniformKurtosis));
  }
}

TEST_CASE("truncated normal moments are the closed forms") {
  // Keras TN(s): std exactly s·τ; trunc_normal_ on [2, 3]: against numerical integration.
  InitSpec tn = parsed(json{{"name", "truncated_normal"}, {"stddev", 0.05}});
  CHECK(std::sqrt(init_moments(tn, {4}, {}).variance) == doctest::Approx(0.05 * kTau).epsilon(1e-12));
  CHECK(std::sqrt(init_moments(tn, {4}, {}).variance) == doctest::Approx(0.04398).epsilon(1e-4));
  InitSpec tail = parsed(json{{"name", "trunc_normal_"}, {"a", 2}, {"b", 3}});
  auto m = sc::truncated_standard_normal_moments(2, 3);
  Moments got = init_moments(tail, {4}, {});
  CHECK(got.mean == doctest::Approx(m.mean).epsilon(1e-10));
  CHECK(got.variance == doctest::Approx(m.variance).epsilon(1e-8));
}

TEST_CASE("trunc_normal_ with a small std is a plain normal and never clamps to the bounds") {
  // PyTorch's regression test for the erfinv-and-clamp sampler: with std 0.1 the default
  // bounds ±2 sit 20 std out, so no sample may land on them, and float32 values stay diverse.
  InitSpec spec = parsed(json{{"name", "trunc_normal_"}, {"std", 0.1}});
  auto x = sample(spec, {100, 100}, {}, 31);
  std::set<float> unique(x.begin(), x.end());
  CHECK(unique.size() > 5000);
  CHECK(unique.count(2.0f) == 0);
  CHECK(unique.count(-2.0f) == 0);
  auto ks = sc::ks_test(x, sc::normal_cdf(0, 0.1));
  INFO("KS D = " << ks.d << ", p = " << ks.p);
  CHECK(ks.p > 1e-4);
}

// ---- structured initializers ---------------------------------------------------------------

TEST_CASE("orthogonal initializers give orthonormal columns or rows times the gain") {
  struct Dims {
    std::size_t rows, cols;
  };
  for (std::string name : {"orthogonal", "orthogonal_", "lsuv"}) {
    for (double gain : {1.0, 2.0}) {
      if (name == "lsuv" && gain != 1.0) continue;  // lsuv starts from gain 1
      // The reference's shapes, plus edge cases of the blocked QR: one row or column, and a
      // second panel of reflectors that is not a multiple of four wide (37 = 32 + 5).
      for (Dims d : {Dims{3, 4}, Dims{4, 3}, Dims{5, 5}, Dims{64, 32}, Dims{32, 64}, Dims{1, 1},
                     Dims{1, 5}, Dims{5, 1}, Dims{100, 37}, Dims{37, 100}}) {
        json init = {{"name", name}};
        if (name != "lsuv") init["gain"] = gain;
        INFO(init.dump() << " on " << d.rows << "x" << d.cols);
        InitSpec spec = parsed(init);
        auto w = sample(spec, {d.rows, d.cols}, {}, 3);
        CHECK(max_gram_error(w, d.rows, d.cols, gain) <= 1e-6);
        // Keras' check: the norm of each column (tall) or row (wide) is the gain.
        bool tall = d.rows >= d.cols;
        for (std::size_t k = 0; k < std::min(d.rows, d.cols); ++k) {
          double sq = 0;
          for (std::size_t i = 0; i < std::max(d.rows, d.cols); ++i) {
            double v = tall ? w[i * d.cols + k] : w[k * d.cols + i];
            sq += v * v;
          }
          CHECK(std::sqrt(sq) == doctest::Approx(gain).epsilon(1e-6));
        }
      }
    }
  }
}

TEST_CASE("keras orthogonal flattens a kernel to all but the last dim by the last") {
  InitSpec spec = parsed(json{{"name", "orthogonal"}, {"gain", 1.5}});
  REQUIRE_FALSE(check_init_shape(spec, {2, 3, 4, 5}, "init"));
  auto w = sample(spec, {2, 3, 4, 5});
  CHECK(max_gram_error(w, 24, 5, 1.5) <= 1e-6);
  CHECK(init_moments(spec, {2, 3, 4, 5}, {}).variance == doctest::Approx(1.5 * 1.5 / 24));
}

TEST_CASE("orthogonal stays orthogonal in float32 up to 1024 by 1024") {
  struct Dims {
    std::size_t rows, cols;
  };
  for (Dims d : {Dims{1024, 1024}, Dims{1024, 256}, Dims{256, 1024}}) {
    InitSpec spec = parsed("orthogonal");
    auto start = std::chrono::steady_clock::now();
    auto w = sample(spec, {d.rows, d.cols}, {}, 9);
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    MESSAGE("orthogonal " << d.rows << "x" << d.cols << ": " << seconds << " s");
    CHECK(max_gram_error(w, d.rows, d.cols, 1.0) <= 1e-5);
  }
}

TEST_CASE("orthogonal entries have the Haar marginal") {
  // A column of a Haar orthogonal 3x3 (or 3x2) matrix is uniform on the sphere S², and a
  // coordinate of a uniform point on S² is uniform on [−1, 1] (Archimedes). Without
  // Mezzadri's sign fix, Householder QR would make W[0][0] always negative.
  struct Probe {
    std::size_t rows, cols, i, j;
  };
  const double gain = 2.0;
  InitSpec spec = parsed(json{{"name", "orthogonal"}, {"gain", gain}});
  for (Probe p : {Probe{3, 3, 0, 0}, Probe{3, 3, 2, 1}, Probe{3, 2, 1, 1}, Probe{2, 3, 1, 2}}) {
    INFO(p.rows << "x" << p.cols << " entry (" << p.i << ", " << p.j << ")");
    Rng rng(21);
    std::vector<float> w(p.rows * p.cols);
    std::vector<double> entry(10000);
    for (auto& x : entry) {
      fill(spec, {p.rows, p.cols}, {}, rng, vector_view(w.data(), w.size()));
      x = w[p.i * p.cols + p.j];
    }
    auto ks = sc::ks_test(entry, sc::uniform_cdf(-gain, gain));
    INFO("KS D = " << ks.d << ", p = " << ks.p);
    CHECK(ks.p > 1e-4);
  }
}

TEST_CASE("identity and eye_ put the gain on the leading diagonal exactly") {
  struct Dims {
    std::size_t rows, cols;
  };
  for (Dims d : {Dims{3, 3}, Dims{2, 3}, Dims{3, 2}}) {
    for (json init : {json{{"name", "identity"}, {"gain", 2}}, json("eye_")}) {
      INFO(init.dump() << " on " << d.rows << "x" << d.cols);
      InitSpec spec = parsed(init);
      float gain = spec.name == "identity" ? 2.0f : 1.0f;
      auto w = sample(spec, {d.rows, d.cols});
      for (std::size_t i = 0; i < d.rows; ++i)
        for (std::size_t j = 0; j < d.cols; ++j) CHECK(w[i * d.cols + j] == (i == j ? gain : 0.0f));
      // Moments of an element at a uniformly random position, exactly the sample's.
      auto s = sc::sample_stats(w);
      Moments m = init_moments(spec, {d.rows, d.cols}, {});
      CHECK(m.mean == doctest::Approx(s.mean).epsilon(1e-12));
      CHECK(m.variance == doctest::Approx(s.variance).epsilon(1e-12));
    }
  }
}

TEST_CASE("constant initializers fill exactly on any allowed rank") {
  struct ConstCase {
    json init;
    float value;
  };
  for (const auto& c : {ConstCase{"zeros", 0.0f}, ConstCase{"ones", 1.0f},
                        ConstCase{{{"name", "constant"}, {"value", 6}}, 6.0f},
                        ConstCase{{{"name", "constant_"}, {"val", -2.5}}, -2.5f},
                        ConstCase{"ones_", 1.0f}, ConstCase{"zeros_", 0.0f}}) {
    InitSpec spec = parsed(c.init);
    for (Shape shape : {Shape{3, 3}, Shape{5}, Shape{}}) {
      INFO(c.init.dump() << " rank " << shape.size());
      REQUIRE_FALSE(check_init_shape(spec, shape, "init"));
      for (float v : sample(spec, shape)) CHECK(v == c.value);
      Moments m = init_moments(spec, shape, {});
      CHECK(m.mean == c.value);
      CHECK(m.variance == 0);
    }
  }
  SUBCASE("scaled_normal with v = 0 gives zeros") {
    InitSpec spec = parsed(json{{"name", "scaled_normal"}, {"v", 0}});
    for (float v : sample(spec, {4, 6})) CHECK(v == 0.0f);
    CHECK(init_moments(spec, {4, 6}, {}).variance == 0);
  }
}

TEST_CASE("sparse_ zeroes ceil of sparsity times fan_out entries per input") {
  SUBCASE("nonzeros are normal and every row has its zeros") {
    InitSpec spec = parsed(json{{"name", "sparse_"}, {"sparsity", 0.1}, {"std", 0.01}});
    const std::size_t rows = 1000, cols = 20;  // ceil(0.1·20) = 2 zeros per row
    auto w = sample(spec, {rows, cols});
    std::vector<float> nonzero;
    std::size_t rows_with_two = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      std::size_t zeros = 0;
      for (std::size_t j = 0; j < cols; ++j) {
        float v = w[i * cols + j];
        if (v == 0.0f)
          ++zeros;
        else
          nonzero.push_back(v);
      }
      rows_with_two += zeros == 2;
    }
    CHECK(rows_with_two == rows);
    auto ks = sc::ks_test(nonzero, sc::normal_cdf(0, 0.01));
    INFO("KS D = " << ks.d << ", p = " << ks.p);
    CHECK(ks.p > 1e-4);
    CHECK(init_moments(spec, {rows, cols}, {}).variance == doctest::Approx(1e-4 * 18 / 20));
    // The zeros sit in random columns: each column gets 10% of them on average.
    for (std::size_t j = 0; j < cols; ++j) {
      std::size_t zeros = 0;
      for (std::size_t i = 0; i < rows; ++i) zeros += w[i * cols + j] == 0.0f;
      CHECK(zeros >= 60);  // Binomial(1000, 0.1): mean 100, sd 9.5
      CHECK(zeros <= 140);
    }
  }
  SUBCASE("the count follows PyTorch's float arithmetic") {
    // math.ceil(0.14 * 50) is 8 in Python, not 7, because 0.14·50 = 7.000000000000001.
    InitSpec spec = parsed(json{{"name", "sparse_"}, {"sparsity", 0.14}});
    auto w = sample(spec, {30, 50});
    for (std::size_t i = 0; i < 30; ++i) {
      std::size_t zeros = 0;
      for (std::size_t j = 0; j < 50; ++j) zeros += w[i * 50 + j] == 0.0f;
      CHECK(zeros == 8);
    }
  }
  SUBCASE("sparsity 0 zeroes nothing") {
    InitSpec spec = parsed(json{{"name", "sparse_"}, {"sparsity", 0}});
    std::size_t zeros = 0;
    for (float v : sample(spec, {20, 20})) zeros += v == 0.0f;
    CHECK(zeros == 0);
  }
}

// ---- the reference sheet's worked numbers (§3) ---------------------------------------------

namespace {
double stddev_of(const json& init, const Shape& shape, Fans layer = {}) {
  Moments m = init_moments(parsed(init), shape, layer);
  return std::sqrt(m.mean * m.mean + m.variance);
}
ElementLaw law_of(const json& init, const Shape& shape, Fans layer = {}) {
  auto law = element_law(parsed(init), shape, layer);
  REQUIRE(law);
  return *law;
}
doctest::Approx six_digits(double x) { return doctest::Approx(x).epsilon(1e-5); }
}  // namespace

TEST_CASE("worked numbers of the reference sheet") {
  const Shape d10_1000 = {10, 1000}, d256 = {256, 256}, d10_10 = {10, 10};
  // Glorot uniform and Keras' truncated glorot_normal
  CHECK(stddev_of("glorot_uniform", d10_1000) == six_digits(0.044499));
  CHECK(law_of("glorot_uniform", d10_1000).hi == six_digits(0.077075));
  CHECK(law_of("glorot_uniform", d256).hi == six_digits(0.108253));
  CHECK(law_of("glorot_uniform", d10_10).hi == six_digits(0.547723));
  CHECK(stddev_of("glorot_uniform", d10_10) == six_digits(0.316228));
  CHECK(law_of("glorot_normal", d10_1000).stddev == six_digits(0.050589));
  CHECK(law_of("glorot_normal", d10_1000).hi == six_digits(0.101178));
  CHECK(stddev_of("glorot_normal", d10_1000) == six_digits(0.044499));
  CHECK(stddev_of("xavier_normal_", d256) == six_digits(0.0625));
  // He
  CHECK(stddev_of("he_normal", d10_1000) == six_digits(0.447214));
  CHECK(law_of("he_normal", d10_1000).stddev == six_digits(0.508414));
  CHECK(law_of("he_normal", d10_1000).lo == six_digits(-1.01683));
  CHECK(law_of("he_normal", d10_1000).hi == six_digits(1.01683));
  CHECK(law_of("he_normal", d256).stddev == six_digits(0.100484));
  CHECK(stddev_of("kaiming_normal_", d10_1000) == six_digits(0.447214));
  CHECK(stddev_of({{"name", "kaiming_normal_"}, {"mode", "fan_out"}}, d10_1000) == six_digits(0.044721));
  CHECK(law_of("he_uniform", d10_1000).hi == six_digits(0.774597));
  CHECK(law_of("kaiming_uniform_", d256).hi == six_digits(0.153093));
  // LeCun
  CHECK(law_of("lecun_normal", d10_1000).stddev == six_digits(0.359503));
  CHECK(law_of("lecun_uniform", d256).hi == six_digits(0.108253));
  // PyTorch nn.Linear default, weight and bias
  CHECK(stddev_of("nn_linear_default", d10_1000) == six_digits(0.182574));
  CHECK(law_of("nn_linear_default", d10_1000).hi == six_digits(0.316228));
  CHECK(stddev_of("nn_linear_default", d256) == six_digits(0.036084));
  CHECK(stddev_of("nn_linear_default", {1000}, Fans{10, 1000}) == six_digits(0.182574));
  // xavier_uniform_ with tanh's gain, kaiming_normal_ with other gains
  json tanh_xavier = {{"name", "xavier_uniform_"}, {"gain", 5.0 / 3}};
  CHECK(stddev_of(tanh_xavier, d10_1000) == six_digits(0.074166));
  CHECK(law_of(tanh_xavier, d10_1000).hi == six_digits(0.128459));
  CHECK(law_of(tanh_xavier, d10_10).hi == six_digits(0.912871));
  CHECK(stddev_of({{"name", "kaiming_normal_"}, {"nonlinearity", "tanh"}}, d10_1000) == six_digits(0.527046));
  CHECK(stddev_of({{"name", "kaiming_normal_"}, {"nonlinearity", "selu"}}, d10_1000) == six_digits(0.237171));
  CHECK(stddev_of({{"name", "kaiming_normal_"}, {"a", 0.01}}, d10_1000) == six_digits(0.447191));
  CHECK(stddev_of({{"name", "kaiming_normal_"}, {"a", 0.01}}, d256) == six_digits(0.088384));
  // 3x3 conv 64 -> 128, Keras kernel (3, 3, 64, 128)
  const Shape conv = {3, 3, 64, 128};
  CHECK(compute_fans(conv).fan_in == 576);
  CHECK(compute_fans(conv).fan_out == 1152);
  CHECK(law_of("glorot_uniform", conv).hi == six_digits(0.058926));
  CHECK(stddev_of("he_normal", conv) == six_digits(0.058926));
}

TEST_CASE("the seed example: standard_uniform is not glorot_uniform") {
  // fan_in 10 over 1000 samples: bound ±1/√10 = ±0.3162 and std ≈ 0.18, while Xavier 10 → 10
  // has bound 0.5477 (0.316 is Xavier's std, not its bound).
  InitSpec standard = parsed("standard_uniform");
  auto x = sample(standard, {10, 100}, {}, 2024);
  auto s = sc::sample_stats(x);
  CHECK(s.min >= -0.316228);
  CHECK(s.max <= 0.316228);
  CHECK(std::max(-s.min, s.max) > 0.31);
  CHECK(std::fabs(s.stddev - 0.18) <= 0.01);
  CHECK(law_of("glorot_uniform", {10, 10}).hi == six_digits(0.5477226));
  CHECK(find_initializer("standard_uniform")->doc.find("NOT Xavier") != std::string::npos);
}

TEST_CASE("fans follow the keras rule") {
  CHECK(compute_fans({10, 1000}).fan_in == 10);
  CHECK(compute_fans({10, 1000}).fan_out == 1000);
  CHECK(compute_fans({7}).fan_in == 7);
  CHECK(compute_fans({7}).fan_out == 7);
  CHECK(compute_fans({}).fan_in == 1);
  CHECK(compute_fans({}).fan_out == 1);
  CHECK(compute_fans({5, 64, 32}).fan_in == 320);  // a 1-d conv kernel (k, in, out)
  CHECK(compute_fans({5, 64, 32}).fan_out == 160);
}

TEST_CASE("calculate_gain returns pytorch's constants exactly") {
  auto gain = [](const std::string& name, std::optional<double> param = std::nullopt) {
    double g = -1;
    auto e = calculate_gain(name, param, g);
    REQUIRE_MESSAGE(!e, (e ? e->message : ""));
    return g;
  };
  for (std::string name : {"linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                           "conv_transpose2d", "conv_transpose3d", "sigmoid"})
    CHECK(gain(name) == 1.0);
  CHECK(gain("tanh") == 1.6666666666666667);
  CHECK(gain("relu") == 1.4142135623730951);
  CHECK(gain("leaky_relu") == 1.4141428569978354);
  CHECK(gain("leaky_relu", 0.0) == 1.4142135623730951);
  CHECK(gain("leaky_relu", 10.0) == 0.14071950894605836);
  CHECK(gain("leaky_relu", std::sqrt(5.0)) == doctest::Approx(std::sqrt(1.0 / 3)).epsilon(1e-15));
  CHECK(gain("selu") == 0.75);
  CHECK(gain("tanh", 3.0) == 1.6666666666666667);  // the param only matters to leaky_relu
  CHECK(gain_nonlinearities().size() == 12);

  double g = 0;
  auto e = calculate_gain("swish", std::nullopt, g);
  REQUIRE(e);
  CHECK(e->field == "nonlinearity");
  CHECK(e->message.rfind("nonlinearity: unsupported nonlinearity \"swish\"; allowed: linear, conv1d", 0) == 0);
  e = calculate_gain("leaky_relu", std::nan(""), g);
  REQUIRE(e);
  CHECK(e->message == "param: negative_slope nan is not allowed; expected a finite number");
}

// ---- determinism and equivalences -----------------------------------------------------------

TEST_CASE("the same seed gives the same tensor and another seed or stream another") {
  for (json init : {json("he_normal"), json("orthogonal"), json{{"name", "sparse_"}, {"sparsity", 0.3}},
                    json{{"name", "trunc_normal_"}, {"a", 2}, {"b", 3}}, json("uniform_")}) {
    INFO(init.dump());
    InitSpec spec = parsed(init);
    const Shape shape = {16, 12};
    auto base = sample(spec, shape, {}, 42, 0);
    CHECK(std::memcmp(base.data(), sample(spec, shape, {}, 42, 0).data(), base.size() * 4) == 0);
    auto differing = [&](const std::vector<float>& other) {
      std::size_t n = 0;
      for (std::size_t i = 0; i < base.size(); ++i) n += other[i] != base[i];
      return n;
    };
    CHECK(differing(sample(spec, shape, {}, 43, 0)) > base.size() / 2);
    CHECK(differing(sample(spec, shape, {}, 42, 1)) > base.size() / 2);
    Rng rng(42, 0);
    std::vector<float> first(base.size()), second(base.size());
    fill(spec, shape, {}, rng, vector_view(first.data(), first.size()));
    fill(spec, shape, {}, rng, vector_view(second.data(), second.size()));  // an advanced generator
    CHECK(first == base);
    CHECK(differing(second) > base.size() / 2);
  }
}

TEST_CASE("presets draw exactly what their variance_scaling spelling draws") {
  auto same = [](const json& a, const json& b, const Shape& shape) {
    auto x = sample(parsed(a), shape, {}, 8), y = sample(parsed(b), shape, {}, 8);
    return std::memcmp(x.data(), y.data(), x.size() * 4) == 0;
  };
  const Shape shape = {20, 30};
  CHECK(same("he_normal", {{"name", "variance_scaling"}, {"scale", 2}}, shape));
  CHECK(same({{"name", "variance_scaling"}, {"distribution", "normal"}},
             {{"name", "variance_scaling"}, {"distribution", "truncated_normal"}}, shape));
  CHECK(same("glorot_uniform",
             {{"name", "variance_scaling"}, {"mode", "fan_avg"}, {"distribution", "uniform"}}, shape));
  CHECK(same("lecun_normal", "variance_scaling", shape));
  CHECK(same("nn_linear_default", {{"name", "kaiming_uniform_"}, {"a", std::sqrt(5.0)}}, shape));
  CHECK(same("lsuv", "orthogonal", shape));
  CHECK(same("orthogonal_", "orthogonal", shape));
  CHECK_FALSE(same("he_normal", "kaiming_normal_", shape));  // truncated vs untruncated
}

TEST_CASE("every variance scaling draws the weights of its variance_scaling spelling bit for bit") {
  // The arguments written from the published formulas: scale = gain² for PyTorch's spellings.
  struct Case {
    json init;
    VarianceScaling expected;
  };
  const double third = 2.0 / (1.0 + 5.0);  // calculate_gain("leaky_relu", √5)²
  const std::vector<Case> cases = {
      {"variance_scaling", {1, "fan_in", "truncated_normal"}},
      {{{"name", "variance_scaling"}, {"scale", 3}, {"mode", "fan_out"}, {"distribution", "uniform"}},
       {3, "fan_out", "uniform"}},
      {"glorot_uniform", {1, "fan_avg", "uniform"}},
      {"glorot_normal", {1, "fan_avg", "truncated_normal"}},
      {"he_uniform", {2, "fan_in", "uniform"}},
      {"he_normal", {2, "fan_in", "truncated_normal"}},
      {"lecun_uniform", {1, "fan_in", "uniform"}},
      {"lecun_normal", {1, "fan_in", "truncated_normal"}},
      {"xavier_uniform_", {1, "fan_avg", "uniform"}},
      {{{"name", "xavier_normal_"}, {"gain", 5.0 / 3}}, {25.0 / 9, "fan_avg", "untruncated_normal"}},
      {"kaiming_uniform_", {2, "fan_in", "uniform"}},
      {{{"name", "kaiming_normal_"}, {"nonlinearity", "relu"}, {"mode", "fan_out"}},
       {2, "fan_out", "untruncated_normal"}},
      {{{"name", "kaiming_normal_"}, {"nonlinearity", "tanh"}}, {25.0 / 9, "fan_in", "untruncated_normal"}},
      {{{"name", "kaiming_uniform_"}, {"a", 0.2}}, {2 / 1.04, "fan_in", "uniform"}},
      {"nn_linear_default", {third, "fan_in", "uniform"}},
      {{{"name", "scaled_normal"}, {"v", 0.5}}, {0.5, "fan_in", "untruncated_normal"}},
  };
  std::set<std::string> covered;
  for (const auto& c : cases) {
    INFO(c.init.dump());
    InitSpec spec = parsed(c.init);
    covered.insert(spec.name);
    auto vs = variance_scaling_of(spec);
    REQUIRE(vs.has_value());
    CHECK(vs->scale == doctest::Approx(c.expected.scale).epsilon(1e-15));
    CHECK(vs->mode == c.expected.mode);
    CHECK(vs->distribution == c.expected.distribution);
    InitSpec spelled = variance_scaling_spec(*vs);
    for (Shape shape : {Shape{10, 1000}, Shape{1000, 10}, Shape{64, 64}, Shape{3, 7}}) {
      INFO(shape[0] << "x" << shape[1]);
      auto law = element_law(spec, shape, {}), same = element_law(spelled, shape, {});
      REQUIRE(law.has_value());
      REQUIRE(same.has_value());
      // PyTorch's order of operations (gain/√fan) may differ from √(gain²/fan) in the last
      // bits of a double; the laws agree to that.
      CHECK(same->stddev == doctest::Approx(law->stddev).epsilon(1e-15));
      CHECK(same->hi == doctest::Approx(law->hi).epsilon(1e-15));
      for (std::uint64_t seed : {1u, 2u, 3u}) {
        auto a = sample(spec, shape, {}, seed), b = sample(spelled, shape, {}, seed);
        CHECK(std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
      }
    }
  }
  // Every row that says it is a variance scaling is in the list above, and no other.
  for (const auto& info : initializers()) {
    INFO(info.name);
    CHECK((info.variance_scaling != nullptr) == (covered.count(info.name) == 1));
  }
}

TEST_CASE("initializers that are not variance scalings say so and name a gain where they have one") {
  for (json init : {json("zeros"), json("ones"), json("random_normal"), json("truncated_normal"),
                    json("random_uniform"), json("orthogonal"), json("identity"), json("uniform_"),
                    json("normal_"), json("eye_"), json("lsuv"), json("standard_uniform"),
                    json{{"name", "constant_"}, {"val", 1}}, json{{"name", "sparse_"}, {"sparsity", 0.1}}}) {
    INFO(init.dump());
    CHECK_FALSE(variance_scaling_of(parsed(init)).has_value());
  }
  std::set<std::string> gained;
  for (const auto& info : initializers())
    if (!info.gain_param.empty()) gained.insert(info.name);
  CHECK(gained == std::set<std::string>{"orthogonal", "identity", "orthogonal_"});
  json schema = initializers_schema();
  auto row = [&](const std::string& name) {
    for (const auto& r : schema)
      if (r["name"] == name) return r;
    return json();
  };
  CHECK(row("he_normal")["varianceScaling"] ==
        json{{"scale", 2}, {"mode", "fan_in"}, {"distribution", "truncated_normal"}});
  CHECK(row("kaiming_normal_")["varianceScaling"]["distribution"] == "untruncated_normal");
  CHECK(row("zeros")["varianceScaling"].is_null());
  CHECK(row("orthogonal")["gainParam"] == "gain");
  CHECK(row("he_normal")["gainParam"].is_null());
}

TEST_CASE("variance_scaling_json answers with the spelling or null and names a bad field") {
  CHECK(json::parse(variance_scaling_json("\"he_uniform\"")) ==
        json{{"init", {{"name", "variance_scaling"}, {"scale", 2}, {"mode", "fan_in"}, {"distribution", "uniform"}}}});
  CHECK(json::parse(variance_scaling_json("\"orthogonal\"")) == json{{"init", nullptr}});
  json unknown = json::parse(variance_scaling_json("\"he\""));
  CHECK(unknown["error"]["field"] == "init");
  CHECK(unknown["error"]["message"].get<std::string>().find("unknown initializer") != std::string::npos);
  json bad = json::parse(variance_scaling_json(R"({"name": "xavier_normal_", "gain": -1})"));
  CHECK(bad["error"]["field"] == "init.gain");
  CHECK(json::parse(variance_scaling_json("{"))["error"].is_object());
}

// ---- parsing, errors, shapes, schema ---------------------------------------------------------

TEST_CASE("parse errors name the field the value and what is allowed") {
  struct ErrorCase {
    json value;
    std::string field, message;
  };
  const std::string num = "a number > 0 and <= 1e+30";
  const std::vector<ErrorCase> cases = {
      {{{"name", "random_normal"}, {"stddev", 0}}, "init.stddev",
       "init.stddev: 0 is not allowed; expected " + num},
      {{{"name", "normal_"}, {"std", -1}}, "init.std", "init.std: -1 is not allowed; expected " + num},
      {{{"name", "random_uniform"}, {"minval", 0.1}, {"maxval", -0.1}}, "init.maxval",
       "init.maxval: -0.1 is not allowed; expected a number > minval (0.1)"},
      {{{"name", "random_uniform"}, {"minval", 0.05}}, "init.maxval",
       "init.maxval: 0.05 is not allowed; expected a number > minval (0.05)"},
      {{{"name", "uniform_"}, {"a", 1}, {"b", 1}}, "init.b",
       "init.b: 1 is not allowed; expected a number > a (1)"},
      {{{"name", "trunc_normal_"}, {"a", 2}, {"b", -2}}, "init.b",
       "init.b: -2 is not allowed; expected a number > a (2)"},
      {{{"name", "trunc_normal_"}, {"a", 50}, {"b", 60}}, "init",
       "init: [a, b] = [50, 60] holds 0 of N(mean = 0, std = 1); expected an interval holding at "
       "least 1e-06 of it"},
      {{{"name", "sparse_"}, {"sparsity", 1}}, "init.sparsity",
       "init.sparsity: 1 is not allowed; expected a number >= 0 and < 1"},
      {{{"name", "sparse_"}, {"sparsity", -0.1}}, "init.sparsity",
       "init.sparsity: -0.1 is not allowed; expected a number >= 0 and < 1"},
      {"sparse_", "init.sparsity", "init.sparsity: is required; expected a number >= 0 and < 1"},
      {"constant_", "init.val", "init.val: is required; expected a number from -1e+30 to 1e+30"},
      {{{"name", "variance_scaling"}, {"scale", 0}}, "init.scale",
       "init.scale: 0 is not allowed; expected " + num},
      {{{"name", "variance_scaling"}, {"mode", "fan_sum"}}, "init.mode",
       "init.mode: \"fan_sum\" is not allowed; expected one of fan_in, fan_out, fan_avg"},
      {{{"name", "variance_scaling"}, {"distribution", "gaussian"}}, "init.distribution",
       "init.distribution: \"gaussian\" is not allowed; expected one of truncated_normal, "
       "untruncated_normal, uniform, normal"},
      {{{"name", "kaiming_normal_"}, {"mode", "fan_avg"}}, "init.mode",
       "init.mode: \"fan_avg\" is not allowed; expected one of fan_in, fan_out"},
      {{{"name", "kaiming_uniform_"}, {"nonlinearity", "swish"}}, "init.nonlinearity",
       "init.nonlinearity: \"swish\" is not allowed; expected one of linear, conv1d, conv2d, "
       "conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d, sigmoid, tanh, relu, "
       "leaky_relu, selu"},
      {{{"name", "random_normal"}, {"stddev", "big"}}, "init.stddev",
       "init.stddev: \"big\" is not allowed; expected " + num},
      {{{"name", "orthogonal"}, {"gain", true}}, "init.gain",
       "init.gain: true is not allowed; expected " + num},
      {{{"name", "lsuv"}, {"max_iterations", 2.5}}, "init.max_iterations",
       "init.max_iterations: 2.5 is not allowed; expected an integer from 1 to 1000"},
      {{{"name", "he_normal"}, {"gain", 2}}, "init.gain",
       "init.gain: unknown key; allowed keys here: name"},
      {{{"name", "orthogonal"}, {"gian", 2}}, "init.gian",
       "init.gian: unknown key; allowed keys here: name, gain"},
      {3, "init", "init: 3 is not allowed; expected an initializer name or an object {\"name\": ..., params}"},
  };
  for (const auto& c : cases) {
    INFO(c.value.dump());
    InitSpec spec;
    auto e = parse_init(c.value, "init", spec);
    REQUIRE(e);
    CHECK(e->field == c.field);
    CHECK(e->message == c.message);
  }
  SUBCASE("names") {
    InitSpec spec;
    auto e = parse_init("xavier", "layers[1].kernel_init", spec);
    REQUIRE(e);
    CHECK(e->field == "layers[1].kernel_init");
    CHECK(e->message.rfind("layers[1].kernel_init: unknown initializer \"xavier\"; allowed: zeros, "
                           "ones, constant, ", 0) == 0);
    CHECK(e->message.find("xavier_uniform_") != std::string::npos);
    e = parse_init(json{{"name", "glorot"}}, "init", spec);
    REQUIRE(e);
    CHECK(e->field == "init.name");
    CHECK(e->message.rfind("init.name: unknown initializer \"glorot\"; allowed: ", 0) == 0);
    e = parse_init(json{{"scale", 2}}, "init", spec);
    REQUIRE(e);
    CHECK(e->message.rfind("init.name: is required; expected one of zeros, ones, ", 0) == 0);
    e = parse_init(json{{"name", 3}}, "init", spec);
    REQUIRE(e);
    CHECK(e->message.rfind("init.name: 3 is not allowed; expected one of zeros, ", 0) == 0);
  }
}

TEST_CASE("shape checks name the rank and what is allowed") {
  struct ShapeCase {
    std::string name;
    Shape shape;
    std::string message;  // "" when the shape is accepted
  };
  const std::vector<ShapeCase> cases = {
      {"orthogonal", {16}, "layers[0].bias_init: orthogonal needs a tensor of rank 2 to 5; got rank 1 (shape [16])"},
      {"orthogonal_", {3, 3, 4}, "layers[0].bias_init: orthogonal_ needs a tensor of rank 2; got rank 3 (shape [3, 3, 4])"},
      {"eye_", {4}, "layers[0].bias_init: eye_ needs a tensor of rank 2; got rank 1 (shape [4])"},
      {"identity", {2, 3, 4}, "layers[0].bias_init: identity needs a tensor of rank 2; got rank 3 (shape [2, 3, 4])"},
      {"xavier_uniform_", {8}, "layers[0].bias_init: xavier_uniform_ needs a tensor of rank 2; got rank 1 (shape [8])"},
      {"kaiming_normal_", {8}, "layers[0].bias_init: kaiming_normal_ needs a tensor of rank 2; got rank 1 (shape [8])"},
      {"lsuv", {8}, "layers[0].bias_init: lsuv needs a tensor of rank 2; got rank 1 (shape [8])"},
      {"scaled_normal", {8}, "layers[0].bias_init: scaled_normal needs a tensor of rank 2; got rank 1 (shape [8])"},
      {"nn_linear_default", {}, "layers[0].bias_init: nn_linear_default needs a tensor of rank 1 to 2; got rank 0 (shape [])"},
      {"orthogonal", {3, 3, 4, 5}, ""},
      {"he_normal", {16}, ""},
      {"zeros", {}, ""},
      {"nn_linear_default", {16}, ""},
      {"uniform_", {2, 2, 2}, ""},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    json init = c.name == "sparse_" ? json{{"name", c.name}, {"sparsity", 0.1}} : json(c.name);
    auto e = check_init_shape(parsed(init), c.shape, "layers[0].bias_init");
    if (c.message.empty()) {
      CHECK_FALSE(e);
    } else {
      REQUIRE(e);
      CHECK(e->field == "layers[0].bias_init");
      CHECK(e->message == c.message);
    }
  }
  SUBCASE("every initializer with min_rank <= 1 fills a bias vector") {
    for (const auto& info : initializers()) {
      if (info.min_rank > 1) continue;
      INFO(info.name);
      json init = {{"name", info.name}};
      if (info.name == "constant_") init["val"] = 1;
      InitSpec spec = parsed(init);
      CHECK_FALSE(check_init_shape(spec, {32}, "bias"));
      for (float v : sample(spec, {32}, Fans{16, 32})) CHECK(std::isfinite(v));
    }
  }
}

TEST_CASE("every initializer round-trips through json and appears in the schema") {
  json schema = initializers_schema();
  REQUIRE(schema.size() == initializers().size());
  std::set<std::string> names;
  for (std::size_t i = 0; i < initializers().size(); ++i) {
    const auto& info = initializers()[i];
    INFO(info.name);
    CHECK(names.insert(info.name).second);
    CHECK(find_initializer(info.name) == &info);
    json init = {{"name", info.name}};
    if (info.name == "constant_") init["val"] = 0.5;
    if (info.name == "sparse_") init["sparsity"] = 0.2;
    InitSpec spec = parsed(init);
    json out = init_to_json(spec);
    CHECK(out["name"] == info.name);
    CHECK(out.size() == info.params.size() + 1);
    InitSpec again = parsed(out);
    CHECK(init_to_json(again) == out);
    CHECK(again.params.numbers == spec.params.numbers);
    CHECK(again.params.choices == spec.params.choices);

    const json& row = schema[i];
    CHECK(row["name"] == info.name);
    CHECK(std::set<std::string>{"keras", "pytorch", "teaching", "paper"}.count(
              row["framework"].get<std::string>()) == 1);
    CHECK_FALSE(row["formula"].get<std::string>().empty());
    CHECK_FALSE(row["doc"].get<std::string>().empty());
    CHECK(row["params"] == params_schema(info.params));
    CHECK(row["minRank"].get<int>() <= row["maxRank"].get<int>());
    CHECK((info.law != nullptr) != (info.sample != nullptr && info.moments != nullptr));
  }
  CHECK(find_initializer("xavier") == nullptr);
  // A bare name and its object spelling parse to the same spec.
  InitSpec bare = parsed("variance_scaling"), object = parsed(json{{"name", "variance_scaling"}});
  CHECK(init_to_json(bare) == init_to_json(object));
  CHECK(init_to_json(bare) == json{{"name", "variance_scaling"}, {"scale", 1.0}, {"mode", "fan_in"},
                                   {"distribution", "truncated_normal"}});
}
