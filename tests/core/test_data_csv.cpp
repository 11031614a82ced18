#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "data_test_helpers.hpp"
#include "initscope/data.hpp"
#include "initscope/data_csv.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

json custom(const std::string& csv, json extra = json::object()) {
  json j = {{"name", "custom"}, {"csv", csv}};
  j.update(extra);
  return j;
}

using data_test::make;


bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

const char* kSmall =
    "x,y,class\n"
    "0.5,1,a\n"
    "-1,2,b\n"
    "3,-4.25,a\n"
    "1e1,0,b\n"
    "2,2,a\n";

}  // namespace

TEST_CASE("a csv with a header becomes a custom set of its features and classes") {
  Dataset d = make(custom(kSmall, {{"testFraction", 0.4}}));
  CHECK(d.name == "custom");
  CHECK(d.input_dim == 2);
  CHECK(d.num_classes == 2);
  CHECK(d.feature_names == std::vector<std::string>{"x", "y"});
  CHECK(d.class_names == std::vector<std::string>{"a", "b"});
  CHECK(d.y_train.size() == 3);
  CHECK(d.y_test.size() == 2);
  CHECK(d.is_2d);
  CHECK(d.extent == doctest::Approx(11.0));  // 1.1 x the largest |value| (1e1)
  // Every row lands in train or test once, with its own class.
  std::vector<std::pair<float, int>> seen;
  for (std::size_t i = 0; i < d.y_train.size(); ++i) seen.emplace_back(d.x_train(i, 0), d.y_train[i]);
  for (std::size_t i = 0; i < d.y_test.size(); ++i) seen.emplace_back(d.x_test(i, 0), d.y_test[i]);
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<std::pair<float, int>>{{-1.f, 1}, {0.5f, 0}, {2.f, 0}, {3.f, 0}, {10.f, 1}});
}

TEST_CASE("semicolons with decimal commas quotes and no header read as the same numbers") {
  Dataset a = make(custom(kSmall, {{"testFraction", 0}}));
  Dataset b = make(custom("\"0,5\";1;a\r\n-1;2;b\r\n3;-4,25;a\r\n\r\n1e1;0;\"b\"\r\n2;2;a\r\n",
                          {{"testFraction", 0}}));
  CHECK(b.feature_names == std::vector<std::string>{"column 1", "column 2"});
  REQUIRE(a.x_train.shape() == b.x_train.shape());
  CHECK(std::equal(a.x_train.begin(), a.x_train.end(), b.x_train.begin()));
  CHECK(a.y_train == b.y_train);
}

TEST_CASE("the label and the split name columns by header or number") {
  const char* csv =
      "set,species,w,h\n"
      "train,1,0.1,0.2\n"
      "test,2,0.3,0.4\n"
      "train,2,0.5,0.6\n"
      "TRAIN,1,0.7,0.8\n";
  Dataset d = make(custom(csv, {{"label", "species"}, {"split", 1}}));
  CHECK(d.feature_names == std::vector<std::string>{"w", "h"});
  CHECK(d.class_names == std::vector<std::string>{"1", "2"});
  CHECK(d.y_train == std::vector<int>{0, 1, 0});  // train rows keep file order
  CHECK(d.y_test == std::vector<int>{1});
  CHECK(d.x_test(0, 1) == doctest::Approx(0.4f));
  CHECK(make(custom(csv, {{"label", 2}, {"split", "set"}})).y_train == d.y_train);
}

TEST_CASE("numeric classes are ordered by value and text classes as text") {
  Dataset d = make(custom("1,10\n2,9\n3,10\n4,2\n", {{"testFraction", 0}}));
  CHECK(d.class_names == std::vector<std::string>{"2", "9", "10"});
  CHECK(d.num_classes == 3);
}

