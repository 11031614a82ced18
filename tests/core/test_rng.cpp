// The generator and its samplers: reference outputs, determinism, bounds and distributions.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "initscope/rng.hpp"
#include "statistics_checks.hpp"

using namespace initscope;

namespace {
template <class Draw>
std::vector<double> draws(std::size_t n, Draw draw) {
  std::vector<double> x(n);
  for (auto& v : x) v = draw();
  return x;
}
}  // namespace

TEST_CASE("pcg32 reproduces the reference implementation's first outputs") {
  // pcg32-demo of the PCG reference C code: pcg32_srandom_r(&rng, 42, 54).
  Rng rng(42, 54);
  const std::uint32_t expected[] = {0xa15c02b7, 0x7b47f409, 0xba1d3330,
                                    0x83d2f293, 0xbfa4784b, 0xcbed606e};
  for (std::uint32_t e : expected) CHECK(rng.next_u32() == e);
}

TEST_CASE("golden first values of uniform01 normal and below for a fixed seed") {
  // Recorded from the native build; a wasm build must print the same (normal within an ulp
  // or two of log: libm implementations may differ there).
  Rng u(12345, 0);
  CHECK(u.uniform01() == 0.070811484731568841);
  CHECK(u.uniform01() == 0.35836599415415293);
  CHECK(u.uniform01() == 0.074938379279943845);
  CHECK(u.uniform01() == 0.98749063255729785);
  Rng g(12345, 0);
  const double normals[] = {-0.60367134565494374, -0.19921406994310509, -0.080626940489132728,
                            -0.050990941652717343};
  for (double e : normals) CHECK(g.normal() == doctest::Approx(e).epsilon(1e-15));
  Rng b(12345, 7);
  const std::uint32_t below[] = {230, 88, 197, 149};
  for (std::uint32_t e : below) CHECK(b.below(1000) == e);
}

TEST_CASE("the same seed and stream give the same sequence and others differ") {
  auto sequence = [](std::uint64_t seed, std::uint64_t stream) {
    Rng rng(seed, stream);
    std::vector<std::uint32_t> x(1000);
    for (auto& v : x) v = rng.next_u32();
    return x;
  };
  auto base = sequence(7, 3);
  CHECK(sequence(7, 3) == base);
  auto other_seed = sequence(8, 3), other_stream = sequence(7, 4);
  std::size_t same_seed_matches = 0, same_stream_matches = 0;
  for (std::size_t i = 0; i < base.size(); ++i) {
    same_seed_matches += other_seed[i] == base[i];
    same_stream_matches += other_stream[i] == base[i];
  }
  CHECK(same_seed_matches <= 1);  // 1000 draws of 2^32 values: a coincidence is ~2e-7
  CHECK(same_stream_matches <= 1);
}

TEST_CASE("uniform stays in the half-open interval and is uniform") {
  Rng rng(1);
  auto x = draws(20000, [&] { return rng.uniform(-3.0, 2.0); });
  auto s = stats_check::sample_stats(x);
  CHECK(s.min >= -3.0);
  CHECK(s.max < 2.0);
  auto ks = stats_check::ks_test(x, stats_check::uniform_cdf(-3.0, 2.0));
  INFO("D = " << ks.d << ", p = " << ks.p);
  CHECK(ks.p > 1e-4);

  auto u = draws(20000, [&] { return rng.uniform01(); });
  auto su = stats_check::sample_stats(u);
  CHECK(su.min >= 0.0);
  CHECK(su.max < 1.0);
  CHECK(stats_check::ks_test(u, stats_check::uniform_cdf(0.0, 1.0)).p > 1e-4);
}

TEST_CASE("uniform never returns b even when rounding would land on it") {
  // Between 1 and the next double, a + (b − a)·u rounds to b for every u >= 0.5.
  double a = 1.0, b = std::nextafter(1.0, 2.0);
  Rng rng(2);
  int below_b = 0;
  for (int i = 0; i < 1000; ++i) below_b += rng.uniform(a, b) < b;
  CHECK(below_b == 1000);
}

