#include <doctest/doctest.h>

#include <limits>

#include "initscope/params.hpp"

using namespace initscope;
using nlohmann::json;

namespace {
const double inf = std::numeric_limits<double>::infinity();
std::vector<ParamSpec> specs() {
  return {number_param("stddev", 0.05, 0, inf, "standard deviation", true),
          integer_param("units", 10, 1, 1024, "width"),
          choice_param("mode", {"fan_in", "fan_out"}, "fan_in", "which fan")};
}
}  // namespace

TEST_CASE("missing keys take their defaults") {
  Params p;
  REQUIRE_FALSE(parse_params(json::object(), specs(), "init", {}, p));
  CHECK(p.number("stddev") == 0.05);
  CHECK(p.number("units") == 10);
  CHECK(p.choice("mode") == "fan_in");
}

TEST_CASE("given values are read") {
  Params p;
  REQUIRE_FALSE(parse_params(json{{"stddev", 2}, {"mode", "fan_out"}, {"name", "x"}}, specs(),
                             "init", {"name"}, p));
  CHECK(p.number("stddev") == 2);
  CHECK(p.choice("mode") == "fan_out");
}

TEST_CASE("errors name the field path the value and what is allowed") {
  Params p;
  auto e = parse_params(json{{"stddev", 0}}, specs(), "layers[2].init", {}, p);
  REQUIRE(e);
  CHECK(e->field == "layers[2].init.stddev");
  CHECK(e->message == "layers[2].init.stddev: 0 is not allowed; expected a number > 0");

  e = parse_params(json{{"units", 2.5}}, specs(), "x", {}, p);
  REQUIRE(e);
  CHECK(e->message == "x.units: 2.5 is not allowed; expected an integer from 1 to 1024");

  e = parse_params(json{{"mode", "fan_avg"}}, specs(), "x", {}, p);
  REQUIRE(e);
  CHECK(e->message == "x.mode: \"fan_avg\" is not allowed; expected one of fan_in, fan_out");

  e = parse_params(json{{"mode", 3}}, specs(), "x", {}, p);
  REQUIRE(e);
  CHECK(e->field == "x.mode");

  e = parse_params(json{{"stdev", 1}}, specs(), "x", {"name"}, p);
  REQUIRE(e);
  CHECK(e->field == "x.stdev");
  CHECK(e->message == "x.stdev: unknown key; allowed keys here: name, stddev, units, mode");

  e = parse_params(json::array(), specs(), "x", {}, p);
  REQUIRE(e);
  CHECK(e->message == "x: [] is not allowed; expected an object");
}

TEST_CASE("schema rows carry type default and range") {
  json s = params_schema(specs());
  REQUIRE(s.size() == 3);
  CHECK(s[0]["type"] == "number");
  CHECK(s[0]["minExclusive"] == true);
  CHECK(s[0]["max"].is_null());
  CHECK(s[1]["type"] == "integer");
  CHECK(s[1]["max"] == 1024);
  CHECK(s[2]["choices"] == json{"fan_in", "fan_out"});
  CHECK(s[2]["default"] == "fan_in");
}

TEST_CASE("a required param without a value is an error naming it") {
  std::vector<ParamSpec> s = {number_param("val", 0, -1e30, 1e30, "fill value")};
  s[0].required = true;
  Params p;
  auto e = parse_params(json::object(), s, "init", {}, p);
  REQUIRE(e);
  CHECK(e->field == "init.val");
  CHECK(e->message == "init.val: is required; expected a number from -1e+30 to 1e+30");
  CHECK_FALSE(parse_params(json{{"val", 3}}, s, "init", {}, p));
  CHECK(p.number("val") == 3);
}

namespace {
NamedSpelling colours(std::string unknown_noun = "", std::string default_name = "") {
  return {{"red", "green"}, "a colour name or an object {\"name\": ...}", std::move(unknown_noun),
          std::move(default_name)};
}
}  // namespace

TEST_CASE("parse_named reads a bare name or an object's name and hands back the object") {
  std::string name;
  json params;
  REQUIRE_FALSE(parse_named(json("green"), "paint", colours(), name, params));
  CHECK(name == "green");
  CHECK(params == json::object());
  REQUIRE_FALSE(parse_named(json{{"name", "red"}, {"shade", 2}}, "paint", colours(), name, params));
  CHECK(name == "red");
  CHECK(params == json{{"name", "red"}, {"shade", 2}});
  REQUIRE_FALSE(parse_named(json{{"shade", 2}}, "paint", colours("", "green"), name, params));
  CHECK(name == "green");
}

TEST_CASE("parse_named errors name the bare name's path or the object's name path") {
  std::string name;
  json params;
  auto e = parse_named(json("blue"), "paint", colours(), name, params);
  REQUIRE(e);
  CHECK(e->message == "paint: \"blue\" is not allowed; expected one of red, green");
  e = parse_named(json{{"name", 3}}, "paint", colours(), name, params);
  REQUIRE(e);
  CHECK(e->message == "paint.name: 3 is not allowed; expected one of red, green");
  e = parse_named(json{{"shade", 2}}, "paint", colours(), name, params);
  REQUIRE(e);
  CHECK(e->message == "paint.name: is required; expected one of red, green");
  e = parse_named(json(7), "paint", colours(), name, params);
  REQUIRE(e);
  CHECK(e->message == "paint: 7 is not allowed; expected a colour name or an object {\"name\": ...}");
  e = parse_named(json{{"name", "blue"}}, "paint", colours("colour"), name, params);
  REQUIRE(e);
  CHECK(e->message == "paint.name: unknown colour \"blue\"; allowed: red, green");
  e = parse_named(json{{"name", 3}}, "paint", colours("colour"), name, params);
  REQUIRE(e);
  CHECK(e->message == "paint.name: 3 is not allowed; expected one of red, green");
}
