#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "alloc_count.hpp"
#include "initscope/data.hpp"
#include "initscope/loss.hpp"
#include "initscope/schema.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

struct Case {
  Loss kind;
  std::size_t rows, cols;
  std::vector<double> x;  // z (bce, cross_entropy) or a (mse): what the gradient is taken of
  std::vector<double> y;
};

// One batch per loss, with logits up to ±15 and ties avoided.
std::vector<Case> cases() {
  return {
      {Loss::mse, 3, 2, {0.3, -1.2, 2.5, 0.0, -0.7, 4.0}, {0.0, -1.0, 1.5, 0.25, 0.3, -2.0}},
      {Loss::bce, 6, 1, {0.3, -1.2, 2.5, -15.0, 15.0, 0.01}, {1, 0, 1, 1, 0, 1}},
      {Loss::cross_entropy, 4, 3,
       {0.3, -1.2, 2.5, 15.0, -15.0, 0.1, -0.5, -0.4, -0.6, 3.0, 3.1, -2.0},
       {0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0}},
  };
}

double value_of(const Case& c, const std::vector<double>& x) {
  const double* z = c.kind == Loss::mse ? nullptr : x.data();
  const double* a = c.kind == Loss::mse ? x.data() : nullptr;
  return loss_value(c.kind, const_matrix_view(z, c.rows, c.cols), const_matrix_view(a, c.rows, c.cols), const_matrix_view(c.y.data(), c.rows, c.cols));
}

double grad_of(const Case& c, std::vector<double>& g) {
  g.assign(c.x.size(), 0.0);
  const double* z = c.kind == Loss::mse ? nullptr : c.x.data();
  const double* a = c.kind == Loss::mse ? c.x.data() : nullptr;
  return loss_forward_backward(c.kind, const_matrix_view(z, c.rows, c.cols), const_matrix_view(a, c.rows, c.cols), const_matrix_view(c.y.data(), c.rows, c.cols), matrix_view(g.data(), c.rows, c.cols));
}

double sigmoid(double z) { return 1.0 / (1.0 + std::exp(-z)); }

}  // namespace

TEST_CASE("the loss table has one row per enum value in order") {
  const auto& table = losses();
  REQUIRE(table.size() == 3);
  for (std::size_t i = 0; i < table.size(); ++i) {
    CHECK(static_cast<std::size_t>(table[i].kind) == i);
    CHECK(find_loss(table[i].name) == &table[i]);
    CHECK_FALSE(table[i].formula.empty());
    CHECK_FALSE(table[i].doc.empty());
  }
  CHECK(table[0].name == "mse");
  CHECK(table[0].any_output);
  CHECK(table[1].name == "bce");
  CHECK(table[1].required_output == Activation::sigmoid);
  CHECK_FALSE(table[1].any_output);
  CHECK(table[2].name == "cross_entropy");
  CHECK(table[2].required_output == Activation::softmax);
  CHECK(find_loss("MSE") == nullptr);
  CHECK_FALSE(loss_grad_is_logit(Loss::mse));
  CHECK(loss_grad_is_logit(Loss::bce));
  CHECK(loss_grad_is_logit(Loss::cross_entropy));

  const json s = losses_schema();
  REQUIRE(s.size() == 3);
  CHECK(s[0]["requiredOutput"].is_null());
  CHECK(s[0]["anyOutput"] == true);
  CHECK(s[1]["requiredOutput"] == "sigmoid");
  CHECK(s[2]["requiredOutput"] == "softmax");
}

TEST_CASE("output units per loss and number of classes, as the schema lists them") {
  CHECK(output_units(Loss::bce, 2) == 1);
  CHECK(output_units(Loss::bce, 3) == 0);
  CHECK(output_units(Loss::cross_entropy, 2) == 2);
  CHECK(output_units(Loss::cross_entropy, 10) == 10);
  CHECK(output_units(Loss::mse, 2) == 1);
  CHECK(output_units(Loss::mse, 3) == 3);

  const json losses_rows = schema()["losses"];
  REQUIRE(losses_rows.size() == losses().size());
  for (std::size_t i = 0; i < losses().size(); ++i) {
    const json& units = losses_rows[i]["outputUnits"];
    for (int classes = 2; classes <= kMaxClasses; ++classes) {
      const std::string key = std::to_string(classes);
      int want = output_units(losses()[i].kind, classes);
      if (want == 0) CHECK_FALSE(units.contains(key));
      else CHECK(units.at(key) == want);
    }
    CHECK(units.size() == (losses()[i].kind == Loss::bce ? 1u : 9u));
  }
}