TEST_CASE("below is unbiased") {
  Rng rng(3);
  SUBCASE("chi-square over ten values") {
    const int n = 10, draws_count = 100000;
    std::vector<int> count(n + 1, 0);  // the last bin catches out-of-range values
    for (int i = 0; i < draws_count; ++i) ++count[std::min<std::uint32_t>(rng.below(n), n)];
    REQUIRE(count[n] == 0);
    count.pop_back();
    double chi2 = 0, expected = double(draws_count) / n;
    for (int c : count) chi2 += (c - expected) * (c - expected) / expected;
    CHECK(chi2 < 33.7);  // the 1 − 1e-4 quantile of chi-square with 9 degrees of freedom
  }
  SUBCASE("no modulo bias for n close to 2^32") {
    // r % n on raw 32-bit r would put [0, 2^32 − n) = [0, 2^30) twice as often: 1/2 of the
    // draws instead of 1/3.
    const std::uint32_t n = 3u << 30;
    int low = 0, total = 30000;
    for (int i = 0; i < total; ++i) low += rng.below(n) < (1u << 30);
    CHECK(double(low) / total == doctest::Approx(1.0 / 3).epsilon(0.03));
  }
  SUBCASE("n = 1 gives 0") {
    for (int i = 0; i < 10; ++i) CHECK(rng.below(1) == 0u);
  }
}

TEST_CASE("normal has the standard normal distribution") {
  Rng rng(4);
  auto x = draws(20000, [&] { return rng.normal(1.5, 2.0); });
  auto s = stats_check::sample_stats(x);
  CHECK(stats_check::mean_within(s, 1.5, 2.0));
  CHECK(stats_check::stddev_within(s, 2.0, stats_check::kNormalKurtosis));
  auto ks = stats_check::ks_test(x, stats_check::normal_cdf(1.5, 2.0));
  INFO("D = " << ks.d << ", p = " << ks.p);
  CHECK(ks.p > 1e-4);
}

TEST_CASE("keras truncated normal stays strictly within two stddevs and has the truncated law") {
  Rng rng(5);
  const double mean = -1, s = 0.5;
  auto x = draws(20000, [&] { return rng.truncated_normal(mean, s); });
  auto st = stats_check::sample_stats(x);
  CHECK(st.min > mean - 2 * s);
  CHECK(st.max < mean + 2 * s);
  CHECK(stats_check::mean_within(st, mean, s * stats_check::kTau));
  CHECK(stats_check::stddev_within(st, s * stats_check::kTau, 2.3655));
  auto ks = stats_check::ks_test(x, stats_check::truncated_normal_cdf(mean, s, mean - 2 * s,
                                                                      mean + 2 * s));
  INFO("D = " << ks.d << ", p = " << ks.p);
  CHECK(ks.p > 1e-4);
}

TEST_CASE("truncated normal on absolute bounds has the truncated law in both sampling regimes") {
  struct Case {
    double mean, stddev, a, b;
  };
  // [-1, 0.5] of N(0.2, 0.7) holds > 30% of the mass (normal rejection); [2, 3] of N(0, 1)
  // holds 2% (uniform proposal); [0.3, 0.31] is narrow in the far tail of N(0, 0.05).
  for (Case c : {Case{0.2, 0.7, -1, 0.5}, Case{0, 1, 2, 3}, Case{0, 0.05, 0.3, 0.31}}) {
    CAPTURE(c.mean);
    CAPTURE(c.stddev);
    CAPTURE(c.a);
    CAPTURE(c.b);
    Rng rng(6);
    auto x = draws(10000, [&] { return rng.truncated_normal(c.mean, c.stddev, c.a, c.b); });
    auto st = stats_check::sample_stats(x);
    CHECK(st.min >= c.a);
    CHECK(st.max <= c.b);
    auto m = stats_check::truncated_standard_normal_moments((c.a - c.mean) / c.stddev,
                                                            (c.b - c.mean) / c.stddev);
    double sigma = c.stddev * std::sqrt(m.variance);
    CHECK(stats_check::mean_within(st, c.mean + c.stddev * m.mean, sigma));
    CHECK(stats_check::stddev_within(st, sigma, m.kurtosis));
    auto ks = stats_check::ks_test(x, stats_check::truncated_normal_cdf(c.mean, c.stddev, c.a, c.b));
    INFO("D = " << ks.d << ", p = " << ks.p);
    CHECK(ks.p > 1e-4);
  }
}

TEST_CASE("the ks helper rejects a wrong distribution") {
  // Guards the guard: a test that cannot fail proves nothing.
  Rng rng(7);
  auto x = draws(10000, [&] { return rng.normal(); });
  CHECK(stats_check::ks_test(x, stats_check::normal_cdf(0, 1.1)).p < 1e-4);
  CHECK(stats_check::ks_test(x, stats_check::uniform_cdf(-1.7320508, 1.7320508)).p < 1e-4);
  CHECK(stats_check::ks_pvalue(0.0223, 10000) == doctest::Approx(1e-4).epsilon(0.1));
  CHECK(stats_check::ks_pvalue(0.0163, 10000) == doctest::Approx(0.01).epsilon(0.05));
}
