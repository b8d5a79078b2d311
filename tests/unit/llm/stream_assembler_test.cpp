#include "llm/stream_assembler.h"

#include <gtest/gtest.h>

#include <ctime>
#include <random>

namespace mpp::llm {
namespace {

constexpr std::string_view kStream =
    ": OPENROUTER PROCESSING\n\n"
    "data: {\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
    "data: {\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n"
    "data: {\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{\"content\":\"lo \\u00e9\"}}]}\n\n"
    "data: {\"model\":\"gpt-4o\",\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
    "data: "
    "{\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_"
    "tokens\":5}}\n\n"
    "data: [DONE]\n\n";

struct Assembly {
  std::vector<std::string> deltas;
  std::vector<std::string> data;
  Result<AssembledResponse> result = MakeError(ErrorKind::kUnexpected, "not run");
};

Assembly Assemble(std::string_view body, const std::vector<std::size_t>& cuts = {}) {
  Assembly run;
  StreamAssemblerOptions options;
  options.on_text = [&](std::string_view text) { run.deltas.emplace_back(text); };
  options.on_data = [&](std::string_view data) { run.data.emplace_back(data); };
  options.keep_data_lines = true;
  StreamAssembler assembler(options);
  std::size_t start = 0;
  for (std::size_t cut : cuts) {
    if (auto fed = assembler.Feed(body.substr(start, cut - start)); !fed) {
      run.result = fed.error();
      return run;
    }
    start = cut;
  }
  if (auto fed = assembler.Feed(body.substr(start)); !fed) {
    run.result = fed.error();
    return run;
  }
  run.result = assembler.Finish();
  return run;
}

TEST(StreamAssembler, EmitsDeltasAsTheyArriveAndSummarizesAtTheEnd) {
  Assembly run = Assemble(kStream);
  ASSERT_TRUE(run.result) << run.result.error().message;
  EXPECT_EQ(run.deltas, (std::vector<std::string>{"Hel", "lo \xC3\xA9"}));
  EXPECT_EQ(run.result->text, "Hello \xC3\xA9");
  EXPECT_EQ(run.result->model, "gpt-4o");
  EXPECT_EQ(run.result->finish_reason, "stop");
  EXPECT_EQ(*run.result->usage, (Usage{3, 2, 5}));
  EXPECT_TRUE(run.result->streamed);
  EXPECT_TRUE(run.result->saw_done);
  EXPECT_EQ(run.data.size(), 5u);  // every data line but [DONE]
  EXPECT_EQ(run.result->data_lines, run.data);
}

TEST(StreamAssembler, SameResultWhateverTheChunkBoundaries) {
  Assembly whole = Assemble(kStream);
  std::mt19937 random(99);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < kStream.size(); ++i) {
      if (random() % (round < 10 ? 1 : 9) == 0) cuts.push_back(i);
    }
    Assembly split = Assemble(kStream, cuts);
    ASSERT_TRUE(split.result);
    EXPECT_EQ(split.result->text, whole.result->text);
    EXPECT_EQ(split.result->data_lines, whole.result->data_lines);
  }
}

TEST(StreamAssembler, HandlesAPlainJsonAnswerToAStreamingRequest) {
  std::string body =
      "\n  "
      "{\"model\":\"m\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"whole\"},\"finish_"
      "reason\":\"stop\"}],"
      "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";
  Assembly run = Assemble(body, {1, 3, 10});
  ASSERT_TRUE(run.result) << run.result.error().message;
  EXPECT_EQ(run.deltas, (std::vector<std::string>{"whole"}));
  EXPECT_FALSE(run.result->streamed);
  EXPECT_EQ(run.result->model, "m");
  EXPECT_EQ(run.result->usage->total_tokens, 2);
  ASSERT_EQ(run.data.size(), 1u);
  EXPECT_EQ(run.data[0], body);  // --raw gets the body unchanged
}

TEST(StreamAssembler, JsonAfterABomIsStillJson) {
  Assembly run = Assemble("\xEF\xBB\xBF{\"choices\":[{\"message\":{\"content\":\"x\"}}]}", {1, 2});
  ASSERT_TRUE(run.result) << run.result.error().message;
  EXPECT_EQ(run.result->text, "x");
}

TEST(StreamAssembler, StreamedToolCallsAreAssembledAndEmittedAtTheEnd) {
  std::string body =
      "data: "
      "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
      "\"function\":{\"name\":\"get\",\"arguments\":\"\"}}]}}]}\n\n"
      "data: "
      "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"q\\\":\"}}]}"
      "}]}\n\n"
      "data: "
      "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"1}\"}}]},"
      "\"finish_reason\":\"tool_calls\"}]}\n\n"
      "data: [DONE]\n\n";
  Assembly run = Assemble(body);
  ASSERT_TRUE(run.result) << run.result.error().message;
  EXPECT_EQ(run.result->text,
            R"([{"id":"call_1","type":"function","function":{"name":"get","arguments":"{\"q\":1}"}}])");
  EXPECT_EQ(run.result->finish_reason, "tool_calls");
}

