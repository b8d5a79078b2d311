// `mpp wallet channels` run as main runs it, on a fake chain and a fake service: the list joins the
// store with the chain; a close goes through the service and counts only once the chain shows the
// channel gone; the forced close waits for the grace period; recover rebuilds what the store lost.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <string>
#include <vector>

#include "mpp/channel_book.h"
#include "support/fake_services.h"
#include "support/wallet_test_support.h"
#include "tempo/channel.h"
#include "tempo/escrow_abi.h"
#include "tempo/escrow_events.h"
#include "tempo/rpc_queries.h"
#include "tempo/transaction.h"
#include "util/base64url.h"
#include "util/hex.h"
#include "wallet/channel_store.h"
#include "wallet/journal.h"

namespace mpp::cli {
namespace {

using mpp::testing::FakeNetwork;
using mpp::testing::MapEnv;
using mpp::testing::RunCommand;
using protocol::ChannelStatus;
using protocol::StoredChannel;

constexpr const char* kRpc = "http://127.0.0.1:8545/";
constexpr const char* kService = "http://127.0.0.1:9/v1/chat/completions";
constexpr const char* kPayerKey = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
constexpr const char* kPayee = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
constexpr const char* kPathUsd = "0x20c0000000000000000000000000000000000000";
constexpr std::uint64_t kTestnet = 42431;

crypto::Address Payer() {
  return crypto::Address::FromPublicKey(crypto::PrivateKey::FromBytes(*FromHex(kPayerKey))->GetPublicKey());
}

// A channel the payer opened to kPayee in pathUSD on testnet; `salt` tells channels apart.
StoredChannel Channel(std::uint8_t salt, U256 cumulative = U256(3000)) {
  StoredChannel c;
  c.scope = {Payer(), *crypto::Address::Parse(kPayee), *crypto::Address::Parse(kPathUsd),
             tempo::kChannelEscrow, kTestnet};
  c.descriptor = {Payer(), c.scope.payee, {}, c.scope.token, Hash32{salt}, Payer(), Hash32{9}};
  c.channel_id = tempo::ChannelId(c.descriptor, tempo::kChannelEscrow, kTestnet);
  c.status = ChannelStatus::kOpen;
  c.deposit = U256(5000);
  c.cumulative = cumulative;
  c.spent = U256(2000);
  c.endpoint = kService;
  c.realm = "127.0.0.1";
  c.opened_at = mpp::testing::kFakeNow - 7200;
  return c;
}

std::string Hex(const Hash32& h) { return ToHex(ByteView(h.data(), h.size())); }
std::string Word(const U256& v) { return Hex(v.ToBigEndian32()); }
std::string Quantity(std::uint64_t v) { return U256(v).ToHexQuantity(); }

// The escrow, a pathUSD balance and a block head, answering JSON-RPC as a node would. Transactions
// the payer sends change the escrow's state as the precompile would.
class FakeChain {
 public:
  std::map<Hash32, tempo::ChannelState> channels;
  std::vector<std::string> logs;  // eth_getLogs answers: JSON log objects
  std::uint64_t chain_id = kTestnet;
  std::int64_t block_time = mpp::testing::kFakeNow;
  std::uint64_t grace = 900;
  std::vector<std::string> sent;  // selectors of the payer's transactions, in order

  net::HttpResponse Answer(const net::HttpRequest& request) {
    rapidjson::Document doc;
    doc.Parse(request.body.c_str());
    std::string out;
    if (doc.IsArray()) {
      out = "[";
      for (auto& call : doc.GetArray()) out += (out.size() > 1 ? "," : "") + One(call);
      out += "]";
    } else {
      out = One(doc);
    }
    return mpp::testing::JsonResponse(200, out);
  }

  // The service's close: the payee captures `captured` and refunds the rest.
  void CloseByPayee(const Hash32& id, const U256& captured) {
    const U256 deposit = channels[id].deposit;
    channels.erase(id);
    Log(tempo::EscrowEventKind::kChannelClosed, id,
        Word(captured) + Word(*U256::CheckedSub(deposit, captured)).substr(2));
  }

