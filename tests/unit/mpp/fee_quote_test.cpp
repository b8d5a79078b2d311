#include "mpp/fee_quote.h"

#include <gtest/gtest.h>

#include <deque>

#include "tempo/chains.h"
#include "util/hex.h"

namespace mpp::protocol {
namespace {

const crypto::Address kPathUsdToken = *crypto::Address::Parse("0x20c0000000000000000000000000000000000000");
const crypto::Address kPayerAddress = *crypto::Address::Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");

// Answers each JSON-RPC request with the next canned body and keeps the requests.
class CannedRpcTransport : public net::HttpTransport {
 public:
  std::deque<std::string> bodies;
  std::vector<net::HttpRequest> requests;
  Result<net::HttpResponse> Perform(const net::HttpRequest& request, const net::BodySink*,
                                    net::TransportFailure*) override {
    requests.push_back(request);
    if (bodies.empty()) return MakeError(ErrorKind::kNetwork, "connection refused");
    net::HttpResponse response;
    response.status = 200;
    response.body = bodies.front();
    bodies.pop_front();
    return response;
  }
};

tempo::TempoTransaction FeeDraft() {
  tempo::TempoTransaction tx;
  tx.calls.push_back({kPathUsdToken, U256(0), Bytes{0x95, 0x77, 0x7d, 0x59}});
  return tx;
}

std::string BalanceWord(std::uint64_t value) {
  auto word = U256(value).ToBigEndian32();
  return ToHex(ByteView(word.data(), word.size()));
}

// Answers for ids 1..5: chain id, block, balance, estimate, gas price.
std::string SelfPaidAnswers(const std::string& chain, std::uint64_t balance, const std::string& estimate,
                            const std::string& price) {
  return R"([{"jsonrpc":"2.0","id":1,"result":")" + chain +
         R"("},{"jsonrpc":"2.0","id":2,"result":"0x2a"},)" + R"({"jsonrpc":"2.0","id":3,"result":")" +
         BalanceWord(balance) + R"("},)" + R"({"jsonrpc":"2.0","id":4,"result":")" + estimate +
         R"("},{"jsonrpc":"2.0","id":5,"result":")" + price + R"("}])";
}

PayPolicy FeePolicy(std::uint64_t max_amount, std::uint64_t max_fee = kDefaultMaxFee) {
  PayPolicy policy;
  policy.chain_id = tempo::kTestnetChainId;
  policy.max_amount = U256(max_amount);
  policy.max_fee = U256(max_fee);
  return policy;
}

CostContext FeeContext(std::uint64_t amount) {
  return {U256(amount), kPathUsdToken, tempo::kTestnetChainId, kPayerAddress, "http://rpc.example"};
}

TEST(MaxFeeInToken, IsGasLimitTimesMaxFeeInSixDecimalUnitsRoundedUp) {
  EXPECT_EQ(MaxFeeInToken({105'000, U256(20'000'000'000), U256(1)}), U256(2100));
  EXPECT_EQ(MaxFeeInToken({1'000'000, U256(41'000'000'000), U256(1)}), U256(41'000));  // the defaults
  EXPECT_EQ(MaxFeeInToken({1, U256(1), U256(1)}), U256(1));  // a fraction of a base unit costs one
  // An overflowing product saturates: an absurd fee, never a small wrapped-around one.
  EXPECT_EQ(MaxFeeInToken({UINT64_MAX, U256::Max(), U256(1)}),
            U256::SaturatingAdd(U256::Max().DivSmall(1'000'000'000'000, nullptr), U256(1)));
}

TEST(QuoteFees, AsksChainHeadBalanceEstimateAndPriceInOneBatch) {
  CannedRpcTransport transport;
  transport.bodies.push_back(SelfPaidAnswers("0xa5bf", 5'000'000, "0x186a0", "0x4a817c800"));
  tempo::RpcClient rpc("http://rpc.example", transport);
  auto quote = QuoteFees(&rpc, tempo::kTestnetChainId, kPayerAddress, kPathUsdToken, FeeDraft(), true);
  ASSERT_TRUE(quote.ok()) << quote.error().message;
  ASSERT_EQ(transport.requests.size(), 1u);
  const std::string& body = transport.requests[0].body;
  for (const char* method :
       {"eth_chainId", "eth_blockNumber", "eth_call", "eth_estimateGas", "eth_gasPrice"}) {
    EXPECT_NE(body.find(method), std::string::npos) << method;
  }
  EXPECT_NE(body.find("0x70a08231000000000000000000000000f39fd6e51aad88f6f4ce6ab8827279cfffb92266"),
            std::string::npos);
  EXPECT_EQ(quote->values.gas_limit, 105'000u);
  EXPECT_EQ(quote->max_fee, U256(2100));
  EXPECT_EQ(quote->balance, U256(5'000'000));
  EXPECT_EQ(quote->block, 42u);
  EXPECT_TRUE(quote->gas_from_rpc && quote->price_from_rpc);
}

TEST(QuoteFees, ASponsoredChargeAsksNoGasAndCostsNoFee) {
  CannedRpcTransport transport;
  transport.bodies.push_back(
      R"([{"jsonrpc":"2.0","id":1,"result":"0xa5bf"},{"jsonrpc":"2.0","id":2,"result":"0x1"},)"
      R"({"jsonrpc":"2.0","id":3,"result":")" +
      BalanceWord(7) + R"("}])");
  tempo::RpcClient rpc("http://rpc.example", transport);
  auto quote = QuoteFees(&rpc, tempo::kTestnetChainId, kPayerAddress, kPathUsdToken, FeeDraft(), false);
  ASSERT_TRUE(quote.ok()) << quote.error().message;
  EXPECT_EQ(transport.requests[0].body.find("eth_estimateGas"), std::string::npos);
  EXPECT_TRUE(quote->max_fee.IsZero());
  EXPECT_EQ(quote->balance, U256(7));
}

