// mpp_micro: Google Benchmark timings of the client-side CPU work of one payment: keccak-256,
// secp256k1 signing and recovery, building and signing the charge transaction, parsing the 402's
// challenge and decoding its request, building the credential, and all of it in one pass as the pay
// flow runs it. No I/O is measured: no key file or KDF, no journal, no HTTP.
//
//   build-bench/bench/mpp_micro [--benchmark_min_time=0.2] [--benchmark_filter=REGEX]
//
// Every benchmark checks its result once before timing and skips itself, with the reason, when the
// result is wrong, so a broken build cannot report a fast nothing.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/address.h"
#include "crypto/keccak.h"
#include "crypto/secp256k1.h"
#include "mpp/challenge.h"
#include "mpp/charge_credential.h"
#include "mpp/charge_intent.h"
#include "mpp/charge_request.h"
#include "mpp/charge_transaction.h"
#include "mpp/credential.h"
#include "mpp/ledger.h"
#include "mpp/selection.h"
#include "tempo/chains.h"
#include "tempo/proof.h"
#include "tempo/transaction.h"
#include "util/base64url.h"
#include "util/bytes.h"
#include "util/hex.h"
#include "util/secret.h"

namespace mpp {
namespace {

// Anvil's and Hardhat's first account: a public test key, never a real one.
constexpr std::string_view kTestKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr std::string_view kTestPayer = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
constexpr std::string_view kRecipient = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
constexpr std::string_view kPathUsd = "0x20c0000000000000000000000000000000000000";
constexpr std::string_view kKeccakOfEmpty =
    "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";
// Pinned so the challenge never expires and validBefore is the same in every run.
constexpr std::int64_t kNow = 1'900'000'000;

// Skips the benchmark with `why` unless `ok`; returns `ok`. Called once, before timing.
bool Require(benchmark::State& state, bool ok, const char* why) {
  if (!ok) state.SkipWithError(why);
  return ok;
}

std::optional<crypto::PrivateKey> TestKey() {
  auto bytes = FromHex(kTestKey);
  if (!bytes) return std::nullopt;
  return crypto::PrivateKey::FromBytes(*bytes);
}

// A 402's WWW-Authenticate value shaped like mppx 0.11's tempo/charge challenge: 43-character id,
// request = base64url of the JSON a real server sends, RFC 3339 expiry.
std::string ChallengeHeader() {
  std::string request_json = R"({"amount":"1000","currency":")" + std::string(kPathUsd) +
                             R"(","recipient":")" + std::string(kRecipient) +
                             R"(","methodDetails":{"chainId":42431}})";
  return "Payment id=\"mzue8vStPwIkshHHRhKb9CakxkmYFCp2OS6Y1OTQ85A\", realm=\"api.example.com\", "
         "method=\"tempo\", intent=\"charge\", request=\"" +
         EncodeBase64Url(request_json) + "\", expires=\"2099-01-01T00:00:00Z\"";
}