  void Log(tempo::EscrowEventKind kind, const Hash32& id, const std::string& data_hex) {
    logs.push_back(R"({"address":"0x4d50500000000000000000000000000000000000","topics":[")" +
                   Hex(tempo::EscrowEventTopic(kind)) + R"(",")" + Hex(id) + R"(",")" +
                   Hex(tempo::AddressTopic(Payer())) + R"(",")" +
                   Hex(tempo::AddressTopic(*crypto::Address::Parse(kPayee))) + R"("],"data":")" + data_hex +
                   R"(","blockNumber":"0x10"})");
  }

 private:
  std::string One(const rapidjson::Value& call) {
    const std::string method = call["method"].GetString();
    const std::string id = std::to_string(call["id"].GetUint64());
    auto result = [&](const std::string& json) {
      return R"({"jsonrpc":"2.0","id":)" + id + R"(,"result":)" + json + "}";
    };
    auto error = [&](const std::string& message, const std::string& data) {
      return R"({"jsonrpc":"2.0","id":)" + id + R"(,"error":{"code":3,"message":")" + message +
             R"(","data":")" + data + R"("}})";
    };
    const auto& params = call["params"];
    if (method == "eth_chainId") return result("\"" + Quantity(chain_id) + "\"");
    if (method == "eth_blockNumber") return result("\"0x20\"");
    if (method == "eth_gasPrice") return result("\"0x4a817c800\"");
    if (method == "eth_getBlockByNumber")
      return result(R"({"number":"0x20","timestamp":")" + Quantity(static_cast<std::uint64_t>(block_time)) +
                    "\"}");
    if (method == "eth_getLogs") {
      std::string all = "[";
      for (const auto& log : logs) all += (all.size() > 1 ? "," : "") + log;
      return result(all + "]");
    }
    // eth_call and eth_estimateGas take a call object; eth_sendRawTransactionSync takes a string.
    const bool has_data =
        params.IsArray() && !params.Empty() && params[0].IsObject() && params[0].HasMember("data");
    const std::string data = has_data ? params[0]["data"].GetString() : "";
    if (method == "eth_estimateGas") {
      if (data.starts_with("0x41e2c664")) {  // withdraw
        for (const auto& [channel, state] : channels) {
          if (state.close_requested_at == 0 ||
              block_time < static_cast<std::int64_t>(state.close_requested_at + grace))
            return error("execution reverted", "0x02b81e29");
        }
      }
      return result("\"0x19a28\"");
    }
    if (method == "eth_call") {
      if (data.starts_with("0xd18da8b1")) {
        const auto state = channels.find(*Hash32FromHex("0x" + data.substr(10, 64)));
        const tempo::ChannelState s = state == channels.end() ? tempo::ChannelState{} : state->second;
        return result("\"" + Word(s.settled) + Word(s.deposit).substr(2) +
                      Word(U256(s.close_requested_at)).substr(2) + "\"");
      }
      if (data.starts_with("0x956c8327")) return result("\"" + Word(U256(grace)) + "\"");
      return result("\"" + Word(U256(1'000'000)) + "\"");  // balanceOf
    }
    if (method == "eth_sendRawTransactionSync") {
      auto tx = tempo::DecodeSignedTransaction(*FromHex(params[0].GetString()));
      const Bytes& input = tx->tx.calls.at(0).input;
      const std::string selector = ToHex(ByteView(input.data(), 4));
      sent.push_back(selector);
      for (auto& [channel, state] : channels) {
        if (selector == "0x675402e5") {
          state.close_requested_at = static_cast<std::uint64_t>(block_time);
          Log(tempo::EscrowEventKind::kCloseRequested, channel, Word(U256(state.close_requested_at + grace)));
        }
      }
      if (selector == "0x41e2c664") {
        for (auto it = channels.begin(); it != channels.end();) {
          Log(tempo::EscrowEventKind::kChannelClosed, it->first,
              Word(it->second.settled) +
                  Word(*U256::CheckedSub(it->second.deposit, it->second.settled)).substr(2));
          it = channels.erase(it);
        }
      }
      return result(
          R"({"transactionHash":")" + Hex(tx->hash) +
          R"(","status":"0x1","blockNumber":"0x21","gasUsed":"0x5208","effectiveGasPrice":"0x4a817c800"})");
    }
    return error("no such method " + method, "0x");
  }
};

std::string SessionOffer(const std::string& id) {
  const std::string request =
      R"({"amount":"1000","currency":")" + std::string(kPathUsd) +
      R"(","methodDetails":{"chainId":42431,"escrowContract":"0x4d50500000000000000000000000000000000000","sessionProtocol":"v2"},"recipient":")" +
      kPayee + R"(","unitType":"token"})";
  return "Payment id=\"" + id + "\", realm=\"127.0.0.1\", method=\"tempo\", intent=\"session\", request=\"" +
         EncodeBase64Url(request) + "\", expires=\"2099-01-01T00:00:00Z\"";
}

