// `mpp quote` run as main runs it, on a fake network: which challenge it would pay and why, under the
// caps the flags, the environment and the config set. Nothing is ever paid.
#include "cli/quote.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "support/fake_services.h"
#include "support/flow_fakes.h"
#include "support/wallet_test_support.h"

namespace mpp::cli {
namespace {

using mpp::testing::FakeNetwork;
using mpp::testing::MapEnv;
using mpp::testing::RunCommand;

constexpr const char* kEndpoint = "http://127.0.0.1:9/v1/chat/completions";

// A tempo/charge request on testnet for `amount` base units of pathUSD.
std::string TestnetCharge(const std::string& amount) {
  return R"({"amount":")" + amount +
         R"(","currency":"0x20c0000000000000000000000000000000000000",)"
         R"("recipient":"0x70997970C51812dc3A010C7d01b50e0d17dc79C8","methodDetails":{"chainId":42431}})";
}

// A service that answers every call with a 402 offering these challenges.
void ServeChallenges(FakeNetwork& network, const std::vector<std::string>& challenges) {
  network.Route("http://127.0.0.1:9/", [challenges](const net::HttpRequest&) {
    std::vector<net::Header> headers;
    headers.reserve(challenges.size());
    for (const auto& challenge : challenges) headers.push_back({"WWW-Authenticate", challenge});
    return mpp::testing::JsonResponse(402, R"({"error":"payment required"})", headers);
  });
}

class QuoteCommand : public ::testing::Test {
 protected:
  QuoteCommand() { env_.Set("MPP_HOME", home_.path().string()); }

  testing::CommandRun Quote(std::vector<std::string> flags) {
    std::vector<std::string> args = {"quote", "--url", kEndpoint, "--network", "testnet", "--json"};
    args.insert(args.end(), flags.begin(), flags.end());
    return RunCommand(args, mpp::testing::FakeServices(network_, env_));
  }

  static rapidjson::Document Json(const std::string& text) {
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    EXPECT_FALSE(doc.HasParseError()) << text;
    EXPECT_TRUE(doc.IsObject()) << text;
    return doc;
  }

  mpp::wallet::testing::TempDir home_;
  MapEnv env_;
  FakeNetwork network_;
};

TEST_F(QuoteCommand, ChoosesTheChallengeWithinTheCapAndSaysWhyNotTheOther) {
  ServeChallenges(network_, {mpp::testing::ChargeChallenge("dear", TestnetCharge("500000")),
                             mpp::testing::ChargeChallenge("cheap", TestnetCharge("1000"))});
  auto run = Quote({});
  ASSERT_TRUE(run.status.ok()) << run.status.error().message;
  auto doc = Json(run.out);
  EXPECT_EQ(doc["status"].GetInt(), 402);
  EXPECT_FALSE(doc["free"].GetBool());
  ASSERT_TRUE(doc["would_pay"].IsUint64()) << run.out;
  const auto& challenges = doc["challenges"];
  ASSERT_EQ(challenges.Size(), 2u);
  const auto& chosen = challenges[static_cast<rapidjson::SizeType>(doc["would_pay"].GetUint64())];
  EXPECT_STREQ(chosen["id"].GetString(), "cheap");
  EXPECT_TRUE(chosen["chosen"].GetBool());
  const auto& dear = challenges[0];
  EXPECT_STREQ(dear["id"].GetString(), "dear");
  EXPECT_FALSE(dear["payable"].GetBool());
  EXPECT_NE(std::string(dear["verdict"].GetString()).find("over the per-call cap of 0.1 "), std::string::npos)
      << run.out;

  // A quote never pays: one probe, without a credential.
  auto sent = network_.RequestsTo("http://127.0.0.1:9/");
  ASSERT_EQ(sent.size(), 1u);
  for (const auto& header : sent[0].headers) EXPECT_NE(header.name, "Authorization");
}

TEST_F(QuoteCommand, TheEnvironmentCapAppliesUnlessAFlagGivesAnother) {
  ServeChallenges(network_, {mpp::testing::ChargeChallenge("only", TestnetCharge("20000"))});
  env_.Set("MPP_MAX_AMOUNT", "0.01");
  auto capped = Quote({});
  ASSERT_TRUE(capped.status.ok()) << capped.status.error().message;  // a price, even one mpp won't pay
  auto refused = Json(capped.out);
  EXPECT_TRUE(refused["would_pay"].IsNull()) << capped.out;
  EXPECT_FALSE(refused["challenges"][0]["payable"].GetBool());

  auto flagged = Quote({"--max-amount", "0.1"});
  ASSERT_TRUE(flagged.status.ok()) << flagged.status.error().message;
  auto paid = Json(flagged.out);
  ASSERT_TRUE(paid["would_pay"].IsUint64()) << flagged.out;
  EXPECT_EQ(paid["would_pay"].GetUint64(), 0u);
}

