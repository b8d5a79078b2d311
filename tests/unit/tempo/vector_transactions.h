// Builds TempoTransaction values from the "transactions" entries of the vectors file.
#pragma once

#include <string>

#include "../crypto/vectors.h"
#include "tempo/transaction.h"

namespace mpp::testing {

inline U256 Decimal(const rapidjson::Value& v) {
  return v.IsString() ? U256::FromDecimal(Str(v)).value() : U256(v.GetUint64());
}

inline crypto::Address Addr(const rapidjson::Value& v) { return crypto::Address::Parse(Str(v)).value(); }

inline crypto::PrivateKey KeyFrom(const rapidjson::Value& v) {
  return crypto::PrivateKey::FromBytes(HexBytes(Str(v))).value();
}

inline bool IsSponsored(const rapidjson::Value& vector) { return Str(vector["kind"]) == "sponsored"; }

// The vector's transaction as the sender builds it, before signing.
inline tempo::TempoTransaction TransactionFrom(const rapidjson::Value& vector) {
  const rapidjson::Value& t = vector["tx"];
  tempo::TempoTransaction tx;
  tx.chain_id = t["chainId"].GetUint64();
  tx.max_priority_fee_per_gas = Decimal(t["maxPriorityFeePerGas"]);
  tx.max_fee_per_gas = Decimal(t["maxFeePerGas"]);
  tx.gas_limit = t["gasLimit"].GetUint64();
  for (const auto& c : t["calls"].GetArray()) {
    tx.calls.push_back(tempo::Call{Addr(c["to"]), Decimal(c["value"]), HexBytes(Str(c["input"]))});
  }
  tx.nonce_key = U256::FromHexQuantity(Str(t["nonceKey"])).value();
  tx.nonce = t["nonce"].GetUint64();
  if (!t["validBefore"].IsNull()) tx.valid_before = t["validBefore"].GetUint64();
  if (!t["validAfter"].IsNull()) tx.valid_after = t["validAfter"].GetUint64();
  if (!t["feeToken"].IsNull()) tx.fee_token = Addr(t["feeToken"]);
  tx.fee_payer_requested = IsSponsored(vector);
  return tx;
}

inline std::string Expect(const rapidjson::Value& vector, const char* field) {
  return Str(vector["expect"][field]);
}

}  // namespace mpp::testing