TEST_CASE("hand-computed losses and gradients") {
  SUBCASE("mse is the mean over all elements") {
    // a = (1, 2), y = (0, 0): L = (1 + 4)/2 = 2.5, dL/da = 2(a − y)/2 = (1, 2).
    const double a[] = {1, 2}, y[] = {0, 0};
    double g[2];
    CHECK(loss_forward_backward(Loss::mse, const_matrix_view((const double*)nullptr, 1, 2), const_matrix_view(a, 1, 2), const_matrix_view(y, 1, 2), matrix_view(g, 1, 2)) == 2.5);
    CHECK(g[0] == 1.0);
    CHECK(g[1] == 2.0);
  }
  SUBCASE("bce from logits") {
    // z = (0, 2), y = (1, 0): L = (ln 2 + ln(1 + e²))/2 = (0.6931471805599453 +
    // 2.1269280110429727)/2 = 1.410037595801459; dL/dz = ((σ(0) − 1)/2, σ(2)/2) = (−0.25, 0.44039853898894116).
    const double z[] = {0, 2}, y[] = {1, 0};
    double g[2];
    CHECK(loss_forward_backward(Loss::bce, const_matrix_view(z, 2, 1), const_matrix_view((const double*)nullptr, 2, 1), const_matrix_view(y, 2, 1), matrix_view(g, 2, 1)) ==
          doctest::Approx(1.410037595801459).epsilon(1e-15));
    CHECK(g[0] == -0.25);
    CHECK(g[1] == doctest::Approx(0.44039853898894116).epsilon(1e-15));
  }
  SUBCASE("cross_entropy from logits") {
    // Row 0: z = (0, 0), y = (1, 0): L = ln 2, dL/dz = (−1/2, 1/2).
    // Row 1: e^z = (2, 1, 3) so softmax = (1/3, 1/6, 1/2); y = (0, 0, 1): L = ln 2,
    // dL/dz = (1/3, 1/6, −1/2). Means over the 2 rows halve the gradients.
    const double z0[] = {0, 0}, y0[] = {1, 0};
    double g0[2];
    CHECK(loss_forward_backward(Loss::cross_entropy, const_matrix_view(z0, 1, 2), const_matrix_view((const double*)nullptr, 1, 2), const_matrix_view(y0, 1, 2), matrix_view(g0, 1, 2)) ==
          doctest::Approx(std::log(2.0)).epsilon(1e-15));
    CHECK(g0[0] == -0.5);
    CHECK(g0[1] == 0.5);
    const double z1[] = {std::log(2.0), 0, std::log(3.0), 0, 0, 0}, y1[] = {0, 0, 1, 1, 0, 0};
    double g1[6];
    // Row 2 of this batch: z = 0 everywhere, L = ln 3.
    CHECK(loss_forward_backward(Loss::cross_entropy, const_matrix_view(z1, 2, 3), const_matrix_view((const double*)nullptr, 2, 3), const_matrix_view(y1, 2, 3), matrix_view(g1, 2, 3)) ==
          doctest::Approx((std::log(2.0) + std::log(3.0)) / 2).epsilon(1e-15));
    CHECK(g1[0] == doctest::Approx(1.0 / 6).epsilon(1e-15));
    CHECK(g1[1] == doctest::Approx(1.0 / 12).epsilon(1e-15));
    CHECK(g1[2] == doctest::Approx(-0.25).epsilon(1e-15));
    CHECK(g1[3] == doctest::Approx(-1.0 / 3).epsilon(1e-15));
    CHECK(g1[4] == doctest::Approx(1.0 / 6).epsilon(1e-15));
  }
}

TEST_CASE("fused losses equal the textbook formulas on moderate logits") {
  for (const Case& c : cases()) {
    if (c.kind == Loss::mse) continue;
    double naive = 0;
    if (c.kind == Loss::bce) {
      for (std::size_t i = 0; i < c.x.size(); ++i) {
        const double s = sigmoid(c.x[i]);
        naive -= c.y[i] * std::log(s) + (1 - c.y[i]) * std::log(1 - s);
      }
      naive /= c.rows;
    } else {
      for (std::size_t r = 0; r < c.rows; ++r) {
        double sum = 0;
        for (std::size_t j = 0; j < c.cols; ++j) sum += std::exp(c.x[r * c.cols + j]);
        for (std::size_t j = 0; j < c.cols; ++j)
          naive -= c.y[r * c.cols + j] * std::log(std::exp(c.x[r * c.cols + j]) / sum);
      }
      naive /= c.rows;
    }
    INFO(losses()[static_cast<int>(c.kind)].name);
    CHECK(value_of(c, c.x) == doctest::Approx(naive).epsilon(1e-9));
  }
}

