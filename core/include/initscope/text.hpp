// Text that leaves the engine: values shown in messages, and JSON written for the JS API.
// Cuts fall on a character boundary and JSON is written without throwing: the wasm build
// has no exception catching, so a throw would reach JS as a bare number and leak.
#pragma once
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "initscope/error.hpp"

namespace initscope {

// How much of a value a message shows, in bytes of UTF-8 ("..." included).
constexpr std::size_t kShownBytes = 60;

// The longest prefix of `text` of at most `max_bytes` bytes that does not end inside a
// UTF-8 character.
std::string utf8_prefix(const std::string& text, std::size_t max_bytes);

// `text` if it fits in `max_bytes`, else a prefix cut at a character boundary and "...",
// `max_bytes` in all. The one place text is shortened.
std::string cut_text(const std::string& text, std::size_t max_bytes = kShownBytes);

// `text` with every ill-formed UTF-8 sequence replaced by U+FFFD (input that never was
// valid text: raw bytes, or a lone surrogate that JS encoded).
std::string valid_utf8(const std::string& text);

// value.dump(), with ill-formed UTF-8 replaced instead of thrown. Every JSON the engine
// writes goes through here.
std::string json_text(const nlohmann::json& value);
// An error as the JS side reads it: {"error": {"field", "message"}}.
std::string error_json(const Error& e);

}  // namespace initscope
