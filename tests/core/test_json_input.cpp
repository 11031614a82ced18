#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "initscope/json_input.hpp"
#include "initscope/text.hpp"

using namespace initscope;
using nlohmann::json;

namespace {

Error input_error(const std::string& text, const std::string& root = "") {
  json value;
  auto e = parse_json_input(text, root, root.empty() ? "the config" : "the " + root, value);
  REQUIRE_MESSAGE(e.has_value(), text.substr(0, 200));
  CHECK(value.is_null());
  CHECK(valid_utf8(e->message) == e->message);
  CHECK(valid_utf8(e->field) == e->field);
  return *e;
}

std::string nested(std::size_t levels, const std::string& inner = "") {
  return std::string(levels, '[') + inner + std::string(levels, ']');
}

}  // namespace

TEST_CASE("nesting up to the limit parses and one level more is refused with the depth found") {
  json value;
  // The config object is level 1.
  CHECK_FALSE(parse_json_input("{\"seed\":" + nested(kMaxNesting - 1) + "}", "", "the config", value));
  CHECK(value["seed"].is_array());
  Error e = input_error("{\"seed\":" + nested(kMaxNesting) + "}");
  CHECK(e.field == "seed");
  CHECK(e.message == "seed: the config nests arrays and objects 33 levels deep; at most 32 levels are allowed");
}

TEST_CASE("deep nesting anywhere names the top-level member that holds it") {
  struct Place {
    std::string text;
    std::string field;
  };
  for (std::size_t depth : {33u, 100u, 10000u, 100000u}) {
    const std::string deep = nested(depth);
    const std::string objects = [&] {
      std::string s;
      for (std::size_t i = 0; i < depth; ++i) s += "{\"a\":";
      return s + "1" + std::string(depth, '}');
    }();
    const std::vector<Place> places = {
        {deep, ""},                                                        // the text itself
        {"{\"seed\":" + deep + "}", "seed"},                               // a number's place
        {"{\"data\":" + objects + "}", "data"},                            // objects in objects
        {"{\"seed\":1,\"layers\":[{\"units\":4},{\"units\":" + deep + "}]}", "layers"},  // in a layer
        {"{\"init\":{\"name\":\"constant\",\"value\":" + deep + "}}", "init"},  // a param value
        {"{\"layers\":" + deep + "}", "layers"},                           // an array of arrays
        {"{\"k\\\"e{y\":" + deep + "}", "k\"e{y"},                          // a key with quotes and brackets
    };
    for (const auto& place : places) {
      Error e = input_error(place.text);
      CHECK(e.field == place.field);
      CHECK(e.message.find("nests arrays and objects") != std::string::npos);
      CHECK(e.message.find("at most 32 levels are allowed") != std::string::npos);
    }
  }
  Error e = input_error("{\"seed\":" + nested(10000) + "}");
  CHECK(e.message == "seed: the config nests arrays and objects 10001 levels deep; at most 32 levels are allowed");
  e = input_error(nested(500));
  CHECK(e.message == "the config nests arrays and objects 500 levels deep; at most 32 levels are allowed");
  e = input_error("{\"name\":\"relu\",\"alpha\":" + nested(40) + "}", "activation");
  CHECK(e.field == "activation.alpha");
  CHECK(e.message == "activation.alpha: the activation nests arrays and objects 41 levels deep; at most 32 levels are allowed");
}

TEST_CASE("brackets inside strings do not count as nesting") {
  json value;
  const std::string text = "{\"data\":\"" + std::string(5000, '[') + "\\\"" + std::string(5000, '{') + "\"}";
  CHECK_FALSE(parse_json_input(text, "", "the config", value));
  CHECK(value["data"].get<std::string>().size() == 10001);
}