TEST(StreamAssembler, KeepsOnlyTheFirst64KiBOfReasoning) {
  const std::string event = "data: {\"choices\":[{\"delta\":{\"reasoning\":\"" + std::string(10'000, 'r') +
                            "\",\"content\":\"x\"}}]}\n\n";
  std::string body;
  for (int i = 0; i < 100; ++i) body += event;
  Assembly run = Assemble(body + "data: [DONE]\n\n");
  ASSERT_TRUE(run.result) << run.result.error().message;
  EXPECT_EQ(run.result->reasoning, std::string(kMaxKeptReasoningBytes, 'r'));
  EXPECT_EQ(run.result->text, std::string(100, 'x'));
}

TEST(StreamAssembler, ToolCallsKeepTheOrderTheyFirstAppearedIn) {
  std::string body;
  for (int index : {7, 3, 7, 5}) {
    body += "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":" + std::to_string(index) +
            ",\"function\":{\"arguments\":\"" + std::to_string(index) + "\"}}]}}]}\n\n";
  }
  Assembly run = Assemble(body);
  ASSERT_TRUE(run.result) << run.result.error().message;
  EXPECT_EQ(run.result->text, R"([{"id":"","type":"function","function":{"name":"","arguments":"77"}},)"
                              R"({"id":"","type":"function","function":{"name":"","arguments":"3"}},)"
                              R"({"id":"","type":"function","function":{"name":"","arguments":"5"}}])");
}

// CPU seconds of this process so far.
double CpuSeconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

#if defined(__SANITIZE_ADDRESS__)
constexpr double kCpuSlack = 20;  // a Debug build under ASan runs this much slower
#else
constexpr double kCpuSlack = 1;
#endif

TEST(StreamAssembler, TwoHundredThousandToolCallIndicesTakeLinearTime) {
  std::string body;
  for (int start = 0; start < 200'000; start += 1000) {
    body += "data: {\"choices\":[{\"delta\":{\"tool_calls\":[";
    for (int i = start; i < start + 1000; ++i) {
      if (i > start) body += ',';
      body += "{\"index\":" + std::to_string(i) + ",\"function\":{\"name\":\"f\"}}";
    }
    body += "]}}]}\n\n";
  }
  const double started = CpuSeconds();
  StreamAssembler assembler(StreamAssemblerOptions{});
  ASSERT_TRUE(assembler.Feed(body));
  auto finished = assembler.Finish();
  ASSERT_TRUE(finished) << finished.error().message;
  EXPECT_LT(CpuSeconds() - started, 1.0 * kCpuSlack);  // quadratic lookup took about 20 s
  EXPECT_NE(finished->text.find(R"({"id":"","type":"function","function":{"name":"f","arguments":""}}])"),
            std::string::npos);
}

TEST(StreamAssembler, LeadingWhitespaceFedAByteAtATimeTakesLinearTime) {
  const double started = CpuSeconds();
  StreamAssembler assembler(StreamAssemblerOptions{});
  for (std::size_t i = 0; i < 1'000'000; ++i) ASSERT_TRUE(assembler.Feed("\n"));
  ASSERT_TRUE(assembler.Feed("data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\n"));
  auto finished = assembler.Finish();
  ASSERT_TRUE(finished) << finished.error().message;
  EXPECT_EQ(finished->text, "ok");
  EXPECT_LT(CpuSeconds() - started, 1.0 * kCpuSlack);  // rescanning from the start took minutes
}

TEST(StreamAssembler, ErrorEventStopsTheStream) {
  Assembly run = Assemble(
      "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: "
      "{\"error\":{\"message\":\"overloaded\"}}\n\n");
  ASSERT_FALSE(run.result);
  EXPECT_EQ(run.result.error().kind, ErrorKind::kNetwork);
  EXPECT_NE(run.result.error().message.find("overloaded"), std::string::npos);
  EXPECT_EQ(run.deltas, (std::vector<std::string>{"a"}));
}

TEST(StreamAssembler, IgnoresEverythingAfterDone) {
  Assembly run =
      Assemble("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: [DONE]\n\ndata: not json\n\n");
  ASSERT_TRUE(run.result);
  EXPECT_EQ(run.result->text, "a");
}

TEST(StreamAssembler, StreamWithoutDoneStillEnds) {
  Assembly run = Assemble("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}");
  ASSERT_TRUE(run.result);
  EXPECT_EQ(run.result->text, "a");
  EXPECT_FALSE(run.result->saw_done);
}

// A session's metered stream (SESSION.md 6.2): chat chunks as "message" events, with the payment
// layer's events in between and at the end. Their data is JSON the chunk parser would reject, or, for
// the hostile one, a chunk that would print if it were read as text.
constexpr std::string_view kMeteredStream =
    "event: message\n"
    "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\"98\"}}]}\n\n"
    "event: payment-need-voucher\n"
    "data: {\"channelId\":\"0xfe74\",\"requiredCumulative\":\"4000\",\"acceptedCumulative\":\"3000\","
    "\"deposit\":\"5000\"}\n\n"
    "event: message\n"
    "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"delta\":{\"content\":\"7\"}}]}\n\n"
    "event: payment-need-voucher\n"
    "data: {\"choices\":[{\"delta\":{\"content\":\"PAY ME\"}}]}\n\n"
    "event: payment-need-voucher\n"
    "data: [DONE]\n\n"
    "data: {\"choices\":[{\"delta\":{\"content\":\" ok\"}}]}\n\n"
    "event: payment-receipt\n"
    "data: {\"method\":\"tempo\",\"intent\":\"session\",\"status\":\"success\",\"units\":3}\n\n";

TEST(StreamAssembler, PrintsOnlyChatTextBetweenPaymentEvents) {
  std::vector<std::string> others;
  std::vector<std::string> deltas;
  std::vector<std::string> data;
  StreamAssemblerOptions options;
  options.on_text = [&](std::string_view text) { deltas.emplace_back(text); };
  options.on_data = [&](std::string_view line) { data.emplace_back(line); };
  options.on_other_event = [&](const net::SseEvent& event) { others.push_back(event.type); };
  StreamAssembler assembler(options);
  ASSERT_TRUE(assembler.Feed(kMeteredStream));
  auto finished = assembler.Finish();
  ASSERT_TRUE(finished) << finished.error().message;
  EXPECT_EQ(deltas, (std::vector<std::string>{"98", "7", " ok"}));
  EXPECT_EQ(finished->text, "987 ok");
  EXPECT_FALSE(finished->saw_done);  // a payment event's "[DONE]" does not end the chat
  EXPECT_EQ(data.size(), 3u);        // --raw data: the chat chunks only
  EXPECT_EQ(others, (std::vector<std::string>{"payment-need-voucher", "payment-need-voucher",
                                              "payment-need-voucher", "payment-receipt"}));
}

TEST(StreamAssembler, PaymentEventsAreNeverTextWhateverTheChunkBoundaries) {
  std::mt19937 random(16);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < kMeteredStream.size(); ++i) {
      if (random() % (round < 5 ? 1 : 11) == 0) cuts.push_back(i);
    }
    Assembly split = Assemble(kMeteredStream, cuts);
    ASSERT_TRUE(split.result) << split.result.error().message;
    EXPECT_EQ(split.result->text, "987 ok");
    EXPECT_EQ(split.result->data_lines.size(), 3u);
  }
}