// The policy `mpp chat` builds for testnet with no currency flags (as flow_test.cpp sets it up).
protocol::PayPolicy TestnetPolicy() {
  protocol::PayPolicy policy;
  policy.chain_id = tempo::kTestnetChainId;
  policy.max_amount = U256(100'000);
  for (const auto& token : tempo::FindChainById(tempo::kTestnetChainId)->tokens) {
    policy.known_currencies.push_back(tempo::TokenAddress(token));
  }
  return policy;
}

// The parsed challenge and its decoded request, for benchmarks that start after parsing.
struct ParsedCharge {
  protocol::Challenge challenge;
  protocol::ChargeRequest request;
};

std::optional<ParsedCharge> ParseTestCharge() {
  protocol::ChallengeList list = protocol::ParseChallenges(ChallengeHeader());
  if (list.challenges.size() != 1 || !list.rejected.empty()) return std::nullopt;
  auto request = protocol::DecodeChargeRequest(list.challenges[0].request);
  if (!request) return std::nullopt;
  return ParsedCharge{list.challenges[0], *request};
}

// True when `credential` is "Payment <base64url JSON>" whose source is the test payer on testnet.
bool IsTestPayerCredential(std::string_view credential) {
  constexpr std::string_view kScheme = "Payment ";
  if (credential.substr(0, kScheme.size()) != kScheme) return false;
  auto json = DecodeBase64Url(credential.substr(kScheme.size()));
  if (!json) return false;
  std::string text(json->begin(), json->end());
  return text.find("did:pkh:eip155:42431:" + std::string(kTestPayer)) != std::string::npos;
}

// keccak-256 ----------------------------------------------------------------------------------------

void BM_Keccak256(benchmark::State& state, std::size_t size) {
  if (!Require(state, ToHex(crypto::Keccak256Hash({})) == kKeccakOfEmpty, "keccak256(\"\") is wrong")) return;
  Bytes data(size);
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<std::uint8_t>(i * 131 + 7);
  for (auto _ : state) {
    Hash32 hash = crypto::Keccak256Hash(data);
    benchmark::DoNotOptimize(hash);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(size));
}
// 32 B takes one permutation; 136 B fills the rate block exactly, so the padding adds a second.
BENCHMARK_CAPTURE(BM_Keccak256, 32B, 32);
BENCHMARK_CAPTURE(BM_Keccak256, 136B_OneRateBlock, 136);
BENCHMARK_CAPTURE(BM_Keccak256, 4KiB, 4096);

// secp256k1 -----------------------------------------------------------------------------------------

void BM_Secp256k1SignHash(benchmark::State& state) {
  auto key = TestKey();
  if (!Require(state, key.has_value(), "the test key does not parse")) return;
  const Hash32 digest = crypto::Keccak256Hash(AsBytes("mpp benchmark digest"));
  auto recovered = crypto::RecoverPublicKey(digest, crypto::SignHash(digest, *key));
  if (!Require(state, recovered == key->GetPublicKey(), "the signature does not recover")) return;
  for (auto _ : state) {
    crypto::RecoverableSignature signature = crypto::SignHash(digest, *key);
    benchmark::DoNotOptimize(signature);
  }
}
BENCHMARK(BM_Secp256k1SignHash);

void BM_Secp256k1RecoverPublicKey(benchmark::State& state) {
  auto key = TestKey();
  if (!Require(state, key.has_value(), "the test key does not parse")) return;
  const Hash32 digest = crypto::Keccak256Hash(AsBytes("mpp benchmark digest"));
  const crypto::RecoverableSignature signature = crypto::SignHash(digest, *key);
  auto check = crypto::RecoverPublicKey(digest, signature);
  if (!Require(state, check == key->GetPublicKey(), "the signature does not recover")) return;
  for (auto _ : state) {
    auto recovered = crypto::RecoverPublicKey(digest, signature);
    benchmark::DoNotOptimize(recovered);
  }
}
BENCHMARK(BM_Secp256k1RecoverPublicKey);

// The flow derives the payer's address from the key on every payment (a scalar multiplication).
void BM_PayerAddressFromKey(benchmark::State& state) {
  auto key = TestKey();
  if (!Require(state, key.has_value(), "the test key does not parse")) return;
  bool right = crypto::Address::FromPublicKey(key->GetPublicKey()).ToChecksumHex() == kTestPayer;
  if (!Require(state, right, "the test key gives the wrong address")) return;
  for (auto _ : state) {
    crypto::Address payer = crypto::Address::FromPublicKey(key->GetPublicKey());
    benchmark::DoNotOptimize(payer);
  }
}
BENCHMARK(BM_PayerAddressFromKey);

// Transaction build -----------------------------------------------------------------------------------

// Build + unsigned RLP: the encoding cost without any hashing or signing.
void BM_ChargeTxBuildUnsigned(benchmark::State& state) {
  auto parsed = ParseTestCharge();
  if (!Require(state, parsed.has_value(), "the test challenge does not parse")) return;
  const protocol::FeeValues fees;
  Bytes check = tempo::UnsignedSerialization(
      protocol::BuildChargeTransaction(parsed->challenge, parsed->request, fees, kNow));
  if (!Require(state, !check.empty() && check[0] == tempo::kTempoTxType, "not a 0x76 transaction")) return;
  for (auto _ : state) {
    tempo::TempoTransaction tx =
        protocol::BuildChargeTransaction(parsed->challenge, parsed->request, fees, kNow);
    Bytes unsigned_raw = tempo::UnsignedSerialization(tx);
    benchmark::DoNotOptimize(unsigned_raw.data());
  }
}
BENCHMARK(BM_ChargeTxBuildUnsigned);

// Build + the hash the sender signs: the signed path minus the ECDSA and the final RLP.
void BM_ChargeTxBuildSigningHash(benchmark::State& state) {
  auto parsed = ParseTestCharge();
  if (!Require(state, parsed.has_value(), "the test challenge does not parse")) return;
  const protocol::FeeValues fees;
  Hash32 check = tempo::SenderSigningHash(
      protocol::BuildChargeTransaction(parsed->challenge, parsed->request, fees, kNow));
  if (!Require(state, check != Hash32{}, "the signing hash is zero")) return;
  for (auto _ : state) {
    tempo::TempoTransaction tx =
        protocol::BuildChargeTransaction(parsed->challenge, parsed->request, fees, kNow);
    Hash32 hash = tempo::SenderSigningHash(tx);
    benchmark::DoNotOptimize(hash);
  }
}
BENCHMARK(BM_ChargeTxBuildSigningHash);

// Parsed challenge -> signed raw transaction: build, SignAsSender, SignedRaw.
void BM_ChargeTxBuildSignRaw(benchmark::State& state) {
  auto parsed = ParseTestCharge();
  auto key = TestKey();
  if (!Require(state, parsed && key, "the test challenge or key does not parse")) return;
  const protocol::FeeValues fees;
  tempo::TempoTransaction signed_tx =
      protocol::BuildChargeTransaction(parsed->challenge, parsed->request, fees, kNow);
  tempo::SignAsSender(signed_tx, *key);
  auto decoded = tempo::DecodeSignedTransaction(tempo::SignedRaw(signed_tx));
  bool right = decoded && decoded->sender.ToChecksumHex() == kTestPayer;
  if (!Require(state, right, "the signed transaction does not decode to the test payer")) return;
  for (auto _ : state) {
    tempo::TempoTransaction tx =
        protocol::BuildChargeTransaction(parsed->challenge, parsed->request, fees, kNow);
    tempo::SignAsSender(tx, *key);
    Bytes raw = tempo::SignedRaw(tx);
    benchmark::DoNotOptimize(raw.data());
  }
}
BENCHMARK(BM_ChargeTxBuildSignRaw);

// Challenge parse -------------------------------------------------------------------------------------

void BM_ParseChallenges(benchmark::State& state) {
  const std::string header = ChallengeHeader();
  protocol::ChallengeList check = protocol::ParseChallenges(header);
  bool right =
      check.challenges.size() == 1 && check.rejected.empty() && check.challenges[0].method == "tempo";
  if (!Require(state, right, "the test challenge does not parse")) return;
  for (auto _ : state) {
    protocol::ChallengeList list = protocol::ParseChallenges(header);
    benchmark::DoNotOptimize(list.challenges.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(header.size()));
}
BENCHMARK(BM_ParseChallenges);

void BM_DecodeChargeRequest(benchmark::State& state) {
  auto parsed = ParseTestCharge();
  bool right =
      parsed && parsed->request.amount == U256(1000) && parsed->request.chain_id == tempo::kTestnetChainId;
  if (!Require(state, right, "the test request does not decode")) return;
  const std::string request = parsed->challenge.request;
  for (auto _ : state) {
    auto decoded = protocol::DecodeChargeRequest(request);
    benchmark::DoNotOptimize(decoded);
  }
}
BENCHMARK(BM_DecodeChargeRequest);

// Credential ------------------------------------------------------------------------------------------

void BM_BuildCredential(benchmark::State& state) {
  auto parsed = ParseTestCharge();
  auto key = TestKey();
  if (!Require(state, parsed && key, "the test challenge or key does not parse")) return;
  tempo::TempoTransaction tx =
      protocol::BuildChargeTransaction(parsed->challenge, parsed->request, protocol::FeeValues{}, kNow);
  tempo::SignAsSender(tx, *key);
  const protocol::ChargePayload payload{protocol::ChargePayload::Type::kTransaction,
                                        ToHex(tempo::SignedRaw(tx))};
  const std::string source =
      tempo::DidPkh(parsed->request.chain_id, crypto::Address::FromPublicKey(key->GetPublicKey()));
  auto check = protocol::BuildChargeCredential(parsed->challenge, payload, source);
  if (!Require(state, check && IsTestPayerCredential(*check), "the credential does not build")) return;
  for (auto _ : state) {
    auto credential = protocol::BuildChargeCredential(parsed->challenge, payload, source);
    benchmark::DoNotOptimize(credential);
  }
}
BENCHMARK(BM_BuildCredential);

// One payment, end to end -----------------------------------------------------------------------------

// What PayFlow::Perform computes between the 402 and the paid retry, for a self-paid pull charge with
// no RPC: parse, evaluate, choose, then the charge intent's Prepare (derive the payer, quote the
// default fees, check the cost, build the draft and the final transaction, sign, serialize, hash) and
// the credential. Left out: reading the key (keystore KDF), the journal write and HTTP.
std::optional<SecretString> PayOnce(std::string_view header, const protocol::PayPolicy& policy,
                                    const crypto::PrivateKey& key) {
  std::vector<std::string_view> values{header};
  protocol::ChallengeList parsed = protocol::ParseChallenges(values);
  std::vector<protocol::ChallengeVerdict> verdicts =
      protocol::EvaluateChallenges(parsed.challenges, policy, kNow);
  const protocol::ChallengeVerdict* chosen = protocol::ChooseChallenge(verdicts, policy);
  if (chosen == nullptr || !chosen->charge || chosen->charge->mode != protocol::PayMode::kPull)
    return std::nullopt;
  std::string header_name = protocol::CredentialHeaderName(chosen->challenge);
  protocol::KeySource keys = [&key]() -> Result<crypto::PrivateKey> { return key; };
  protocol::FlowSettings settings{policy, "", [] { return kNow; }};
  protocol::IntentContext context{nullptr, keys, settings};
  protocol::ChargeIntent charge;
  net::HttpRequest request;
  request.url = "https://api.example.com/v1/chat/completions";
  auto prepared = charge.Prepare(*chosen, request, context);
  if (!prepared) return std::nullopt;
  auto credential = (*prepared)->Credential();
  if (!credential) return std::nullopt;
  benchmark::DoNotOptimize(header_name);
  benchmark::DoNotOptimize((*prepared)->record);
  return std::move(*credential);
}

void BM_PaymentClientSide(benchmark::State& state) {
  const std::string header = ChallengeHeader();
  const protocol::PayPolicy policy = TestnetPolicy();
  auto key = TestKey();
  if (!Require(state, key.has_value(), "the test key does not parse")) return;
  auto check = PayOnce(header, policy, *key);
  if (!Require(state, check && IsTestPayerCredential(check->str()), "the payment does not go through"))
    return;
  for (auto _ : state) {
    auto credential = PayOnce(header, policy, *key);
    benchmark::DoNotOptimize(credential);
  }
}
BENCHMARK(BM_PaymentClientSide);

}  // namespace
}  // namespace mpp

BENCHMARK_MAIN();
