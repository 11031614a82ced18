// What the data tests share: a data set made from a config's "data" value (the test fails
// on a refusal) and the refusal of one, as "field | message".
#pragma once
#include <doctest/doctest.h>

#include <string>

#include "initscope/data.hpp"

namespace data_test {

inline initscope::Dataset make(const nlohmann::json& config) {
  initscope::DataConfig c;
  auto e = initscope::parse_data_config(config, "data", c);
  REQUIRE_MESSAGE(!e, (e ? e->message : ""));
  initscope::Dataset d;
  e = initscope::make_dataset(c, d);
  REQUIRE_MESSAGE(!e, (e ? e->message : ""));
  return d;
}

// "field | message" of the refusal, or "no error".
inline std::string parse_error(const nlohmann::json& config) {
  initscope::DataConfig c;
  auto e = initscope::parse_data_config(config, "data", c);
  return e ? e->field + " | " + e->message : "no error";
}

}  // namespace data_test
