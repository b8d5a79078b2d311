// Every reader of a response body at once, on bodies a hostile server or RPC could send: the chat
// chunk and completion parsers, the stream assembler, the model list, discovery documents, problem
// details, JSON-RPC answers (through a fake transport) and the bounded JSON reader itself.
//
// Like a gzip bomb, a short input may expand: the bytes 0xFF K C stand for C repeated (K + 1) * 512
// times (the whole body is capped at 1 MiB), so nesting 100,000 levels deep is a few bytes away.
// Besides "no crash", it checks what the headers promise: nothing json::Parse accepts nests past
// kMaxJsonDepth, ToCompact round-trips, kept reasoning stays within its bound, and a failed
// assembler stays failed.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "fuzz_check.h"
#include "llm/completion.h"
#include "llm/discovery.h"
#include "llm/model_list.h"
#include "llm/stream_assembler.h"
#include "mpp/problem.h"
#include "net/http.h"
#include "tempo/rpc.h"
#include "util/json_depth.h"
#include "util/json_reader.h"

namespace {

constexpr std::size_t kMaxExpanded = 1024 * 1024;

std::string Expand(std::string_view input) {
  std::string out;
  for (std::size_t i = 0; i < input.size() && out.size() < kMaxExpanded; ++i) {
    if (static_cast<unsigned char>(input[i]) == 0xff && i + 2 < input.size()) {
      const std::size_t count = (static_cast<unsigned char>(input[i + 1]) + std::size_t{1}) * 512;
      out.append(std::min(count, kMaxExpanded - out.size()), input[i + 2]);
      i += 2;
    } else {
      out += input[i];
    }
  }
  return out;
}

// Answers every request with the fuzzed body, as a hostile JSON-RPC endpoint would.
class BodyTransport final : public mpp::net::HttpTransport {
 public:
  explicit BodyTransport(std::string body) : body_(std::move(body)) {}
  mpp::Result<mpp::net::HttpResponse> Perform(const mpp::net::HttpRequest&, const mpp::net::BodySink*,
                                              mpp::net::TransportFailure*) override {
    mpp::net::HttpResponse response;
    response.status = 200;
    response.body = body_;
    return response;
  }

 private:
  std::string body_;
};

// Equal in order, member by member. RapidJSON's operator== looks each member up by name, so an object
// with a repeated key (which JSON allows and json::Parse keeps) never equals even its own copy.
bool SameInOrder(const rapidjson::Value& a, const rapidjson::Value& b) {  // NOLINT(misc-no-recursion)
  if (a.IsObject() && b.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) return false;
    for (auto x = a.MemberBegin(), y = b.MemberBegin(); x != a.MemberEnd(); ++x, ++y) {
      if (x->name != y->name || !SameInOrder(x->value, y->value)) return false;
    }
    return true;
  }
  if (a.IsArray() && b.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i) {
      if (!SameInOrder(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;  // scalars, or different kinds
}

void CheckBoundedReader(std::string_view body) {
  rapidjson::Document doc;
  std::string why;
  if (!mpp::json::Parse(body, body.size(), doc, why)) return;
  FUZZ_CHECK(mpp::JsonNestingWithin(body));
  const std::string compact = mpp::json::ToCompact(doc);
  rapidjson::Document again;
  FUZZ_CHECK(mpp::json::Parse(compact, compact.size(), again, why));
  FUZZ_CHECK(SameInOrder(again, doc));  // recursive, but within kMaxJsonDepth levels
  FUZZ_CHECK(mpp::json::ToCompact(again) == compact);
}

void FeedAssembler(std::string_view body, std::size_t piece) {
  mpp::llm::StreamAssemblerOptions options;
  std::size_t printed = 0;
  options.on_text = [&printed](std::string_view text) { printed += text.size(); };
  mpp::llm::StreamAssembler assembler(std::move(options));
  bool ok = true;
  for (std::size_t at = 0; at < body.size() && ok; at += piece)
    ok = assembler.Feed(body.substr(at, piece)).ok();
  auto finished = assembler.Finish();
  if (!ok) {
    FUZZ_CHECK(!finished.ok());
    FUZZ_CHECK(!assembler.Feed("data: {}\n\n").ok());
    return;
  }
  if (finished.ok()) {
    FUZZ_CHECK(finished->reasoning.size() <= mpp::llm::kMaxKeptReasoningBytes);
    FUZZ_CHECK(finished->text.size() == printed);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body = Expand(mpp::fuzz::AsText(data, size));

  CheckBoundedReader(body);
  (void)mpp::llm::ParseStreamChunk(body);
  if (auto completion = mpp::llm::ParseCompletion(body); completion.ok()) {
    (void)mpp::llm::OutputText(*completion);
  }
  (void)mpp::llm::ParseModelList(body);
  (void)mpp::llm::ParseDiscoveryDocument(body);
  if (auto problem = mpp::protocol::ParseProblemDetails(body)) (void)mpp::protocol::DescribeProblem(*problem);

  FeedAssembler(body, body.size() + 1);
  FeedAssembler(body, body.size() < 65536 ? 7 : 4093);  // small pieces, as a trickling server sends

  BodyTransport transport(body);
  mpp::tempo::RpcClient rpc("http://127.0.0.1:1/", transport);
  (void)rpc.ChainId();
  (void)rpc.SendRawTransactionSync("0x76");
  const mpp::tempo::RpcCall calls[] = {{"eth_chainId", "[]"}, {"eth_gasPrice", "[]"}};
  if (auto answers = rpc.CallBatch(std::span(calls))) {
    for (const auto& answer : *answers) (void)mpp::tempo::RpcClient::Quantity("batch", answer);
  }
  return 0;
}