TEST_F(QuoteCommand, TheConfigCapAppliesWhenNeitherFlagNorEnvironmentSetsOne) {
  ServeChallenges(network_, {mpp::testing::ChargeChallenge("only", TestnetCharge("20000"))});
  mpp::wallet::testing::WriteText(home_.path() / "config.toml", "max_amount = \"0.01\"\n");
  auto from_config = Quote({});
  ASSERT_TRUE(from_config.status.ok()) << from_config.status.error().message;
  EXPECT_TRUE(Json(from_config.out)["would_pay"].IsNull()) << from_config.out;

  env_.Set("MPP_MAX_AMOUNT", "0.1");
  auto from_env = Quote({});
  ASSERT_TRUE(from_env.status.ok()) << from_env.status.error().message;
  EXPECT_TRUE(Json(from_env.out)["would_pay"].IsUint64()) << from_env.out;
}

TEST_F(QuoteCommand, TheDailyBudgetRefusesTheChosenChallenge) {
  ServeChallenges(network_, {mpp::testing::ChargeChallenge("only", TestnetCharge("20000"))});
  auto run = Quote({"--daily-limit", "0.001"});
  ASSERT_TRUE(run.status.ok()) << run.status.error().message;
  auto doc = Json(run.out);
  EXPECT_TRUE(doc["would_pay"].IsNull()) << run.out;
  EXPECT_TRUE(doc["challenges"][0]["chosen"].GetBool());
  EXPECT_NE(std::string(doc["challenges"][0]["verdict"].GetString()).find("daily"), std::string::npos)
      << run.out;
}

TEST_F(QuoteCommand, AChallengeForAnotherChainIsNotPayable) {
  std::string mainnet_charge = TestnetCharge("1000");
  mainnet_charge.replace(mainnet_charge.find("42431"), 5, "4217");
  ServeChallenges(network_, {mpp::testing::ChargeChallenge("elsewhere", mainnet_charge)});
  auto run = Quote({});
  ASSERT_TRUE(run.status.ok()) << run.status.error().message;
  auto doc = Json(run.out);
  EXPECT_TRUE(doc["would_pay"].IsNull()) << run.out;
  EXPECT_FALSE(doc["challenges"][0]["payable"].GetBool());
  EXPECT_NE(std::string(doc["challenges"][0]["verdict"].GetString()).find("4217"), std::string::npos)
      << run.out;
}

TEST_F(QuoteCommand, AnExpiredChallengeIsNotPayableAtTheInjectedTime) {
  ServeChallenges(network_, {mpp::testing::ChargeChallenge("stale", TestnetCharge("1000"),
                                                           "2027-01-01T00:00:00Z")});  // before kFakeNow
  auto run = Quote({});
  ASSERT_TRUE(run.status.ok()) << run.status.error().message;
  auto doc = Json(run.out);
  EXPECT_TRUE(doc["would_pay"].IsNull()) << run.out;
  EXPECT_FALSE(doc["challenges"][0]["payable"].GetBool());
}

TEST_F(QuoteCommand, AFreeAnswerIsAPriceOfNothing) {
  network_.Route("http://127.0.0.1:9/", [](const net::HttpRequest&) {
    return mpp::testing::JsonResponse(200, R"({"choices":[]})");
  });
  auto run = Quote({});
  ASSERT_TRUE(run.status.ok()) << run.status.error().message;
  auto doc = Json(run.out);
  EXPECT_TRUE(doc["free"].GetBool());
  EXPECT_TRUE(doc["would_pay"].IsNull());
}

TEST_F(QuoteCommand, A402WithoutAUsableChallengeIsNoPrice) {
  ServeChallenges(network_, {"Bearer realm=\"x\""});
  auto run = Quote({});
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(ExitCode(run.status.error().kind), 3);
  EXPECT_NE(run.status.error().message.find("no price"), std::string::npos) << run.status.error().message;
}

TEST_F(QuoteCommand, AnUnreachableServiceIsANetworkError) {
  auto run = Quote({});  // no route: the connection is refused
  ASSERT_FALSE(run.status.ok());
  EXPECT_EQ(ExitCode(run.status.error().kind), 3);
}

}  // namespace
}  // namespace mpp::cli