class ChannelsCommand : public ::testing::Test {
 protected:
  ChannelsCommand() : store_(home_.path() / "channels") {
    env_.Set("MPP_HOME", home_.path().string()).Set("MPP_PRIVATE_KEY", kPayerKey);
    network_.Route(kRpc, [this](const net::HttpRequest& r) { return chain_.Answer(r); });
  }

  testing::CommandRun Channels(std::vector<std::string> args, std::int64_t now = mpp::testing::kFakeNow) {
    std::vector<std::string> argv = {"wallet", "channels"};
    argv.insert(argv.end(), args.begin(), args.end());
    for (const char* flag : {"--network", "testnet", "--rpc-url", kRpc}) argv.emplace_back(flag);
    return RunCommand(argv, mpp::testing::FakeServices(network_, env_, now));
  }

  // A channel in the store and live on chain with `settled`.
  StoredChannel Stored(std::uint8_t salt, U256 settled = U256(1000)) {
    StoredChannel c = Channel(salt);
    EXPECT_TRUE(store_.Save(c));
    chain_.channels[c.channel_id] = {settled, c.deposit, 0};
    return c;
  }

  // A service that answers the bare POST with a 402 and the close with a 204, capturing `captured`.
  void ServeCooperatively(const StoredChannel& c, U256 captured) {
    network_.Route("http://127.0.0.1:9/", [this, c, captured](const net::HttpRequest& r) {
      if (r.headers.empty())
        return mpp::testing::JsonResponse(402, "{}", {{"WWW-Authenticate", SessionOffer("fresh")}});
      chain_.CloseByPayee(c.channel_id, captured);
      net::HttpResponse done;
      done.status = 204;
      return done;
    });
  }

  StoredChannel Record(const StoredChannel& c) { return **store_.Load(c.scope); }

  mpp::wallet::testing::TempDir home_;
  MapEnv env_;
  FakeNetwork network_;
  FakeChain chain_;
  wallet::ChannelStore store_;
};

TEST_F(ChannelsCommand, TheListJoinsEachRecordWithTheChain) {
  const StoredChannel c = Stored(1);
  auto run = Channels({"--json"});
  ASSERT_TRUE(run.status) << run.status.error().message;
  rapidjson::Document doc;
  doc.Parse(run.out.c_str());
  ASSERT_TRUE(doc.IsArray()) << run.out;
  ASSERT_EQ(doc.Size(), 1u);
  const auto& row = doc[0];
  EXPECT_EQ(std::string(row["channel_id"].GetString()), Hex(c.channel_id));
  EXPECT_STREQ(row["status"].GetString(), "open");
  EXPECT_STREQ(row["deposit"].GetString(), "5000");
  EXPECT_STREQ(row["settled"].GetString(), "1000");
  EXPECT_STREQ(row["signed"].GetString(), "3000");
  EXPECT_STREQ(row["spent"].GetString(), "2000");
  EXPECT_STREQ(row["refundable"].GetString(), "3000");  // 5000 - max(2000 spent, 1000 settled)
  EXPECT_STREQ(row["symbol"].GetString(), "pathUSD");
  EXPECT_EQ(row["age_seconds"].GetInt64(), 7200);
  EXPECT_STREQ(row["endpoint"].GetString(), kService);

  auto text = Channels({});
  ASSERT_TRUE(text.status);
  EXPECT_NE(text.out.find("CHANNEL"), std::string::npos);
  EXPECT_NE(text.out.find(Hex(c.channel_id).substr(0, 10) + ".."), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("2h"), std::string::npos);
}

TEST_F(ChannelsCommand, CloseAllGoesThroughTheServiceAndCountsOnlyWhatTheChainShows) {
  const StoredChannel c = Stored(1);
  ServeCooperatively(c, U256(2000));
  auto run = Channels({"close", "--all"});
  ASSERT_TRUE(run.status) << run.status.error().message;
  EXPECT_NE(run.out.find("closed channel " + Hex(c.channel_id) +
                         " by its service: 0.003 pathUSD refunded, "
                         "0.002 pathUSD kept by the payee"),
            std::string::npos)
      << run.out;
  EXPECT_EQ(Record(c).status, ChannelStatus::kClosed);
  auto to_service = network_.RequestsTo("http://127.0.0.1:9/");
  ASSERT_EQ(to_service.size(), 2u);
  EXPECT_TRUE(to_service[0].headers.empty());
  EXPECT_EQ(to_service[1].headers.at(0).name, "Authorization");

  auto again = Channels({"close", "--all"});
  ASSERT_TRUE(again.status);
  EXPECT_NE(again.out.find("no open channels to close"), std::string::npos);
  auto one = Channels({"close", Hex(c.channel_id).substr(0, 12)});
  ASSERT_TRUE(one.status);
  EXPECT_NE(one.out.find("already closed; nothing to do"), std::string::npos);
  EXPECT_EQ(network_.RequestsTo("http://127.0.0.1:9/").size(), 2u);
}

