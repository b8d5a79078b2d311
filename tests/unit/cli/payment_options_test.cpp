#include "cli/payment_options.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace mpp::cli {
namespace {

Result<PaymentSettings> WithMaxResponse(const std::string& text) {
  PaymentFlags flags;
  flags.network = "testnet";
  flags.max_response = text;
  return ResolvePaymentSettings(flags, ConfigValues{});
}

TEST(PaymentSettings, MaxResponseTakesBytesOrBinaryUnits) {
  PaymentFlags defaults;
  defaults.network = "testnet";
  auto settings = ResolvePaymentSettings(defaults, ConfigValues{});
  ASSERT_TRUE(settings.ok()) << settings.error().message;
  EXPECT_EQ(settings->limits.max_streamed_body_bytes, std::size_t{64} << 20);
  for (const auto& [text, bytes] :
       std::initializer_list<std::pair<const char*, std::size_t>>{{"65536", 65536},
                                                                  {"512K", 512 << 10},
                                                                  {"512kib", 512 << 10},
                                                                  {"64M", 64 << 20},
                                                                  {"1G", 1 << 30},
                                                                  {"100B", 100}}) {
    auto resolved = WithMaxResponse(text);
    ASSERT_TRUE(resolved.ok()) << text << ": " << resolved.error().message;
    EXPECT_EQ(resolved->limits.max_streamed_body_bytes, bytes) << text;
    EXPECT_LE(resolved->limits.max_body_bytes, bytes) << text;  // buffered bodies never exceed it either
  }
}

TEST(PaymentSettings, MaxResponseRefusesWhatIsNotASize) {
  for (const char* text : {"0", "-1", "1.5M", "64MB", "M", "1T", "99999999999999", " 1K"}) {
    auto resolved = WithMaxResponse(text);
    ASSERT_FALSE(resolved.ok()) << text;
    EXPECT_EQ(ExitCode(resolved.error().kind), 2);
    EXPECT_NE(resolved.error().message.find("--max-response"), std::string::npos);
  }
}

TEST(PaymentSettings, ADumpCredentialPathThatExistsIsRefused) {
  char path[] = "/tmp/mpp-dump-test-XXXXXX";
  const int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ::close(fd);
  PaymentFlags flags;
  flags.network = "testnet";
  flags.dump_credential = path;
  auto refused = ResolvePaymentSettings(flags, ConfigValues{});
  ::unlink(path);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(ExitCode(refused.error().kind), 2);
  EXPECT_NE(refused.error().message.find("already exists"), std::string::npos);
  EXPECT_TRUE(ResolvePaymentSettings(flags, ConfigValues{}).ok());  // now that it is gone
}

}  // namespace
}  // namespace mpp::cli
