#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include "data_test_helpers.hpp"
#include "initscope/data.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

using data_test::make;
using data_test::parse_error;


int count(const std::vector<int>& y, int label) {
  return static_cast<int>(std::count(y.begin(), y.end(), label));
}

bool same_bits(const Matrix& a, const Matrix& b) {
  // An empty matrix may have a null data pointer, which memcmp must not see.
  return a.shape() == b.shape() &&
         (a.size() == 0 || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

double column_mean(const Matrix& x, std::size_t k) {
  double s = 0;
  for (std::size_t i = 0; i < x.shape()[0]; ++i) s += x(i, k);
  return s / x.shape()[0];
}

double column_std(const Matrix& x, std::size_t k) {
  double m = column_mean(x, k), s = 0;
  for (std::size_t i = 0; i < x.shape()[0]; ++i) s += (x(i, k) - m) * (x(i, k) - m);
  return std::sqrt(s / x.shape()[0]);
}

const char* kSynthetic[] = {"circles", "moons", "spiral", "gaussians", "quadrants", "linear",
                            "gaussian"};

}  // namespace

TEST_CASE("the table has one consistent row per set") {
  std::vector<std::string> names;
  for (const auto& r : datasets()) names.push_back(r.name);
  CHECK(names == std::vector<std::string>{"xor", "circles", "moons", "spiral", "gaussians",
                                          "quadrants", "linear", "gaussian", "digits", "iris", "custom"});
  for (const auto& r : datasets()) {
    CAPTURE(r.name);
    CHECK(find_dataset(r.name) == &r);
    CHECK_FALSE(r.doc.empty());
    CHECK(r.default_loss == (r.num_classes == 2 ? "bce" : "cross_entropy"));
    CHECK(r.default_output_activation == (r.num_classes == 2 ? "sigmoid" : "softmax"));
    CHECK(r.is_2d == (r.extent > 0));
    CHECK(r.source.empty() == (r.rows == 0));
    if (r.uses_noise) CHECK(r.default_noise <= r.max_noise);
  }
  CHECK(find_dataset("mnist") == nullptr);
  CHECK(find_dataset("circles")->extent == 1.5);
  CHECK(find_dataset("quadrants")->extent == 5.0);
  CHECK(find_dataset("digits")->source.find("CC BY 4.0") != std::string::npos);
  CHECK(find_dataset("iris")->source.find("Fisher") != std::string::npos);
}

TEST_CASE("missing keys take the chosen set's defaults") {
  DataConfig c;
  REQUIRE_FALSE(parse_data_config(json::object(), "data", c));
  CHECK(c.name == "circles");
  CHECK(c.train == 300);
  CHECK(c.test == 100);
  CHECK(c.noise == 0.05);
  CHECK(c.seed == 1);
  CHECK(c.normalize == "none");

  REQUIRE_FALSE(parse_data_config(json{{"name", "digits"}}, "data", c));
  CHECK(c.train == 1500);
  CHECK(c.test == 297);
  REQUIRE_FALSE(parse_data_config(json{{"name", "digits"}, {"train", 1700}}, "data", c));
  CHECK(c.test == 97);  // the default 297 shrinks to the rows train leaves
  REQUIRE_FALSE(parse_data_config("gaussian", "data", c));  // a bare name works too
  CHECK(c.name == "gaussian");
  CHECK(c.dim == 500);
  CHECK(c.classes == 2);
  CHECK(c.train == 1000);
  CHECK(c.test == 0);
  REQUIRE_FALSE(parse_data_config(json{{"name", "moons"}, {"seed", 4294967295ULL}}, "data", c));
  CHECK(c.seed == 4294967295ULL);
  CHECK(c.noise == 0.1);
}

TEST_CASE("config json round-trips and leaves out keys the set ignores") {
  DataConfig c;
  c.name = "spiral";
  c.train = 123;
  c.test = 45;
  c.noise = 0.25;
  c.seed = 77;
  c.normalize = "minmax";
  json j = data_config_to_json(c);
  CHECK(j == json{{"name", "spiral"}, {"train", 123}, {"test", 45}, {"noise", 0.25},
                  {"seed", 77}, {"normalize", "minmax"}});
  DataConfig back;
  REQUIRE_FALSE(parse_data_config(j, "data", back));
  CHECK(data_config_to_json(back) == j);

  c.name = "xor";
  CHECK(data_config_to_json(c) == json{{"name", "xor"}, {"seed", 77}, {"normalize", "minmax"}});
  c.name = "gaussian";
  c.dim = 12;
  c.classes = 7;
  CHECK(data_config_to_json(c)["dim"] == 12);
  CHECK(data_config_to_json(c)["classes"] == 7);
  CHECK_FALSE(data_config_to_json(c).contains("noise"));
  c.name = "circles";
  CHECK_FALSE(data_config_to_json(c).contains("classes"));
}

TEST_CASE("xor is the four exact points in train and test") {
  // Sizes are ignored for xor, whatever they say.
  Dataset d = make(json{{"name", "xor"}, {"train", 100}, {"test", 7}});
  for (const Matrix* x : {&d.x_train, &d.x_test}) {
    REQUIRE(x->shape() == std::array<std::size_t, 2>{4, 2});
    CHECK((*x)(0, 0) == 0.f);
    CHECK((*x)(0, 1) == 0.f);
    CHECK((*x)(1, 0) == 0.f);
    CHECK((*x)(1, 1) == 1.f);
    CHECK((*x)(2, 0) == 1.f);
    CHECK((*x)(2, 1) == 0.f);
    CHECK((*x)(3, 0) == 1.f);
    CHECK((*x)(3, 1) == 1.f);
  }
  CHECK(d.y_train == std::vector<int>{0, 1, 1, 0});
  CHECK(d.y_test == std::vector<int>{0, 1, 1, 0});
  CHECK(d.num_classes == 2);
  CHECK(d.is_2d);
}

TEST_CASE("every synthetic set has its shape label range and balance") {
  for (const char* name : kSynthetic) {
    CAPTURE(name);
    Dataset d = make(json{{"name", name}, {"train", 1000}, {"test", 200}, {"dim", 7}});
    int dim = std::string(name) == "gaussian" ? 7 : 2;
    CHECK(d.input_dim == dim);
    CHECK(d.x_train.shape() == std::array<std::size_t, 2>{1000, std::size_t(dim)});
    CHECK(d.x_test.shape() == std::array<std::size_t, 2>{200, std::size_t(dim)});
    REQUIRE(d.y_train.size() == 1000);
    REQUIRE(d.y_test.size() == 200);
    CHECK(count(d.y_train, 0) + count(d.y_train, 1) == 1000);
    CHECK(count(d.y_test, 0) + count(d.y_test, 1) == 200);
    // Half-and-half by construction, or a fair coin: within 4 sigma of 500.
    CHECK(std::abs(count(d.y_train, 1) - 500) <= 64);
    CHECK(d.is_2d == (dim == 2));
    for (float v : d.x_train) CHECK(std::isfinite(v));
  }
  // The generated-in-halves sets are exactly balanced, as sklearn's are.
  for (const char* name : {"circles", "moons", "spiral", "gaussians"}) {
    CAPTURE(name);
    Dataset d = make(json{{"name", name}});
    CHECK(count(d.y_train, 0) == 150);
    CHECK(count(d.y_test, 0) == 50);
  }
}

TEST_CASE("circles lie on radius 1 and 0.8 without noise and near them with it") {
  Dataset d = make(json{{"name", "circles"}, {"noise", 0}});
  for (std::size_t i = 0; i < d.y_train.size(); ++i) {
    double r = std::hypot(d.x_train(i, 0), d.x_train(i, 1));
    CHECK(r == doctest::Approx(d.y_train[i] == 0 ? 1.0 : 0.8).epsilon(1e-6));
  }
  d = make(json{{"name", "circles"}, {"noise", 0.05}, {"train", 2000}});
  double sum[2] = {0, 0};
  for (std::size_t i = 0; i < d.y_train.size(); ++i)
    sum[d.y_train[i]] += std::hypot(d.x_train(i, 0), d.x_train(i, 1));
  CHECK(sum[0] / 1000 == doctest::Approx(1.0).epsilon(0.01));
  CHECK(sum[1] / 1000 == doctest::Approx(0.8).epsilon(0.01));
}

TEST_CASE("moons lie on their two half circles without noise") {
  Dataset d = make(json{{"name", "moons"}, {"noise", 0}});
  for (std::size_t i = 0; i < d.y_train.size(); ++i) {
    double a = d.x_train(i, 0), b = d.x_train(i, 1);
    if (d.y_train[i] == 0) {
      CHECK(std::hypot(a, b) == doctest::Approx(1.0).epsilon(1e-6));
      CHECK(b >= -1e-6);
    } else {
      CHECK(std::hypot(a - 1.0, b - 0.5) == doctest::Approx(1.0).epsilon(1e-6));
      CHECK(b <= 0.5 + 1e-6);
    }
  }
}

TEST_CASE("spiral arms are each other turned by pi without noise") {
  Dataset d = make(json{{"name", "spiral"}, {"noise", 0}, {"train", 200}});
  std::set<std::pair<long, long>> arm1, arm0_turned;
  for (std::size_t i = 0; i < d.y_train.size(); ++i) {
    // Rounded to 1e-4 so float rounding of sin/cos does not split equal points.
    long a = std::lround(d.x_train(i, 0) * 1e4), b = std::lround(d.x_train(i, 1) * 1e4);
    CHECK(std::hypot(d.x_train(i, 0), d.x_train(i, 1)) < 5.0);
    if (d.y_train[i] == 1)
      arm1.insert({a, b});
    else
      arm0_turned.insert({-a, -b});
  }
  CHECK(arm1.size() == 100);
  CHECK(arm1 == arm0_turned);
}

TEST_CASE("gaussians have centres at plus and minus 2 and std noise") {
  Dataset d = make(json{{"name", "gaussians"}, {"noise", 0.5}, {"train", 4000}});
  for (int label : {0, 1}) {
    double s = 0, sq = 0;
    int n = 0;
    for (std::size_t i = 0; i < d.y_train.size(); ++i) {
      if (d.y_train[i] != label) continue;
      for (std::size_t k = 0; k < 2; ++k) {
        s += d.x_train(i, k);
        sq += d.x_train(i, k) * d.x_train(i, k);
        ++n;
      }
    }
    double mean = s / n, sd = std::sqrt(sq / n - mean * mean);
    CHECK(mean == doctest::Approx(label == 1 ? 2.0 : -2.0).epsilon(0.02));
    CHECK(sd == doctest::Approx(0.5).epsilon(0.05));
  }
}

TEST_CASE("quadrants and linear follow their rule without noise") {
  Dataset q = make(json{{"name", "quadrants"}, {"noise", 0}});
  for (std::size_t i = 0; i < q.y_train.size(); ++i) {
    float a = q.x_train(i, 0), b = q.x_train(i, 1);
    CHECK(std::abs(a) <= 5.f);
    CHECK(std::abs(b) <= 5.f);
    CHECK(q.y_train[i] == (a * b >= 0 ? 1 : 0));
  }
  Dataset l = make(json{{"name", "linear"}, {"noise", 0}});
  for (std::size_t i = 0; i < l.y_train.size(); ++i)
    CHECK(l.y_train[i] == (l.x_train(i, 0) + l.x_train(i, 1) > 0 ? 1 : 0));
  // With noise, quadrants' labels disagree with the rule near the axes only.
  Dataset n = make(json{{"name", "quadrants"}, {"noise", 0.5}, {"train", 2000}});
  int flipped = 0;
  for (std::size_t i = 0; i < n.y_train.size(); ++i)
    flipped += n.y_train[i] != (n.x_train(i, 0) * n.x_train(i, 1) >= 0 ? 1 : 0);
  CHECK(flipped > 50);
  CHECK(flipped < 1000);
}

TEST_CASE("gaussian input is standard normal in any dimension") {
  Dataset d = make(json{{"name", "gaussian"}, {"dim", 300}, {"train", 500}});
  CHECK(d.input_dim == 300);
  CHECK(d.x_test.shape() == std::array<std::size_t, 2>{0, 300});
  double s = 0, sq = 0;
  for (float v : d.x_train) {
    s += v;
    sq += double(v) * v;
  }
  double n = double(d.x_train.size());
  CHECK(std::abs(s / n) < 0.01);
  CHECK(std::sqrt(sq / n) == doctest::Approx(1.0).epsilon(0.01));
}

TEST_CASE("gaussian labels are uniform over the classes asked for") {
  Dataset d = make(json{{"name", "gaussian"}, {"dim", 3}, {"classes", 10}, {"train", 4000},
                        {"test", 500}});
  CHECK(d.num_classes == 10);
  for (const std::vector<int>* y : {&d.y_train, &d.y_test})
    for (int label : *y) REQUIRE((label >= 0 && label < 10));
  // Binomial(4000, 0.1): mean 400, sd 19; 5 sd either way.
  for (int k = 0; k < 10; ++k) {
    CAPTURE(k);
    CHECK(count(d.y_train, k) > 305);
    CHECK(count(d.y_train, k) < 495);
  }
  // The inputs do not depend on the number of classes' draws before them.
  Dataset two = make(json{{"name", "gaussian"}, {"dim", 3}, {"train", 4000}, {"test", 500}});
  CHECK(two.num_classes == 2);
  CHECK(count(two.y_train, 0) + count(two.y_train, 1) == 4000);
  // classes = 2 is the default: the same bits as leaving it out.
  Dataset explicit2 = make(json{{"name", "gaussian"}, {"dim", 3}, {"classes", 2}, {"train", 4000},
                                {"test", 500}});
  CHECK(same_bits(two.x_train, explicit2.x_train));
  CHECK(two.y_train == explicit2.y_train);
  // Other sets ignore the param.
  Dataset circles = make(json{{"name", "circles"}, {"classes", 5}});
  CHECK(circles.num_classes == 2);
}

TEST_CASE("same seed gives identical bits and another seed other data") {
  for (const char* name : {"circles", "moons", "spiral", "gaussians", "quadrants", "linear",
                           "gaussian", "digits", "iris"}) {
    CAPTURE(name);
    json c = {{"name", name}, {"seed", 5}, {"normalize", "standardize"}};
    Dataset a = make(c), b = make(c);
    CHECK(same_bits(a.x_train, b.x_train));
    CHECK(same_bits(a.x_test, b.x_test));
    CHECK(a.y_train == b.y_train);
    CHECK(a.y_test == b.y_test);
    c["seed"] = 6;
    Dataset other = make(c);
    CHECK_FALSE(same_bits(a.x_train, other.x_train));
  }
  // Train and test come from separate streams.
  Dataset q = make(json{{"name", "quadrants"}, {"train", 50}, {"test", 50}});
  CHECK_FALSE(same_bits(q.x_train, q.x_test));
}

TEST_CASE("digits rows are the CSV rows") {
  Matrix x;
  std::vector<int> y;
  REQUIRE_FALSE(real_dataset_rows("digits", x, y));
  REQUIRE(x.shape() == std::array<std::size_t, 2>{1797, 64});
  REQUIRE(y.size() == 1797);
  // The first and last lines of digits.csv.gz.
  const int first[64] = {0, 0, 5,  13, 9, 1,  0,  0, 0, 0, 13, 15, 10, 15, 5,  0,
                         0, 3, 15, 2,  0, 11, 8,  0, 0, 4, 12, 0,  0,  8,  8,  0,
                         0, 5, 8,  0,  0, 9,  8,  0, 0, 4, 11, 0,  1,  12, 7,  0,
                         0, 2, 14, 5,  10, 12, 0, 0, 0, 0, 6,  13, 10, 0,  0,  0};
  const int last[64] = {0, 0, 10, 14, 8,  1,  0,  0, 0, 2, 16, 14, 6,  1,  0,  0,
                        0, 0, 15, 15, 8,  15, 0,  0, 0, 0, 5,  16, 16, 10, 0,  0,
                        0, 0, 12, 15, 15, 12, 0,  0, 0, 4, 16, 6,  4,  16, 6,  0,
                        0, 8, 16, 10, 8,  16, 8,  0, 0, 1, 8,  12, 14, 12, 1,  0};
  for (std::size_t k = 0; k < 64; ++k) {
    CHECK(x(0, k) == first[k]);
    CHECK(x(1796, k) == last[k]);
  }
  CHECK(y[0] == 0);
  CHECK(y[1796] == 8);
  // Whole-table checks measured on the CSV: pixel sum and class counts.
  double sum = 0;
  for (float v : x) {
    CHECK(v == std::floor(v));
    sum += v;
  }
  CHECK(sum == 561718);
  CHECK(*std::max_element(x.begin(), x.end()) == 16.f);
  const int counts[10] = {178, 182, 177, 183, 181, 182, 181, 179, 174, 180};
  for (int c = 0; c < 10; ++c) CHECK(count(y, c) == counts[c]);
}

TEST_CASE("digits split 1500 and 297 holds every class and every row once") {
  Dataset d = make(json{{"name", "digits"}, {"train", 1500}, {"test", 297}});
  CHECK(d.x_train.shape() == std::array<std::size_t, 2>{1500, 64});
  CHECK(d.x_test.shape() == std::array<std::size_t, 2>{297, 64});
  CHECK(d.num_classes == 10);
  CHECK_FALSE(d.is_2d);
  for (int c = 0; c < 10; ++c) {
    CHECK(count(d.y_train, c) > 0);
    CHECK(count(d.y_test, c) > 0);
  }
  double sum = 0;
  for (float v : d.x_train) sum += v;
  for (float v : d.x_test) sum += v;
  CHECK(sum == 561718);
  // Shuffled: the training rows are not the file's first rows.
  Matrix raw;
  std::vector<int> y;
  REQUIRE_FALSE(real_dataset_rows("digits", raw, y));
  CHECK_FALSE(std::vector<int>(y.begin(), y.begin() + 20) ==
              std::vector<int>(d.y_train.begin(), d.y_train.begin() + 20));
}

TEST_CASE("iris rows are the CSV rows") {
  Matrix x;
  std::vector<int> y;
  REQUIRE_FALSE(real_dataset_rows("iris", x, y));
  REQUIRE(x.shape() == std::array<std::size_t, 2>{150, 4});
  CHECK(x(0, 0) == 5.1f);
  CHECK(x(0, 1) == 3.5f);
  CHECK(x(0, 2) == 1.4f);
  CHECK(x(0, 3) == 0.2f);
  CHECK(y[0] == 0);
  CHECK(x(149, 0) == 5.9f);
  CHECK(x(149, 3) == 1.8f);
  CHECK(y[149] == 2);
  for (int c = 0; c < 3; ++c) CHECK(count(y, c) == 50);
  auto e = real_dataset_rows("circles", x, y);
  REQUIRE(e);
  CHECK(e->message == "name: \"circles\" is not allowed; expected one of digits, iris");

  Dataset d = make("iris");
  CHECK(d.x_train.shape() == std::array<std::size_t, 2>{120, 4});
  CHECK(d.x_test.shape() == std::array<std::size_t, 2>{30, 4});
  CHECK(d.num_classes == 3);
}

TEST_CASE("standardize fits on train and applies the same to test") {
  json c = {{"name", "iris"}, {"seed", 3}};
  Dataset raw = make(c);
  c["normalize"] = "standardize";
  Dataset d = make(c);
  REQUIRE(d.offset.size() == 4);
  for (std::size_t k = 0; k < 4; ++k) {
    CHECK(std::abs(column_mean(d.x_train, k)) < 1e-5);
    CHECK(column_std(d.x_train, k) == doctest::Approx(1.0).epsilon(1e-5));
    CHECK(d.offset[k] == doctest::Approx(column_mean(raw.x_train, k)).epsilon(1e-9));
    for (std::size_t i = 0; i < 30; ++i)
      CHECK(d.x_test(i, k) ==
            doctest::Approx((raw.x_test(i, k) - d.offset[k]) / d.scale[k]).epsilon(1e-6));
  }
  // The test rows are not standardized on their own statistics.
  CHECK(std::abs(column_mean(d.x_test, 0)) > 1e-3);
  // normalize_inputs maps raw points (e.g. a decision grid) the same way.
  Matrix again = normalize_inputs(d, raw.x_train);
  CHECK(same_bits(again, d.x_train));
}

TEST_CASE("minmax puts train in 0 to 1 and uses train's range for test") {
  json c = {{"name", "circles"}, {"noise", 0.1}, {"seed", 4}};
  Dataset raw = make(c);
  c["normalize"] = "minmax";
  Dataset d = make(c);
  for (std::size_t k = 0; k < 2; ++k) {
    float lo = 1e9f, hi = -1e9f;
    for (std::size_t i = 0; i < 300; ++i) {
      lo = std::min(lo, d.x_train(i, k));
      hi = std::max(hi, d.x_train(i, k));
    }
    CHECK(lo == 0.f);
    CHECK(hi == doctest::Approx(1.0).epsilon(1e-6));
    for (std::size_t i = 0; i < 100; ++i)
      CHECK(d.x_test(i, k) ==
            doctest::Approx((raw.x_test(i, k) - d.offset[k]) / d.scale[k]).epsilon(1e-6));
  }
}

TEST_CASE("constant features are centred without dividing by zero") {
  // Pixel columns 0, 32 and 39 of the digits are 0 in every image.
  for (const char* how : {"standardize", "minmax"}) {
    CAPTURE(how);
    Dataset d = make(json{{"name", "digits"}, {"normalize", how}});
    for (std::size_t k : {0, 32, 39}) {
      CHECK(d.scale[k] == 1.0);
      for (std::size_t i = 0; i < d.y_train.size(); ++i) CHECK(d.x_train(i, k) == 0.f);
    }
    for (float v : d.x_train) CHECK(std::isfinite(v));
    for (float v : d.x_test) CHECK(std::isfinite(v));
  }
}

TEST_CASE("errors name the field the value and what is allowed") {
  CHECK(parse_error(json{{"name", "mnist"}}) ==
        "data.name | data.name: \"mnist\" is not allowed; expected one of xor, circles, moons, "
        "spiral, gaussians, quadrants, linear, gaussian, digits, iris, custom");
  CHECK(parse_error("mnist") ==
        "data | data: \"mnist\" is not allowed; expected one of xor, circles, moons, spiral, "
        "gaussians, quadrants, linear, gaussian, digits, iris, custom");
  CHECK(parse_error(json{{"name", 3}}).rfind("data.name | data.name: 3 is not allowed", 0) == 0);
  CHECK(parse_error(json{{"train", 0}}) ==
        "data.train | data.train: 0 is not allowed; expected an integer from 1 to 4096");
  CHECK(parse_error(json{{"train", "300"}}) ==
        "data.train | data.train: \"300\" is not allowed; expected an integer from 1 to 4096");
  CHECK(parse_error(json{{"test", 2.5}}) ==
        "data.test | data.test: 2.5 is not allowed; expected an integer from 0 to 4096");
  CHECK(parse_error(json{{"name", "digits"}, {"train", 1500}, {"test", 400}}) ==
        "data.test | data.test: 400 is not allowed; digits has 1797 rows, so with train 1500 "
        "test is at most 297");
  CHECK(parse_error(json{{"name", "iris"}, {"train", 151}}) ==
        "data.train | data.train: 151 is not allowed; expected an integer from 1 to 150");
  CHECK(parse_error(json{{"normalize", "zscore"}}) ==
        "data.normalize | data.normalize: \"zscore\" is not allowed; expected one of none, "
        "standardize, minmax");
  CHECK(parse_error(json{{"noise", 2}}) ==
        "data.noise | data.noise: 2 is not allowed; expected a number from 0 to 1");
  CHECK(parse_error(json{{"seed", -1}}) ==
        "data.seed | data.seed: -1 is not allowed; expected an integer from 0 to "
        "4294967295");
  CHECK(parse_error(json{{"seed", 4294967296ULL}}).rfind("data.seed |", 0) == 0);
  CHECK(parse_error(json{{"name", "gaussian"}, {"dim", 2000}}) ==
        "data.dim | data.dim: 2000 is not allowed; expected an integer from 1 to 1024");
  CHECK(parse_error(json{{"name", "gaussian"}, {"classes", 11}}) ==
        "data.classes | data.classes: 11 is not allowed; expected an integer from 2 to 10");
  CHECK(parse_error(json{{"name", "gaussian"}, {"classes", 1}}) ==
        "data.classes | data.classes: 1 is not allowed; expected an integer from 2 to 10");
  CHECK(parse_error(json{{"name", "gaussian"}, {"classes", 2.5}}).rfind("data.classes |", 0) == 0);
  CHECK(parse_error(json{{"nosie", 0.1}}) ==
        "data.nosie | data.nosie: unknown key; allowed keys here: name, train, test, noise, "
        "dim, classes, seed, normalize");
  CHECK(parse_error(json::array()) ==
        "data | data: [] is not allowed; expected a data set name or an object");
  // Keys a set ignores are still type-checked.
  CHECK(parse_error(json{{"name", "xor"}, {"train", "many"}}).rfind("data.train |", 0) == 0);
  CHECK(parse_error(json{{"name", "digits"}, {"noise", -1}}).rfind("data.noise |", 0) == 0);
}

TEST_CASE("make_dataset validates a config built in C++") {
  DataConfig c;
  c.train = 0;
  Dataset d;
  auto e = make_dataset(c, d);
  REQUIRE(e);
  CHECK(e->field == "data.train");
  c = DataConfig{};
  c.name = "digits";
  c.train = 1797;
  c.test = 1;
  e = make_dataset(c, d);
  REQUIRE(e);
  CHECK(e->message ==
        "data.test: 1 is not allowed; digits has 1797 rows, so with train 1797 test is at most 0");
  c.name = "nope";
  e = make_dataset(c, d);
  REQUIRE(e);
  CHECK(e->field == "data.name");
}

TEST_CASE("the schema lists each set with the params it reads") {
  json s = datasets_schema();
  REQUIRE(s["params"].size() == 1);
  CHECK(s["params"][0]["name"] == "name");
  CHECK(s["params"][0]["default"] == "circles");
  REQUIRE(s["datasets"].size() == datasets().size());
  auto param_names = [](const json& set) {
    std::vector<std::string> names;
    for (const auto& p : set["params"]) names.push_back(p["name"].get<std::string>());
    return names;
  };
  const json& circles = s["datasets"][1];
  CHECK(circles["name"] == "circles");
  CHECK(circles["extent"] == 1.5);
  CHECK(circles["defaultLoss"] == "bce");
  CHECK(param_names(circles) ==
        std::vector<std::string>{"train", "test", "noise", "seed", "normalize"});
  CHECK(circles["params"][2]["max"] == 1.0);
  CHECK(param_names(s["datasets"][0]) == std::vector<std::string>{"seed", "normalize"});
  const json& gaussian = s["datasets"][7];
  CHECK(gaussian["inputDim"] == "dim");
  CHECK(param_names(gaussian) ==
        std::vector<std::string>{"train", "test", "dim", "classes", "seed", "normalize"});
  CHECK(gaussian["numClasses"] == 2);  // the default of its classes param
  CHECK(gaussian["params"][3]["min"] == 2);
  CHECK(gaussian["params"][3]["max"] == 10);
  const json& digits = s["datasets"][8];
  CHECK(digits["rows"] == 1797);
  CHECK(digits["extent"].is_null());
  CHECK(digits["defaultOutputActivation"] == "softmax");
  CHECK(digits["params"][0]["max"] == 1797);
}