TEST_CASE("numbers JSON cannot hold name their field and show the number as written") {
  const std::string nines(400, '9');
  for (const std::string& number : {std::string("1e309"), std::string("-1e309"), nines, "-" + nines,
                                    std::string("1.5e99999")}) {
    Error e = input_error("{\"optimizer\":{\"name\":\"sgd\",\"lr\":" + number + "}}");
    CHECK(e.field == "optimizer.lr");
    CHECK(e.message.find("optimizer.lr: " + cut_text(number) + " is not allowed; expected a finite number") == 0);
    e = input_error("{\"layers\":[{\"units\":4},{\"units\":2,\"init\":[1," + number + "]}]}");
    CHECK(e.field == "layers[1].init[1]");
  }
  json value;
  CHECK_FALSE(parse_json_input("{\"x\":1e-400,\"y\":1e308}", "", "the config", value));
  CHECK(value["x"] == 0.0);
}

TEST_CASE("text that is not JSON names the field being read, the line and the column") {
  Error e = input_error("");
  CHECK(e.field == "");
  CHECK(e.message.find("the config is not valid JSON at line 1, column ") == 0);
  e = input_error("{\"seed\": ");
  CHECK(e.field == "seed");
  CHECK(e.message.find("seed: not valid JSON at line 1, column 10: ") == 0);
  e = input_error("{\"optimizer\": {\"lr\": NaN}}");
  CHECK(e.field == "optimizer.lr");
  e = input_error("{\"seed\": Infinity}");
  CHECK(e.field == "seed");
  e = input_error("{\"layers\": [{}, {}, x]}");
  CHECK(e.field == "layers[2]");
  e = input_error("{\"seed\": 1, oops}");
  CHECK(e.field == "");
  e = input_error("{\"seed\": 1}\n{", "");
  CHECK(e.message.find("at line 2") != std::string::npos);
  e = input_error("{\"name\": \"relu\", \"alpha\": }", "activation");
  CHECK(e.field == "activation.alpha");
}

TEST_CASE("ill-formed UTF-8 and lone surrogates are refused with a message that is valid text") {
  for (const std::string& bad : {std::string("caf\xC3"), std::string("\xED\xA0\x80"), std::string("\xFF\xFE"),
                                 std::string("\\ud800"), std::string("\\udc00x")}) {
    Error e = input_error("{\"data\": \"" + bad + "\"}");
    CHECK(e.field == "data");
    CHECK(e.message.find("data: not valid JSON") == 0);
  }
}

TEST_CASE("a byte-order mark before the config is skipped") {
  json value;
  CHECK_FALSE(parse_json_input("\xEF\xBB\xBF{\"seed\": 2}", "", "the config", value));
  CHECK(value["seed"] == 2);
}

TEST_CASE("text of more values than the limit is refused before it is parsed") {
  json value;
  std::string fits = "[", over = "[";
  for (int i = 0; i < kMaxValues - 2; ++i) fits += "0,";
  fits += "0]";  // the array and kMaxValues - 1 numbers
  CHECK_FALSE(parse_json_input(fits, "", "the config", value));
  for (int i = 0; i < kMaxValues; ++i) over += "{},";
  over += "{}]";
  Error e = input_error(over);
  CHECK(e.field == "");
  CHECK(e.message == "the config holds more than " + std::to_string(kMaxValues) +
                         " values (numbers, strings, arrays, objects); at most " +
                         std::to_string(kMaxValues) + " are allowed");
  // A long string is one value, whatever its length.
  CHECK_FALSE(parse_json_input("{\"data\": {\"csv\": \"" + std::string(1 << 20, ',') + "\"}}", "", "the config", value));
}

TEST_CASE("text longer than the input limit is refused by its size before it is read") {
  json value;
  const std::string prefix = "{\"data\": \"", suffix = "\"}";
  const std::size_t room = kMaxInputBytes - prefix.size() - suffix.size();
  CHECK_FALSE(parse_json_input(prefix + std::string(room, 'x') + suffix, "", "the config", value));
  Error e = input_error(prefix + std::string(room + 1, 'x') + suffix);
  CHECK(e.field == "");
  CHECK(e.message == "the config is " + std::to_string(kMaxInputBytes + 1) + " bytes long; at most " +
                         std::to_string(kMaxInputBytes) + " bytes are allowed");
  e = input_error(std::string(kMaxInputBytes + 1, '['), "activation");
  CHECK(e.field == "activation");
  CHECK(e.message.find("activation: the activation is ") == 0);
}