TEST(StreamAssembler, ChatWithoutAnOtherEventHandlerStillIgnoresPaymentEvents) {
  StreamAssembler assembler(StreamAssemblerOptions{});
  ASSERT_TRUE(assembler.Feed(kMeteredStream));
  auto finished = assembler.Finish();
  ASSERT_TRUE(finished) << finished.error().message;
  EXPECT_EQ(finished->text, "987 ok");
}

TEST(StreamAssembler, ANamedErrorEventStillFailsTheAnswer) {
  std::vector<std::string> others;
  StreamAssemblerOptions options;
  options.on_other_event = [&](const net::SseEvent& event) { others.push_back(event.type); };
  StreamAssembler assembler(options);
  ASSERT_TRUE(assembler.Feed("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"));
  auto fed = assembler.Feed("event: error\ndata: {\"error\":{\"message\":\"overloaded\"}}\n\n");
  ASSERT_FALSE(fed);
  EXPECT_EQ(fed.error().kind, ErrorKind::kNetwork);
  EXPECT_NE(fed.error().message.find("overloaded"), std::string::npos);
  EXPECT_TRUE(others.empty());
}

TEST(StreamAssembler, EmptyOrUnrecognizableBodiesAreErrors) {
  for (std::string_view body :
       {std::string_view(""), std::string_view(" \n\n"), std::string_view("Internal error"),
        std::string_view(": only a comment\n\n"), std::string_view("{\"choices\":")}) {
    Assembly run = Assemble(body);
    ASSERT_FALSE(run.result) << body;
    EXPECT_EQ(run.result.error().kind, ErrorKind::kNetwork);
  }
}

TEST(StreamAssembler, GarbageEventDataIsAnError) {
  Assembly run = Assemble("data: {not json}\n\n");
  ASSERT_FALSE(run.result);
}

TEST(StreamAssembler, AnyBytesGiveAResultOrACleanError) {
  std::mt19937 random(4242);
  const std::string_view pieces[] = {"data: ",
                                     "\n",
                                     "\r\n",
                                     "{",
                                     "}",
                                     "[DONE]",
                                     "\"choices\"",
                                     ":",
                                     "[",
                                     "]",
                                     "{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}",
                                     "\xEF\xBB\xBF",
                                     " "};
  for (int round = 0; round < 2000; ++round) {
    std::string body;
    std::size_t count = random() % 30;
    for (std::size_t i = 0; i < count; ++i) {
      if (random() % 4 == 0) {
        body += static_cast<char>(random() % 256);
      } else {
        body += pieces[random() % std::size(pieces)];
      }
    }
    std::vector<std::size_t> cuts;
    for (std::size_t i = 1; i < body.size(); ++i) {
      if (random() % 5 == 0) cuts.push_back(i);
    }
    Assembly run = Assemble(body, cuts);
    if (!run.result) {
      EXPECT_FALSE(run.result.error().message.empty());
    }
  }
}

}  // namespace
}  // namespace mpp::llm
