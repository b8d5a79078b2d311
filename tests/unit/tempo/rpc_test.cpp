#include "tempo/rpc.h"

#include <gtest/gtest.h>

#include <deque>

namespace mpp::tempo {
namespace {

// Answers each request with the next scripted body (HTTP 200 unless a status is given).
class CannedTransport : public net::HttpTransport {
 public:
  std::deque<std::pair<long, std::string>> answers;
  std::vector<net::HttpRequest> requests;

  Result<net::HttpResponse> Perform(const net::HttpRequest& request, const net::BodySink*,
                                    net::TransportFailure*) override {
    requests.push_back(request);
    if (answers.empty()) return MakeError(ErrorKind::kNetwork, "connection refused");
    net::HttpResponse response;
    response.status = answers.front().first;
    response.body = answers.front().second;
    answers.pop_front();
    return response;
  }
};

const RpcCall kThreeCalls[] = {{"eth_chainId", "[]"}, {"eth_estimateGas", "[{}]"}, {"eth_gasPrice", "[]"}};

TEST(RpcBatch, SendsEveryCallInOneRequestAndMatchesAnswersById) {
  CannedTransport transport;
  // Answers in another order than asked, as JSON-RPC allows.
  transport.answers.push_back({200, R"([{"jsonrpc":"2.0","id":3,"result":"0x9502f900"},
                                        {"jsonrpc":"2.0","id":1,"result":"0xa5bf"},
                                        {"jsonrpc":"2.0","id":2,"result":"0x5208"}])"});
  RpcClient rpc("http://127.0.0.1:1", transport);
  auto results = rpc.CallBatch(kThreeCalls);
  ASSERT_TRUE(results) << results.error().message;
  ASSERT_EQ(transport.requests.size(), 1u);
  EXPECT_EQ(transport.requests[0].body,
            R"([{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]},)"
            R"({"jsonrpc":"2.0","id":2,"method":"eth_estimateGas","params":[{}]},)"
            R"({"jsonrpc":"2.0","id":3,"method":"eth_gasPrice","params":[]}])");
  ASSERT_EQ(results->size(), 3u);
  EXPECT_EQ(RpcClient::Quantity("eth_chainId", (*results)[0])->Low64(), 42431u);
  EXPECT_EQ(RpcClient::Quantity("eth_estimateGas", (*results)[1])->Low64(), 21000u);
  EXPECT_EQ(RpcClient::Quantity("eth_gasPrice", (*results)[2])->Low64(), 2'500'000'000u);
}

TEST(RpcBatch, OneFailedCallLeavesTheOthersStanding) {
  CannedTransport transport;
  transport.answers.push_back({200, R"([{"jsonrpc":"2.0","id":1,"result":"0xa5bf"},
                                        {"jsonrpc":"2.0","id":2,"error":{"code":3,"message":"execution reverted"}},
                                        {"jsonrpc":"2.0","id":3,"result":"0x1"}])"});
  RpcClient rpc("http://127.0.0.1:1", transport);
  auto results = rpc.CallBatch(kThreeCalls);
  ASSERT_TRUE(results) << results.error().message;
  EXPECT_TRUE((*results)[0]);
  ASSERT_FALSE((*results)[1]);
  EXPECT_EQ((*results)[1].error().message, "RPC eth_estimateGas: execution reverted");
  EXPECT_TRUE((*results)[2]);
}

TEST(RpcCall, ARevertNamesTheEscrowErrorItsDataCarries) {
  CannedTransport transport;
  transport.answers.push_back(
      {200,
       R"({"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted","data":"0x02b81e29"}})"});
  transport.answers.push_back(
      {200,
       R"x({"jsonrpc":"2.0","id":2,"error":{"code":3,"message":"execution reverted: CloseNotReady()","data":"0x02b81e29"}})x"});
  transport.answers.push_back(
      {200,
       R"({"jsonrpc":"2.0","id":3,"error":{"code":3,"message":"execution reverted","data":"0xdeadbeef"}})"});
  RpcClient rpc("http://127.0.0.1:1", transport);
  auto named = rpc.Call("eth_estimateGas", "[{}]");
  ASSERT_FALSE(named);
  EXPECT_EQ(named.error().message, "RPC eth_estimateGas: execution reverted (CloseNotReady)");
  auto already = rpc.Call("eth_estimateGas", "[{}]");
  EXPECT_EQ(already.error().message, "RPC eth_estimateGas: execution reverted: CloseNotReady()");
  auto other = rpc.Call("eth_estimateGas", "[{}]");
  EXPECT_EQ(other.error().message, "RPC eth_estimateGas: execution reverted");
}

TEST(RpcBatch, IdsContinueAcrossCallsSoAStaleAnswerCannotMatch) {
  CannedTransport transport;
  transport.answers.push_back({200, R"({"jsonrpc":"2.0","id":1,"result":"0xa5bf"})"});
  // The batch's ids are 2..4: an answer carrying id 1 belongs to nothing asked.
  transport.answers.push_back({200, R"([{"jsonrpc":"2.0","id":1,"result":"0x1"},
                                        {"jsonrpc":"2.0","id":3,"result":"0x2"},
                                        {"jsonrpc":"2.0","id":4,"result":"0x3"}])"});
  RpcClient rpc("http://127.0.0.1:1", transport);
  ASSERT_TRUE(rpc.ChainId());
  auto results = rpc.CallBatch(kThreeCalls);
  ASSERT_FALSE(results);
  EXPECT_EQ(results.error().message, "RPC batch: the answer has no reply to eth_chainId");
}

TEST(RpcBatch, AnAnswerThatIsNotABatchIsAnErrorOfTheWholeExchange) {
  CannedTransport transport;
  transport.answers.push_back(
      {200, R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"batch not supported"}})"});
  transport.answers.push_back({503, "busy"});
  RpcClient rpc("http://127.0.0.1:1", transport);
  auto not_batch = rpc.CallBatch(kThreeCalls);
  ASSERT_FALSE(not_batch);
  EXPECT_EQ(not_batch.error().kind, ErrorKind::kNetwork);
  EXPECT_EQ(not_batch.error().message, "RPC batch: the answer is not a JSON-RPC batch");
  auto busy = rpc.CallBatch(kThreeCalls);
  ASSERT_FALSE(busy);
  EXPECT_EQ(busy.error().message, "RPC batch: HTTP 503 from http://127.0.0.1:1");
  auto down = rpc.CallBatch(kThreeCalls);
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().kind, ErrorKind::kNetwork);
}

}  // namespace
}  // namespace mpp::tempo