TEST_CASE("the split by the seed is reproducible and another seed shuffles otherwise") {
  std::string csv = "a,b,c\n";
  for (int i = 0; i < 50; ++i) csv += std::to_string(i) + "," + std::to_string(i % 7) + "," + std::to_string(i % 3) + "\n";
  Dataset a = make(custom(csv, {{"seed", 3}})), b = make(custom(csv, {{"seed", 3}})),
          c = make(custom(csv, {{"seed", 4}}));
  CHECK(a.y_test.size() == 10);
  CHECK(std::equal(a.x_test.begin(), a.x_test.end(), b.x_test.begin()));
  CHECK_FALSE(std::equal(a.x_test.begin(), a.x_test.end(), c.x_test.begin()));
  Dataset s = make(custom(csv, {{"normalize", "standardize"}}));
  double mean = 0;
  for (std::size_t i = 0; i < s.x_train.shape()[0]; ++i) mean += s.x_train(i, 0);
  CHECK(mean / s.x_train.shape()[0] == doctest::Approx(0).epsilon(1e-5));
  CHECK(s.is_2d);
}

TEST_CASE("the config json of a custom set parses back to the same set") {
  DataConfig c;
  REQUIRE_FALSE(parse_data_config(custom(kSmall, {{"label", "class"}, {"seed", 9}, {"extent", 5}}), "data", c));
  json j = data_config_to_json(c);
  CHECK(j["csv"] == kSmall);
  CHECK(j["label"] == "class");
  CHECK(j["extent"] == 5);
  DataConfig back;
  REQUIRE_FALSE(parse_data_config(j, "data", back));
  CHECK(data_config_to_json(back) == j);
  Dataset d;
  REQUIRE_FALSE(make_dataset(back, d));
  CHECK(d.extent == 5);
  CHECK(c.train + c.test == 5);
  CHECK(c.dim == 2);
  CHECK(c.classes == 2);
}

TEST_CASE("a refused csv names the row the column and the value") {
  // Each: the csv, then the parts its message must hold.
  struct Case {
    std::string csv;
    std::vector<std::string> parts;
  };
  std::string ten_classes;
  for (int i = 0; i < 12; ++i) ten_classes += std::to_string(i) + ",c" + std::to_string(i) + "\n";
  std::string ones;
  for (int k = 0; k < 65; ++k) ones += "1,";
  const std::string wide = ones + "a\n" + ones + "b\n";
  const std::vector<Case> cases = {
      {"x,y,c\n1,,a\n2,3,b\n", {"row 2, column 2 (\"y\")", "missing", "expected a number"}},
      {"x,y,c\n1,2,a\n2,abc,b\n", {"row 3, column 2 (\"y\")", "\"abc\" is not a number"}},
      {"x,y,c\n1,2,a\n2,NA,b\n", {"row 3, column 2", "\"NA\" is a missing value"}},
      {"x,y,c\n1,2,a\n2,3\n", {"row 3 has 2 columns", "row 1 has 3", "expected 3 in every row"}},
      {"x,y,c\n1,2,a\n2,3,a\n", {"column 3 (\"c\") holds one class (\"a\"", "expected 2 to 10 classes"}},
      {"x,y,c\n1,2,a\n2,3,\n", {"row 3, column 3 (\"c\")", "the class is missing"}},
      {ten_classes, {"row 11, column 2", "\"c10\" is class 11", "expected 2 to 10 classes"}},
      {wide, {"has 65 feature columns", "at most 64"}},
      {"", {"has no rows"}},
      {"\n  \n", {"has no rows"}},
      {"x,y,c\n", {"row 1 is a header and no data rows follow"}},
      {"1\n2\n", {"row 1 has 1 column"}},
      {"x,y,c\n1,2,\"a\n", {"row 2, column 3", "quote opens and is not closed"}},
      {"x,y,c\n1,0x10,a\n2,1,b\n", {"row 2, column 2", "\"0x10\" is not a number"}},
      {"x,y,c\n1,inf,a\n2,1,b\n", {"row 2, column 2", "\"inf\" is not a number"}},
      {"x,y,c\n1,1e39,a\n2,1,b\n", {"row 2, column 2", "\"1e39\" is out of range"}},
      {"x,y,c\n1;2,3,a\n2,1,b\n", {"row 2, column 1", "semicolon-separated"}},
  };
  for (const auto& c : cases) {
    std::string got = data_test::parse_error(custom(c.csv));
    CAPTURE(c.csv);
    CAPTURE(got);
    CHECK(has(got, "data.csv | data.csv: "));
    for (const auto& part : c.parts) CHECK(has(got, part));
  }
}