TEST_CASE("every loss gradient matches central differences in double") {
  double worst = 0;
  for (const Case& c : cases()) {
    std::vector<double> g;
    const double fused = grad_of(c, g);
    CHECK(fused == value_of(c, c.x));
    std::vector<double> x = c.x;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double h = 1e-6 * std::max(1.0, std::abs(x[i])), keep = x[i];
      x[i] = keep + h;
      const double up = value_of(c, x);
      x[i] = keep - h;
      const double down = value_of(c, x);
      x[i] = keep;
      const double fd = (up - down) / (2 * h);
      const double err = std::abs(fd - g[i]) / std::max(std::abs(g[i]), 1e-3);
      worst = std::max(worst, err);
      INFO(losses()[static_cast<int>(c.kind)].name << " element " << i);
      CHECK(err <= 1e-6);
    }
  }
  MESSAGE("largest loss finite-difference error: " << worst);
}

TEST_CASE("huge logits give a large finite loss and a finite gradient") {
  SUBCASE("bce") {
    // max(z, 0) − z·y + ln(1 + e^(−|z|)): 1e4 when the sign is wrong, 0 when right.
    const double z[] = {1e4, -1e4, 1e4, -1e4}, y[] = {0, 1, 1, 0};
    double g[4];
    CHECK(loss_forward_backward(Loss::bce, const_matrix_view(z, 4, 1), const_matrix_view((const double*)nullptr, 4, 1), const_matrix_view(y, 4, 1), matrix_view(g, 4, 1)) == 5000.0);
    CHECK(g[0] == 0.25);
    CHECK(g[1] == -0.25);
    CHECK(g[2] == 0.0);
    CHECK(g[3] == 0.0);
    const float zf[] = {1e4f, -1e4f, 1e30f}, yf[] = {0, 1, 0};
    float gf[3];
    const double lf = loss_forward_backward(Loss::bce, const_matrix_view(zf, 3, 1), const_matrix_view((const float*)nullptr, 3, 1), const_matrix_view(yf, 3, 1), matrix_view(gf, 3, 1));
    CHECK(std::isfinite(lf));
    CHECK(lf == doctest::Approx((2e4 + static_cast<double>(1e30f)) / 3).epsilon(1e-12));
    for (float v : gf) CHECK(std::isfinite(v));
  }
  SUBCASE("cross_entropy") {
    // Row: z = (1e4, −1e4, 0), target class 1: L = lse − z₁ = 1e4 + 1e4.
    const double z[] = {1e4, -1e4, 0}, y[] = {0, 1, 0};
    double g[3];
    CHECK(loss_forward_backward(Loss::cross_entropy, const_matrix_view(z, 1, 3), const_matrix_view((const double*)nullptr, 1, 3), const_matrix_view(y, 1, 3), matrix_view(g, 1, 3)) ==
          2e4);
    CHECK(g[0] == 1.0);
    CHECK(g[1] == -1.0);
    CHECK(g[2] == 0.0);
    const float zf[] = {1e4f, -1e4f, 0}, yf[] = {0, 1, 0};
    float gf[3];
    CHECK(loss_forward_backward(Loss::cross_entropy, const_matrix_view(zf, 1, 3), const_matrix_view((const float*)nullptr, 1, 3), const_matrix_view(yf, 1, 3), matrix_view(gf, 1, 3)) ==
          2e4);
    CHECK(gf[0] == 1.0f);
    CHECK(gf[1] == -1.0f);
  }
  SUBCASE("mse") {
    const float a[] = {1e4f, -1e4f}, y[] = {0, 0};
    float g[2];
    CHECK(loss_forward_backward(Loss::mse, const_matrix_view((const float*)nullptr, 2, 1), const_matrix_view(a, 2, 1), const_matrix_view(y, 2, 1), matrix_view(g, 2, 1)) == 1e8);
    CHECK(g[0] == 1e4f);
  }
}