TEST_F(ChannelsCommand, AServiceThatAcceptsButDoesNotCloseLeavesTheRecordOpen) {
  const StoredChannel c = Stored(1);
  network_.Route("http://127.0.0.1:9/", [](const net::HttpRequest& r) {
    if (r.headers.empty())
      return mpp::testing::JsonResponse(402, "{}", {{"WWW-Authenticate", SessionOffer("x")}});
    net::HttpResponse done;
    done.status = 204;
    return done;
  });
  auto run = Channels({"close", Hex(c.channel_id)}, mpp::testing::kFakeNow);
  ASSERT_FALSE(run.status);
  EXPECT_EQ(run.status.error().kind, ErrorKind::kNetwork);
  EXPECT_EQ(Record(c).status, ChannelStatus::kOpen);
}

TEST_F(ChannelsCommand, AChannelTheChainNoLongerHoldsIsMarkedClosedWithoutTheService) {
  const StoredChannel c = Stored(1);
  chain_.channels.clear();
  auto run = Channels({"close", Hex(c.channel_id)});
  ASSERT_TRUE(run.status) << run.status.error().message;
  EXPECT_NE(run.out.find("already closed on chain"), std::string::npos);
  EXPECT_EQ(Record(c).status, ChannelStatus::kClosed);
  EXPECT_TRUE(network_.RequestsTo("http://127.0.0.1:9/").empty());
}

