#include "cli/confirm.h"

#include <gtest/gtest.h>

#include "cli/payment_options.h"
#include "support/fake_services.h"
#include "tempo/chains.h"

namespace mpp::cli {
namespace {

const crypto::Address kConfirmPayee = *crypto::Address::Parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
const crypto::Address kConfirmPathUsd = *crypto::Address::Parse("0x20c0000000000000000000000000000000000000");

protocol::PayPolicy ConfirmPolicy() {
  protocol::PayPolicy policy;
  policy.max_fee = U256(50'000);
  return policy;
}

protocol::ChallengeVerdict ChargeVerdict(std::uint64_t amount, protocol::PayMode mode) {
  protocol::ChallengeVerdict v;
  v.acceptable = true;
  v.amount = U256(amount);
  v.currency = kConfirmPathUsd;
  protocol::ChargeTerms terms;
  terms.request.amount = U256(amount);
  terms.request.currency = kConfirmPathUsd;
  terms.request.recipient = kConfirmPayee;
  terms.request.chain_id = tempo::kTestnetChainId;
  terms.mode = mode;
  v.charge = terms;
  return v;
}

protocol::ChallengeVerdict SessionVerdict(std::uint64_t price, std::uint64_t deposit, bool standing) {
  protocol::ChallengeVerdict v;
  v.acceptable = true;
  v.amount = U256(price);
  v.currency = kConfirmPathUsd;
  v.standing = standing;
  protocol::SessionTerms terms;
  terms.request.amount = U256(price);
  terms.request.currency = kConfirmPathUsd;
  terms.request.recipient = kConfirmPayee;
  terms.chain_id = tempo::kTestnetChainId;
  terms.deposit = U256(deposit);
  v.session = terms;
  return v;
}

TEST(Confirm, AChargeQuoteNamesAmountFeeAndPayee) {
  PaymentQuote quote = QuoteChosen(ChargeVerdict(1000, protocol::PayMode::kPull), ConfirmPolicy());
  EXPECT_EQ(quote.amount, U256(1000));
  EXPECT_EQ(quote.fee, U256(50'000));
  EXPECT_TRUE(quote.deposit.IsZero());
  EXPECT_EQ(DescribeQuote(quote),
            "0.001 pathUSD to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8, network fee at most 0.05");
  PaymentQuote sponsored =
      QuoteChosen(ChargeVerdict(1000, protocol::PayMode::kPullSponsored), ConfirmPolicy());
  EXPECT_TRUE(sponsored.fee.IsZero());
  EXPECT_NE(DescribeQuote(sponsored).find("no network fee"), std::string::npos);
}

TEST(Confirm, ASessionOpeningAChannelSaysPriceAndDeposit) {
  PaymentQuote opening = QuoteChosen(SessionVerdict(1000, 1'000'000, false), ConfirmPolicy());
  EXPECT_EQ(opening.deposit, U256(1'000'000));
  EXPECT_EQ(opening.Compared(), U256(1'001'000));
  const std::string text = DescribeQuote(opening);
  EXPECT_NE(text.find("0.001 pathUSD per request to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("a deposit of 1 pathUSD locked in a new payment channel"), std::string::npos) << text;

  PaymentQuote voucher = QuoteChosen(SessionVerdict(1000, 1'000'000, true), ConfirmPolicy());
  EXPECT_TRUE(voucher.deposit.IsZero());
  EXPECT_TRUE(voucher.fee.IsZero());  // a voucher on an open channel moves nothing on chain
}

TEST(Confirm, AsksOnlyAboveTheThresholdAndRefusesWithoutATerminal) {
  const PaymentQuote quote = QuoteChosen(ChargeVerdict(1000, protocol::PayMode::kPull), ConfirmPolicy());
  EXPECT_EQ(DecideConfirm(ConfirmRule{}, quote, true), ConfirmStep::kPay);
  const ConfirmRule every{U256(), "--confirm"};
  EXPECT_EQ(DecideConfirm(every, quote, true), ConfirmStep::kAsk);
  EXPECT_EQ(DecideConfirm(every, quote, false), ConfirmStep::kRefuse);
  // The fee is a ceiling, shown but not counted: 0.001 is within 0.001.
  EXPECT_EQ(DecideConfirm(ConfirmRule{U256(1000), "confirm_above"}, quote, false), ConfirmStep::kPay);
  EXPECT_EQ(DecideConfirm(ConfirmRule{U256(999), "confirm_above"}, quote, true), ConfirmStep::kAsk);
  ConfirmRule batch{U256(999), "confirm_above", false};
  EXPECT_EQ(DecideConfirm(batch, quote, true), ConfirmStep::kRefuse);
  // A zero-amount proof costs nothing: --confirm does not ask.
  const PaymentQuote proof = QuoteChosen(ChargeVerdict(0, protocol::PayMode::kProof), ConfirmPolicy());
  EXPECT_EQ(DecideConfirm(every, proof, true), ConfirmStep::kPay);
  // A channel's deposit counts.
  const PaymentQuote opening = QuoteChosen(SessionVerdict(1000, 1'000'000, false), ConfirmPolicy());
  EXPECT_EQ(DecideConfirm(ConfirmRule{U256(50'000), "confirm_above"}, opening, false), ConfirmStep::kRefuse);
}

TEST(Confirm, TheRefusalSaysHowToProceed) {
  const PaymentQuote quote = QuoteChosen(ChargeVerdict(1000, protocol::PayMode::kPull), ConfirmPolicy());
  Error flag = ConfirmRefusal(ConfirmRule{U256(), "--confirm"}, quote);
  EXPECT_EQ(flag.kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(flag.message.find("no terminal"), std::string::npos) << flag.message;
  EXPECT_NE(flag.message.find("drop --confirm"), std::string::npos) << flag.message;
  Error config = ConfirmRefusal(ConfirmRule{U256(100), "confirm_above in /c.toml", false}, quote);
  EXPECT_NE(config.message.find("threshold 0.0001"), std::string::npos) << config.message;
  EXPECT_NE(config.message.find("--batch never asks"), std::string::npos) << config.message;
  EXPECT_NE(config.message.find("MPP_CONFIRM_ABOVE=off"), std::string::npos) << config.message;
  EXPECT_EQ(config.message.find('\n'), std::string::npos);
}

TEST(Confirm, YesIsYOrYesInAnyCase) {
  for (const char* yes : {"y", "Y", "yes", " YES ", "yes\r"}) EXPECT_TRUE(IsYes(yes)) << yes;
  for (const char* no : {"", "n", "no", "yes please", "ja", "1"}) EXPECT_FALSE(IsYes(no)) << no;
}

TEST(Confirm, NoHookWhenNothingAsksOrAnnounces) {
  EXPECT_FALSE(ConfirmHook(ConfirmRule{}, ConfirmPolicy()));
  EXPECT_TRUE(ConfirmHook(ConfirmRule{U256(), "--confirm"}, ConfirmPolicy()));
}

TEST(Confirm, TheFlagTheConfigKeyAndTheVariableSetTheRule) {
  const auto none = mpp::testing::MapEnv().Lookup();
  PaymentFlags flags;
  flags.network = "testnet";
  auto unset = ResolvePaymentSettings(flags, ConfigValues{}, none);
  ASSERT_TRUE(unset.ok()) << unset.error().message;
  EXPECT_FALSE(unset->confirm.above);

  auto config = ParseConfigText("confirm_above = \"0.05\"\n", "c.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  auto from_config = ResolvePaymentSettings(flags, *config, none);
  ASSERT_TRUE(from_config.ok()) << from_config.error().message;
  EXPECT_EQ(from_config->confirm.above, U256(50'000));
  EXPECT_NE(from_config->confirm.source.find("confirm_above"), std::string::npos);

  auto off =
      ResolvePaymentSettings(flags, *config, mpp::testing::MapEnv().Set("MPP_CONFIRM_ABOVE", "off").Lookup());
  ASSERT_TRUE(off.ok()) << off.error().message;
  EXPECT_FALSE(off->confirm.above);

  flags.confirm = true;
  auto from_flag = ResolvePaymentSettings(flags, *config, none);
  ASSERT_TRUE(from_flag.ok()) << from_flag.error().message;
  EXPECT_EQ(from_flag->confirm.above, U256());
  EXPECT_EQ(from_flag->confirm.source, "--confirm");

  flags.confirm = false;
  auto bad = ResolvePaymentSettings(flags, ConfigValues{},
                                    mpp::testing::MapEnv().Set("MPP_CONFIRM_ABOVE", "lots").Lookup());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::kUsage);
}

TEST(Confirm, RetriesComeFromTheFlagTheVariableOrTheConfig) {
  const auto none = mpp::testing::MapEnv().Lookup();
  PaymentFlags flags;
  flags.network = "testnet";
  auto defaults = ResolvePaymentSettings(flags, ConfigValues{}, none);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->probe_retries, protocol::kDefaultProbeRetries);
  auto config = ParseConfigText("retries = 5\n", "c.toml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  auto from_config = ResolvePaymentSettings(flags, *config, none);
  ASSERT_TRUE(from_config.ok());
  EXPECT_EQ(from_config->probe_retries, 5);
  auto from_env =
      ResolvePaymentSettings(flags, *config, mpp::testing::MapEnv().Set("MPP_RETRIES", "1").Lookup());
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env->probe_retries, 1);
  flags.retries = "0";
  auto from_flag = ResolvePaymentSettings(flags, *config, none);
  ASSERT_TRUE(from_flag.ok());
  EXPECT_EQ(from_flag->probe_retries, 0);
  for (const char* bad : {"-1", "11", "two", "1.5"}) {
    flags.retries = bad;
    auto refused = ResolvePaymentSettings(flags, ConfigValues{}, none);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().kind, ErrorKind::kUsage);
  }
  EXPECT_FALSE(ParseConfigText("retries = \"x\"\nretries = 2\n", "c.toml").ok());
  EXPECT_FALSE(ParseConfigText("retries = 1.5\n", "c.toml").ok());
}

}  // namespace
}  // namespace mpp::cli