TEST_CASE("the float instantiation of the losses agrees with double") {
  for (const Case& c : cases()) {
    std::vector<float> x(c.x.begin(), c.x.end()), y(c.y.begin(), c.y.end()), gf(x.size());
    Case cd = c;  // the same float-rounded inputs, in double
    cd.x.assign(x.begin(), x.end());
    cd.y.assign(y.begin(), y.end());
    std::vector<double> gd;
    const double ld = grad_of(cd, gd);
    const float* z = c.kind == Loss::mse ? nullptr : x.data();
    const float* a = c.kind == Loss::mse ? x.data() : nullptr;
    const double lf = loss_forward_backward(c.kind, const_matrix_view(z, c.rows, c.cols), const_matrix_view(a, c.rows, c.cols), const_matrix_view(y.data(), c.rows, c.cols), matrix_view(gf.data(), c.rows, c.cols));
    INFO(losses()[static_cast<int>(c.kind)].name);
    CHECK(lf == doctest::Approx(ld).epsilon(1e-12));  // the sums are in double either way
    for (std::size_t i = 0; i < x.size(); ++i)
      CHECK(gf[i] == doctest::Approx(gd[i]).epsilon(1e-6));
  }
}

TEST_CASE("accuracy thresholds binary outputs and takes the argmax of several") {
  // bce: a > 0.5 is class 1; targets 1, 0, 1, 0 → correct, correct, wrong, wrong.
  const double a_bin[] = {0.9, 0.2, 0.5, 0.51}, y_bin[] = {1, 0, 1, 0};
  CHECK(accuracy(Loss::bce, const_matrix_view(a_bin, 4, 1), const_matrix_view(y_bin, 4, 1)) == 0.5);
  // Single-output mse uses the same threshold.
  CHECK(accuracy(Loss::mse, const_matrix_view(a_bin, 4, 1), const_matrix_view(y_bin, 4, 1)) == 0.5);
  // Three classes: argmax (2, 0, 1) against targets (2, 1, 1) → 2 of 3.
  const double a_cat[] = {0.1, 0.2, 0.7, 0.6, 0.3, 0.1, 0.2, 0.5, 0.3};
  const double y_cat[] = {0, 0, 1, 0, 1, 0, 0, 1, 0};
  CHECK(accuracy(Loss::cross_entropy, const_matrix_view(a_cat, 3, 3), const_matrix_view(y_cat, 3, 3)) == doctest::Approx(2.0 / 3));
  CHECK(accuracy(Loss::mse, const_matrix_view(a_cat, 3, 3), const_matrix_view(y_cat, 3, 3)) == doctest::Approx(2.0 / 3));
  const float a_f[] = {0.9f, 0.2f}, y_f[] = {1, 1};
  CHECK(accuracy(Loss::bce, const_matrix_view(a_f, 2, 1), const_matrix_view(y_f, 2, 1)) == 0.5);
  CHECK(accuracy(Loss::bce, const_matrix_view(a_f, 0, 1), const_matrix_view(y_f, 0, 1)) == 0.0);
  CHECK(loss_value(Loss::bce, const_matrix_view(a_f, 0, 1), const_matrix_view(a_f, 0, 1), const_matrix_view(y_f, 0, 1)) == 0.0);
}

TEST_CASE("the loss functions allocate nothing") {
  std::vector<float> z(30, 0.5f), y(30, 0.0f), g(30);
  const auto& table = losses();  // built on first use, outside the counted region
  const long before = initscope_test::allocations;
  for (const auto& info : table) {
    loss_forward_backward(info.kind, const_matrix_view(z.data(), 10, 3), const_matrix_view(z.data(), 10, 3), const_matrix_view(y.data(), 10, 3), matrix_view(g.data(), 10, 3));
    loss_value(info.kind, const_matrix_view(z.data(), 10, 3), const_matrix_view(z.data(), 10, 3), const_matrix_view(y.data(), 10, 3));
    accuracy(info.kind, const_matrix_view(z.data(), 10, 3), const_matrix_view(y.data(), 10, 3));
  }
  CHECK(initscope_test::allocations == before);
}

TEST_CASE("parse_loss reads names and errors name the path and the choices") {
  Loss loss = Loss::mse;
  REQUIRE_FALSE(parse_loss(json("cross_entropy"), "loss", loss));
  CHECK(loss == Loss::cross_entropy);
  REQUIRE_FALSE(parse_loss(json("bce"), "loss", loss));
  CHECK(loss == Loss::bce);
  auto e = parse_loss(json("binary_crossentropy"), "loss", loss);
  REQUIRE(e);
  CHECK(e->field == "loss");
  CHECK(e->message ==
        "loss: \"binary_crossentropy\" is not allowed; expected one of mse, bce, cross_entropy");
  e = parse_loss(json{{"name", "mse"}}, "loss", loss);
  REQUIRE(e);
  CHECK(e->message ==
        "loss: {\"name\":\"mse\"} is not allowed; expected one of mse, bce, cross_entropy");
  CHECK(loss == Loss::bce);  // untouched on error
}