TEST_F(ChannelsCommand, ForceThenFinalizeAfterTheGracePeriodOnly) {
  const StoredChannel c = Stored(1, U256(1000));
  const std::string id = Hex(c.channel_id);
  auto early = Channels({"close", "--finalize", id});
  ASSERT_FALSE(early.status);
  EXPECT_EQ(early.status.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(early.status.error().message.find("--force"), std::string::npos);

  auto forced = Channels({"close", "--force", id});
  ASSERT_TRUE(forced.status) << forced.status.error().message;
  EXPECT_EQ(chain_.sent, (std::vector<std::string>{"0x675402e5"}));
  EXPECT_EQ(Record(c).status, ChannelStatus::kClosing);
  EXPECT_NE(forced.out.find("0.004 pathUSD (the deposit less what the payee settled)"), std::string::npos)
      << forced.out;
  EXPECT_NE(forced.out.find("(in 15m)"), std::string::npos) << forced.out;

  auto waiting = Channels({"close", "--finalize", id}, mpp::testing::kFakeNow + 600);
  ASSERT_FALSE(waiting.status);
  EXPECT_EQ(waiting.status.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(waiting.status.error().message.find("(in 5m)"), std::string::npos)
      << waiting.status.error().message;
  EXPECT_EQ(chain_.sent.size(), 1u);

  chain_.block_time = mpp::testing::kFakeNow + 900;
  auto done = Channels({"close", "--finalize", id}, mpp::testing::kFakeNow + 900);
  ASSERT_TRUE(done.status) << done.status.error().message;
  EXPECT_EQ(chain_.sent, (std::vector<std::string>{"0x675402e5", "0x41e2c664"}));
  EXPECT_NE(done.out.find("0.004 pathUSD refunded, 0.001 pathUSD kept by the payee"), std::string::npos)
      << done.out;
  EXPECT_EQ(Record(c).status, ChannelStatus::kClosed);
}

TEST_F(ChannelsCommand, TheChainHasTheLastWordOnTheGracePeriod) {
  const StoredChannel c = Stored(1);
  chain_.channels[c.channel_id].close_requested_at = mpp::testing::kFakeNow - 1000;
  chain_.block_time = mpp::testing::kFakeNow - 1000;  // the node is behind: it says not yet
  auto run = Channels({"close", "--finalize", Hex(c.channel_id)}, mpp::testing::kFakeNow);
  ASSERT_FALSE(run.status);
  EXPECT_EQ(run.status.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(run.status.error().message.find("grace period"), std::string::npos) << run.status.error().message;
  EXPECT_TRUE(chain_.sent.empty());
}

TEST_F(ChannelsCommand, RecoverRebuildsALiveChannelWithTheJournalsHighestVoucher) {
  const StoredChannel c = Channel(4);
  chain_.channels[c.channel_id] = {U256(1000), U256(5000), 0};
  std::string data;
  for (const Hash32& word :
       {tempo::AddressTopic(c.descriptor.operator_address), tempo::AddressTopic(c.scope.token),
        tempo::AddressTopic(c.descriptor.authorized_signer), c.descriptor.salt,
        c.descriptor.expiring_nonce_hash, U256(5000).ToBigEndian32()}) {
    data += Hex(word).substr(2);
  }
  chain_.Log(tempo::EscrowEventKind::kChannelOpened, c.channel_id, "0x" + data);
  wallet::Journal journal(home_.path() / "payments.jsonl");
  wallet::JournalRecord open;
  open.type = wallet::RecordType::kSigned;
  open.payment_id = "p1";
  open.url = kService;
  open.realm = "127.0.0.1";
  open.channel_id = Hex(c.channel_id);
  open.cumulative = U256(1000);
  open.time = mpp::testing::kFakeNow - 60;
  ASSERT_TRUE(journal.Append(open));
  wallet::JournalRecord voucher;
  voucher.type = wallet::RecordType::kVoucher;
  voucher.payment_id = "p1";
  voucher.channel_id = open.channel_id;
  voucher.cumulative = U256(2500);
  ASSERT_TRUE(journal.Append(voucher));

  auto run = Channels({"recover"});
  ASSERT_TRUE(run.status) << run.status.error().message;
  EXPECT_NE(run.out.find("recovered channel " + Hex(c.channel_id)), std::string::npos) << run.out;
  const StoredChannel r = Record(c);
  EXPECT_EQ(r.status, ChannelStatus::kOpen);
  EXPECT_EQ(r.descriptor, c.descriptor);
  EXPECT_EQ(r.cumulative, U256(2500));
  EXPECT_EQ(r.deposit, U256(5000));
  EXPECT_EQ(r.endpoint, kService);
  EXPECT_EQ(r.realm, "127.0.0.1");

  auto again = Channels({"recover"});
  ASSERT_TRUE(again.status);
  EXPECT_NE(again.out.find("already in the store"), std::string::npos);
}

TEST_F(ChannelsCommand, RecoverWithoutTheJournalSignsNoLessThanSettledAndKnowsNoEndpoint) {
  const StoredChannel c = Channel(5);
  chain_.channels[c.channel_id] = {U256(1500), U256(5000), 0};
  std::string data;
  for (const Hash32& word :
       {tempo::AddressTopic(c.descriptor.operator_address), tempo::AddressTopic(c.scope.token),
        tempo::AddressTopic(c.descriptor.authorized_signer), c.descriptor.salt,
        c.descriptor.expiring_nonce_hash, U256(5000).ToBigEndian32()}) {
    data += Hex(word).substr(2);
  }
  chain_.Log(tempo::EscrowEventKind::kChannelOpened, c.channel_id, "0x" + data);
  auto run = Channels({"recover"});
  ASSERT_TRUE(run.status) << run.status.error().message;
  const StoredChannel r = Record(c);
  EXPECT_EQ(r.cumulative, U256(1500));
  EXPECT_TRUE(r.endpoint.empty());
  auto close = Channels({"close", Hex(c.channel_id)});
  ASSERT_FALSE(close.status);
  EXPECT_EQ(close.status.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_NE(close.status.error().message.find("--force"), std::string::npos);
}

TEST_F(ChannelsCommand, RefusesWhatItCannotDo) {
  const StoredChannel c = Stored(1);
  auto usage = [&](std::vector<std::string> args) {
    auto run = Channels(std::move(args));
    return !run.status && run.status.error().kind == ErrorKind::kUsage;
  };
  EXPECT_TRUE(usage({"close"}));
  EXPECT_TRUE(usage({"close", "--all", "--force"}));
  EXPECT_TRUE(usage({"close", "--force", "--finalize", Hex(c.channel_id)}));
  EXPECT_TRUE(usage({"close", "--all", Hex(c.channel_id)}));
  EXPECT_TRUE(usage({"--all"}));
  EXPECT_TRUE(usage({"close", "0x12"}));
  EXPECT_TRUE(usage({"close", "nothex"}));
  EXPECT_TRUE(usage({"destroy"}));
  auto unknown = Channels({"close", "0x" + std::string(64, 'f')});
  ASSERT_FALSE(unknown.status);
  EXPECT_EQ(unknown.status.error().kind, ErrorKind::kWallet);

  chain_.chain_id = 4217;
  auto wrong_chain = Channels({"close", Hex(c.channel_id)});
  ASSERT_FALSE(wrong_chain.status);
  EXPECT_EQ(wrong_chain.status.error().kind, ErrorKind::kPaymentRefusedLocally);
  EXPECT_TRUE(chain_.sent.empty());
}

}  // namespace
}  // namespace mpp::cli
