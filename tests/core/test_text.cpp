#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "initscope/text.hpp"

using namespace initscope;
using nlohmann::json;

namespace {
// One character of each UTF-8 length: é (2 bytes), € (3), 𝄞 (4), 😀 (4, an emoji).
const std::vector<std::string> kChars = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E",
                                         "\xF0\x9F\x98\x80"};
}  // namespace

TEST_CASE("utf8_prefix and cut_text never end inside a character") {
  for (const auto& ch : kChars) {
    for (std::size_t before = 50; before <= 62; ++before) {
      const std::string text = std::string(before, 'a') + ch + ch + "aaaa";
      for (std::size_t max = 0; max <= text.size() + 1; ++max) {
        const std::string prefix = utf8_prefix(text, max);
        CHECK(prefix.size() <= max);
        CHECK(text.compare(0, prefix.size(), prefix) == 0);
        CHECK(valid_utf8(prefix) == prefix);
        // Only the partial character is dropped.
        CHECK(max - prefix.size() < ch.size());
      }
      const std::string cut = cut_text(text);
      CHECK(cut.size() <= kShownBytes);
      CHECK(valid_utf8(cut) == cut);
      if (text.size() <= kShownBytes) {
        CHECK(cut == text);
      } else {
        CHECK(cut.substr(cut.size() - 3) == "...");
        CHECK(text.compare(0, cut.size() - 3, cut.substr(0, cut.size() - 3)) == 0);
      }
    }
  }
  CHECK(cut_text("short") == "short");
  CHECK(cut_text(std::string(60, 'x')) == std::string(60, 'x'));
  CHECK(cut_text(std::string(61, 'x')) == std::string(57, 'x') + "...");
}

TEST_CASE("valid_utf8 keeps valid text and replaces each ill-formed sequence once") {
  const std::string fffd = "\xEF\xBF\xBD";
  for (const auto& ch : kChars) CHECK(valid_utf8("a" + ch + "b") == "a" + ch + "b");
  CHECK(valid_utf8("") == "");
  CHECK(valid_utf8("caf\xC3") == "caf" + fffd);                 // cut in the middle
  CHECK(valid_utf8("\x80x") == fffd + "x");                     // a lone continuation byte
  CHECK(valid_utf8("\xC0\x80") == fffd + fffd);                 // overlong
  CHECK(valid_utf8("\xED\xA0\x80") == fffd + fffd + fffd);      // a surrogate, as JS encodes a lone one
  CHECK(valid_utf8("\xF4\x90\x80\x80") == fffd + fffd + fffd + fffd);  // past U+10FFFF
  CHECK(valid_utf8("\xE2\x82x") == fffd + "x");                 // a truncated € is one replacement
  CHECK(valid_utf8("\xFF") == fffd);
}

TEST_CASE("json_text writes ill-formed text as U+FFFD instead of throwing") {
  const json value = {{"message", std::string("bad \xC3 byte")}, {"n", 1}};
  std::string text;
  CHECK_NOTHROW(text = json_text(value));
  CHECK(text == "{\"message\":\"bad \xEF\xBF\xBD byte\",\"n\":1}");
  CHECK(json_text(json("\xE2\x82\xAC")) == "\"\xE2\x82\xAC\"");
}
