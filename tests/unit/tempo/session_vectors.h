// Shared access to tests/data/session-vouchers.json (TIP-1034 session vectors) for the tempo and mpp
// unit tests.
#pragma once

#include <rapidjson/document.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "crypto/address.h"
#include "crypto/secp256k1.h"
#include "tempo/channel.h"
#include "util/bytes.h"
#include "util/hex.h"
#include "util/u256.h"

namespace mpp::testing {

// The parsed vectors file; tests fail loudly (an empty document) if it is missing.
inline const rapidjson::Document& SessionVectors() {
  static const rapidjson::Document doc = [] {
    std::ifstream in(std::string(MPP_TEST_DATA_DIR) + "/session-vouchers.json");
    std::stringstream text;
    text << in.rdbuf();
    rapidjson::Document d;
    d.Parse(text.str().c_str());
    return d;
  }();
  return doc;
}

inline std::string SText(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }
inline Bytes SBytes(const rapidjson::Value& v) { return FromHex(SText(v)).value(); }
inline Hash32 SHash(const rapidjson::Value& v) {
  Bytes b = SBytes(v);
  Hash32 out{};
  std::copy(b.begin(), b.end(), out.begin());
  return out;
}
inline crypto::Address SAddress(const rapidjson::Value& v) {
  return crypto::Address::Parse(SText(v)).value();
}
inline U256 SAmount(const rapidjson::Value& v) {
  return v.IsString() ? U256::FromDecimal(SText(v)).value() : U256(v.GetUint64());
}

inline tempo::ChannelDescriptor SDescriptor(const rapidjson::Value& d) {
  return {SAddress(d["payer"]),         SAddress(d["payee"]), SAddress(d["operator"]),
          SAddress(d["token"]),         SHash(d["salt"]),     SAddress(d["authorizedSigner"]),
          SHash(d["expiringNonceHash"])};
}

// The throwaway payer key of the vectors (its address is inputs.address).
inline crypto::PrivateKey SessionPayerKey() {
  return crypto::PrivateKey::FromBytes(SBytes(SessionVectors()["inputs"]["privateKey"])).value();
}

}  // namespace mpp::testing
