// JSON text from outside the engine (a config, an activation): its size and nesting are
// bounded before it is parsed, and a parse error names the field where the text went wrong.
// Everything the engine does with a parsed value afterwards (printing it in a message,
// copying it) may recurse, so nothing deeper than kMaxNesting gets that far.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "initscope/error.hpp"

namespace initscope {

// Levels of arrays and objects JSON input may nest, the outermost value being level 1.
// A config needs 4 ({"layers": [{"init": {...}}]}); lab.schema().config.nesting.max.
constexpr int kMaxNesting = 32;
// Bytes of UTF-8 JSON input may take: a config needs a few KB (65 layers with their own
// initializers: about 20 KB), and a custom data set's CSV of the most rows and columns must
// fit (data_csv.cpp checks that it does); the parsed value takes several times its text in
// memory, and a module out of memory aborts. lab.schema().config.inputBytes.max.
constexpr int kMaxInputBytes = 40 * 1024 * 1024;
// Values (numbers, strings, arrays, objects) the text may hold: what bounds the memory of
// the parsed value (a long string is one value); a config of 65 layers, each with its own
// initializer, holds a few thousand. lab.schema().config.values.max.
constexpr int kMaxValues = 65536;

// Parses `text` into `out`. `root` is the field path of the whole text ("" for a config,
// "activation") and `noun` what it is in messages ("the config"). Errors: text longer than
// kMaxInputBytes (field: root; message: its size), nesting deeper
// than kMaxNesting (field: the member of the outermost object that holds the deep value,
// "" when the outermost value is an array; message: the depth found), a number JSON cannot hold (1e309; field: its path), text that
// is not JSON (field: the path being read where it fails; message: line, column, why).
Status parse_json_input(const std::string& text, const std::string& root, const std::string& noun,
                        nlohmann::json& out);

}  // namespace initscope
