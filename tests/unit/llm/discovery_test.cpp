#include "llm/discovery.h"

#include <gtest/gtest.h>

namespace mpp::llm {
namespace {

constexpr std::string_view kDocument = R"({
  "openapi": "3.1.0",
  "info": {"title": "Example AI API", "version": "1.0.0"},
  "x-service-info": {"categories": ["compute"]},
  "paths": {
    "/v1/chat/completions": {
      "summary": "not an operation",
      "post": {
        "x-payment-info": {
          "offers": [
            {"intent": "charge", "method": "tempo", "amount": "5000",
             "currency": "0x20c000000000000000000000b9537d11c60e8b50"},
            {"intent": "charge", "method": "stripe", "amount": null, "currency": "usd",
             "description": "Price varies by request size."}
          ]
        },
        "responses": {"402": {"description": "Payment Required"}}
      },
      "get": {"summary": "free"}
    },
    "/v1/embeddings": {
      "post": {
        "x-payment-info": {"intent": "session", "method": "tempo", "amount": null,
                           "currency": "0x20c0000000000000000000000000000000000000"}
      }
    }
  }
})";

TEST(Discovery, ReadsMultiOfferAndShorthandForms) {
  auto found = ParseDiscoveryDocument(kDocument);
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->offers.size(), 3u);
  EXPECT_EQ(found->skipped, 0u);
  const PaymentOffer& first = found->offers[0];
  EXPECT_EQ(first.http_method, "POST");
  EXPECT_EQ(first.path, "/v1/chat/completions");
  EXPECT_EQ(first.intent, "charge");
  EXPECT_EQ(first.payment_method, "tempo");
  EXPECT_EQ(first.amount, "5000");
  EXPECT_EQ(OfferAmountText(first), "0.005");
  EXPECT_EQ(found->offers[1].payment_method, "stripe");
  EXPECT_FALSE(found->offers[1].amount);
  EXPECT_EQ(OfferAmountText(found->offers[1]), "dynamic");
  EXPECT_EQ(found->offers[1].description, "Price varies by request size.");
  EXPECT_EQ(found->offers[2].path, "/v1/embeddings");
  EXPECT_EQ(found->offers[2].intent, "session");
}

TEST(Discovery, NonTempoAmountsStayInBaseUnits) {
  auto found = ParseDiscoveryDocument(
      R"({"paths":{"/x":{"get":{"x-payment-info":{"intent":"charge","method":"stripe","amount":"5","currency":"usd"}}}}})");
  ASSERT_TRUE(found);
  ASSERT_EQ(found->offers.size(), 1u);
  EXPECT_EQ(found->offers[0].http_method, "GET");
  EXPECT_EQ(OfferAmountText(found->offers[0]), "5");
}

TEST(Discovery, MalformedOffersAreSkippedAndCounted) {
  auto found = ParseDiscoveryDocument(R"({"paths":{"/x":{"post":{"x-payment-info":{"offers":[
      {"intent":"charge","method":"tempo","amount":5},
      {"intent":"charge","method":"tempo","amount":"05"},
      {"intent":"charge","method":"tempo","amount":"-1"},
      {"intent":"charge","method":"tempo"},
      {"method":"tempo","amount":"1"},
      "junk",
      {"intent":"charge","method":"tempo","amount":"0"}]}},
      "put":{"x-payment-info":[1]},
      "patch":{"x-payment-info":{"offers":{}}}},
    "/y":"junk"}})");
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->offers.size(), 1u);
  EXPECT_EQ(found->offers[0].amount, "0");
  EXPECT_EQ(found->skipped, 8u);
}

TEST(Discovery, TextIsMadeDisplaySafe) {
  auto found = ParseDiscoveryDocument(
      R"({"paths":{"/x\u001b[2J":{"post":{"x-payment-info":{"intent":"charge\u0007","method":"tempo","amount":"1","description":"\u001b]0;title"}}}}})");
  ASSERT_TRUE(found);
  ASSERT_EQ(found->offers.size(), 1u);
  EXPECT_EQ(found->offers[0].path.find('\x1b'), std::string::npos);
  EXPECT_EQ(found->offers[0].intent.find('\x07'), std::string::npos);
  EXPECT_EQ(found->offers[0].description.find('\x1b'), std::string::npos);
}

TEST(Discovery, DocumentsWithoutOffersGiveAnEmptyList) {
  auto found = ParseDiscoveryDocument(R"({"openapi":"3.1.0","paths":{}})");
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->offers.empty());
}

TEST(Discovery, GarbageIsAnError) {
  for (const char* bad : {"", "<html>", "[]", "{}", R"({"paths":[]})", "{\"paths\":{"}) {
    auto found = ParseDiscoveryDocument(bad);
    ASSERT_FALSE(found) << bad;
    EXPECT_EQ(found.error().kind, ErrorKind::kNetwork);
  }
}

}  // namespace
}  // namespace mpp::llm
