// Shared access to tests/data/tempo-transactions.json for the crypto and tempo unit tests.
#pragma once

#include <rapidjson/document.h>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "util/bytes.h"
#include "util/hex.h"

namespace mpp::testing {

// The parsed vectors file; a test fails loudly (empty document) if it is missing.
inline const rapidjson::Document& Vectors() {
  static const rapidjson::Document doc = [] {
    std::ifstream in(std::string(MPP_TEST_DATA_DIR) + "/tempo-transactions.json");
    std::stringstream text;
    text << in.rdbuf();
    rapidjson::Document d;
    d.Parse(text.str().c_str());
    return d;
  }();
  return doc;
}

inline std::string Str(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Decodes hex that the vectors file guarantees to be valid.
inline Bytes HexBytes(std::string_view text) { return FromHex(text).value(); }

}  // namespace mpp::testing