TEST_CASE("more rows than the limit are refused at the first row beyond it") {
  const int most = static_cast<int>(custom_data_limits()[0].max);
  std::string csv = "x,c\n";
  for (int i = 0; i <= most; ++i) csv += std::to_string(i % 5) + "," + std::to_string(i % 2) + "\n";
  std::string got = data_test::parse_error(custom(csv));
  CHECK(has(got, "row " + std::to_string(most + 2) + ": more than " + std::to_string(most)));
  // Exactly the limit is accepted.
  csv = csv.substr(0, csv.rfind('\n', csv.size() - 2) + 1);
  CHECK(data_test::parse_error(custom(csv)) == "no error");
}

TEST_CASE("the options of a custom set are checked as fields") {
  CHECK(has(data_test::parse_error({{"name", "custom"}}), "data.csv | data.csv: is required"));
  CHECK(has(data_test::parse_error(custom(kSmall, {{"csv", 3}})), "data.csv | data.csv: 3 is not allowed"));
  CHECK(has(data_test::parse_error(custom(kSmall, {{"label", "kind"}})),
            "data.label | data.label: \"kind\" is not a column of the header; expected one of \"x\", \"y\", \"class\""));
  CHECK(has(data_test::parse_error(custom(kSmall, {{"label", 4}})), "data.label: 4 is not allowed; expected a column number from 1 to 3"));
  CHECK(has(data_test::parse_error(custom("1,2,a\n2,3,b\n", {{"label", "c"}})), "names no column: the csv has no header row"));
  CHECK(has(data_test::parse_error(custom(kSmall, {{"split", 3}})), "data.split: 3 is the label column"));
  CHECK(has(data_test::parse_error(custom("x,s,c\n1,train,a\n2,tst,b\n", {{"split", "s"}})),
            "row 3, column 2 (\"s\"): \"tst\" is not allowed; expected train or test"));
  CHECK(has(data_test::parse_error(custom("x,s,c\n1,test,a\n2,test,b\n", {{"split", "s"}})), "says test in every row"));
  CHECK(has(data_test::parse_error(custom(kSmall, {{"testFraction", 0.95}})), "data.testFraction: 0.95 is not allowed; expected a number from 0 to 0.9"));
  CHECK(has(data_test::parse_error(custom(kSmall, {{"separator", "tab"}})), "data.separator"));
  CHECK(has(data_test::parse_error(custom(kSmall, {{"train", 10}})), "data.train: unknown key"));
}

TEST_CASE("the schema row of the custom set carries its params and limits") {
  json sets = datasets_schema()["datasets"];
  auto row = std::find_if(sets.begin(), sets.end(), [](const json& s) { return s["name"] == "custom"; });
  REQUIRE(row != sets.end());
  std::vector<std::string> params;
  for (const auto& p : (*row)["params"]) params.push_back(p["name"]);
  CHECK(params == std::vector<std::string>{"testFraction", "seed", "normalize", "header", "separator", "extent"});
  std::vector<std::string> limits;
  for (const auto& p : (*row)["limits"]) limits.push_back(p["name"].get<std::string>() + " " + std::to_string(p["max"].get<int>()));
  CHECK(limits == std::vector<std::string>{"rows 20000", "features 64", "classes 10"});
}

TEST_CASE("describe_data_json gives the shape and names or the error as a value") {
  json d = json::parse(describe_data_json(custom(kSmall).dump()));
  CHECK(d["data"]["inputDim"] == 2);
  CHECK(d["data"]["numClasses"] == 2);
  CHECK(d["data"]["classNames"] == json{"a", "b"});
  CHECK(d["data"]["featureNames"] == json{"x", "y"});
  CHECK(d["data"]["train"].get<int>() + d["data"]["test"].get<int>() == 5);
  json e = json::parse(describe_data_json(custom("x,y,c\n1,2,a\n3,?,b\n").dump()));
  CHECK(e["error"]["field"] == "data.csv");
  CHECK(has(e["error"]["message"].get<std::string>(), "row 3, column 2 (\"y\"): \"?\" is a missing value"));
  CHECK(json::parse(describe_data_json("\"moons\""))["data"]["is2d"] == true);
  CHECK(json::parse(describe_data_json("{"))["error"]["field"] == "data");
}