TEST(QuoteFees, AnAbsurdEstimateSaturatesInsteadOfFallingBackToDefaults) {
  CannedRpcTransport transport;
  transport.bodies.push_back(SelfPaidAnswers("0xa5bf", 1, "0xffffffffffffffffffff", "0x1"));
  tempo::RpcClient rpc("http://rpc.example", transport);
  auto quote = QuoteFees(&rpc, tempo::kTestnetChainId, kPayerAddress, kPathUsdToken, FeeDraft(), true);
  ASSERT_TRUE(quote.ok());
  EXPECT_EQ(quote->values.gas_limit, UINT64_MAX);
  EXPECT_FALSE(CheckCost(*quote, FeeContext(1), FeePolicy(UINT64_MAX)).ok());
}

TEST(QuoteFees, NoAnswerMeansDefaultsAndAnUnknownBalance) {
  CannedRpcTransport transport;  // nothing canned: connection refused
  tempo::RpcClient rpc("http://rpc.example", transport);
  auto quote = QuoteFees(&rpc, tempo::kTestnetChainId, kPayerAddress, kPathUsdToken, FeeDraft(), true);
  ASSERT_TRUE(quote.ok());
  EXPECT_EQ(quote->max_fee, U256(41'000));
  EXPECT_FALSE(quote->balance);
  EXPECT_FALSE(quote->gas_from_rpc || quote->price_from_rpc);
}

TEST(QuoteFees, AnRpcOnAnotherChainIsRefusedLocally) {
  CannedRpcTransport transport;
  transport.bodies.push_back(SelfPaidAnswers("0x1079", 1, "0x1", "0x1"));
  tempo::RpcClient rpc("http://rpc.example", transport);
  auto quote = QuoteFees(&rpc, tempo::kTestnetChainId, kPayerAddress, kPathUsdToken, FeeDraft(), true);
  ASSERT_FALSE(quote.ok());
  EXPECT_EQ(quote.error().kind, ErrorKind::kPaymentRefusedLocally);
}

FeeQuote QuotedFee(std::uint64_t fee, std::optional<std::uint64_t> balance) {
  FeeQuote quote;
  quote.max_fee = U256(fee);
  quote.gas_from_rpc = quote.price_from_rpc = true;
  if (balance) quote.balance = U256(*balance);
  return quote;
}

TEST(CheckCost, AFeeAboveTheCeilingIsRefusedNamingTheRpc) {
  auto status = CheckCost(QuotedFee(60'000, 10'000'000), FeeContext(1000), FeePolicy(10'000'000));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(
      status.error().message.find("the RPC at http://rpc.example quotes a network fee of up to 0.06 pathUSD"),
      std::string::npos)
      << status.error().message;
  EXPECT_NE(status.error().message.find("fee ceiling of 0.05 (--max-fee"), std::string::npos);
}

TEST(CheckCost, TheCapCountsChargePlusFeeAndNamesBoth) {
  EXPECT_TRUE(CheckCost(QuotedFee(2100, 10'000), FeeContext(1000), FeePolicy(3100)).ok());
  auto status = CheckCost(QuotedFee(2100, 10'000), FeeContext(1000), FeePolicy(3099));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_EQ(
      status.error().message,
      "it costs 0.001 pathUSD plus a network fee of up to 0.0021 pathUSD (0.0031 in all), over the per-call "
      "cap of 0.003099 (raise it with --max-amount 0.0031 or MPP_MAX_AMOUNT); nothing was paid");
}

TEST(CheckCost, ABalanceBelowChargePlusFeeIsAWalletErrorSayingHowToFund) {
  auto status = CheckCost(QuotedFee(2100, 3099), FeeContext(1000), FeePolicy(100'000));
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kWallet);
  EXPECT_NE(
      status.error().message.find("holds 0.003099 pathUSD, but this payment needs 0.001 pathUSD plus up to "
                                  "0.0021 pathUSD in network fees; nothing was signed"),
      std::string::npos)
      << status.error().message;
  EXPECT_NE(status.error().message.find("mpp wallet fund --network testnet"), std::string::npos);
  EXPECT_TRUE(CheckCost(QuotedFee(2100, 3100), FeeContext(1000), FeePolicy(100'000)).ok());
  EXPECT_TRUE(CheckCost(QuotedFee(2100, std::nullopt), FeeContext(1000), FeePolicy(100'000)).ok())
      << "unknown: not checked";
}

TEST(CheckCost, OnMainnetTheFundingHintNamesTheTokenAddressAndChain) {
  CostContext context{U256(1000), *crypto::Address::Parse("0x20C000000000000000000000b9537d11c60E8b50"),
                      tempo::kMainnetChainId, kPayerAddress, "https://rpc.tempo.xyz"};
  auto status = CheckCost(QuotedFee(29, 0), context, FeePolicy(100'000));
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("send at least 0.001029 USDC.e to " + kPayerAddress.ToChecksumHex() +
                                        " on Tempo mainnet (chain 4217)"),
            std::string::npos)
      << status.error().message;
}

TEST(CheckCost, ASponsoredChargeIsNotHeldToTheFeeCeiling) {
  FeeQuote sponsored = QuotedFee(0, 1000);
  sponsored.self_paid = false;
  EXPECT_TRUE(CheckCost(sponsored, FeeContext(1000), FeePolicy(1000, 0)).ok());
}

}  // namespace
}  // namespace mpp::protocol
