// mpp wallet balance / fund / history / reconcile: the parts that read the chain or the journal.
#include <algorithm>
#include <chrono>
#include <ostream>
#include <thread>

#include "cli/pay_context.h"
#include "cli/wallet_commands.h"
#include "tempo/chains.h"
#include "tempo/rpc.h"
#include "util/amount.h"
#include "util/interrupt.h"
#include "util/message.h"
#include "util/utc_time.h"
#include "wallet/channel_store.h"
#include "wallet/env.h"
#include "wallet/history.h"
#include "wallet/history_render.h"
#include "wallet/journal.h"
#include "wallet/paths.h"
#include "wallet/reconcile.h"

namespace mpp::cli {
namespace {

struct TokenBalance {
  std::string symbol;  // empty for tokens not in the table
  crypto::Address token;
  U256 balance;
  // What the owner's payment channels in this token hold in escrow (the channel store's view), and
  // how much of it vouchers already signed over to payees.
  U256 locked;
  U256 signed_over;
  std::size_t channels = 0;
};

// Adds the deposits of the owner's live channels on this chain (opening, open or closing) to `rows`.
void AddChannelDeposits(std::vector<TokenBalance>& rows, const crypto::Address& owner, std::uint64_t chain_id,
                        const Services& services) {
  auto paths = wallet::ResolvePaths(services.env);
  if (!paths) return;
  auto channels = wallet::ChannelStore(paths->ChannelsDir(), paths->JournalFile()).List();
  if (!channels) {
    msg::Warning("the channel store cannot be read (" + channels.error().message + ")");
    return;
  }
  for (const auto& c : *channels) {
    const bool live = c.status == protocol::ChannelStatus::kOpening ||
                      c.status == protocol::ChannelStatus::kOpen ||
                      c.status == protocol::ChannelStatus::kClosing;
    if (!live || c.scope.payer != owner || c.scope.chain_id != chain_id) continue;
    auto row = std::find_if(rows.begin(), rows.end(),
                            [&](const TokenBalance& r) { return r.token == c.scope.token; });
    if (row == rows.end())
      row = rows.insert(rows.end(), TokenBalance{"", c.scope.token, U256(0), U256(0), U256(0), 0});
    row->locked = U256::SaturatingAdd(row->locked, c.deposit);
    row->signed_over = U256::SaturatingAdd(row->signed_over, c.cumulative);
    ++row->channels;
  }
}

struct ChainAccess {
  PaymentSettings settings;
  std::unique_ptr<net::HttpTransport> http;
  std::unique_ptr<tempo::RpcClient> rpc;
};

Result<ChainAccess> OpenChain(const WalletOptions& o, const Services& services) {
  auto settings = ResolvePaymentSettings(o.network, services.env);
  if (!settings) return settings.error();
  ChainAccess access{*settings, nullptr, nullptr};
  net::TransportLimits limits;
  limits.total_timeout_ms = 20'000;
  access.http = services.transport(limits);
  access.rpc = std::make_unique<tempo::RpcClient>(access.settings.rpc_url, *access.http);
  return access;
}

Result<std::vector<TokenBalance>> Balances(ChainAccess& chain, const crypto::Address& owner,
                                           const std::vector<std::string>& extra_tokens) {
  std::vector<TokenBalance> rows;
  for (const auto& token : chain.settings.chain->tokens) {
    rows.push_back({std::string(token.symbol), tempo::TokenAddress(token), U256(0), U256(0), U256(0), 0});
  }
  for (const auto& text : extra_tokens) {
    auto address = crypto::Address::Parse(text);
    if (!address) return MakeError(ErrorKind::kUsage, "--token '" + text + "' is not an address");
    rows.push_back({"", *address, U256(0), U256(0), U256(0), 0});
  }
  for (auto& row : rows) {
    auto balance = chain.rpc->BalanceOf(row.token, owner);
    if (!balance) return balance.error();
    row.balance = *balance;
  }
  return rows;
}

void PrintBalances(std::ostream& out, const crypto::Address& owner, const ChainAccess& chain,
                   const std::vector<TokenBalance>& rows, bool json) {
  if (json) {
    out << "{\"address\":\"" << owner.ToChecksumHex() << "\",\"network\":\"" << chain.settings.chain->name
        << "\",\"balances\":[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      out << (i ? "," : "") << "{\"token\":\"" << rows[i].token.ToChecksumHex()
          << "\",\"symbol\":" << (rows[i].symbol.empty() ? std::string("null") : "\"" + rows[i].symbol + "\"")
          << ",\"balance\":\"" << FormatTokenAmount(rows[i].balance) << "\",\"base_units\":\""
          << rows[i].balance.ToDecimal() << "\",\"channels\":" << rows[i].channels
          << ",\"locked_in_channels_base_units\":\"" << rows[i].locked.ToDecimal()
          << "\",\"signed_to_payees_base_units\":\"" << rows[i].signed_over.ToDecimal() << "\"}";
    }
    out << "]}\n";
    return;
  }
  for (const auto& row : rows) {
    std::string label = row.symbol.empty() ? row.token.ToChecksumHex() : row.symbol;
    out << label << std::string(label.size() < 10 ? 10 - label.size() : 1, ' ')
        << FormatTokenAmount(row.balance) << "\n";
    if (row.channels > 0) {
      const U256 back = U256::CheckedSub(row.locked, row.signed_over).value_or(U256());
      out << "  + " << FormatTokenAmount(row.locked) << " locked in " << row.channels
          << (row.channels == 1 ? " channel" : " channels") << " (" << FormatTokenAmount(row.signed_over)
          << " signed to payees; up to " << FormatTokenAmount(back)
          << " comes back on close: 'mpp wallet channels')\n";
    }
  }
}

}  // namespace

Status WalletBalance(const WalletOptions& o, Io& io, const Services& services) {
  auto owner = ResolveWalletAddress(o, services.env);
  if (!owner) return owner.error();
  auto chain = OpenChain(o, services);
  if (!chain) return chain.error();
  msg::Verbose("balances of " + owner->ToChecksumHex() + " on " + std::string(chain->settings.chain->name) +
               " via " + chain->settings.rpc_url);
  auto rows = Balances(*chain, *owner, o.tokens);
  if (!rows) return rows.error();
  AddChannelDeposits(*rows, *owner, chain->settings.policy.chain_id, services);
  PrintBalances(io.out, *owner, *chain, *rows, o.json);
  return {};
}

Status WalletFund(const WalletOptions& o, Io& io, const Services& services) {
  auto chain = OpenChain(o, services);
  if (!chain) return chain.error();
  if (chain->settings.chain->chain_id != tempo::kTestnetChainId) {
    return MakeError(ErrorKind::kUsage,
                     "the faucet is testnet only; run 'mpp wallet fund --network testnet'");
  }
  auto owner = ResolveWalletAddress(o, services.env);
  if (!owner) return owner.error();
  crypto::Address watch = tempo::TokenAddress(tempo::DefaultToken(*chain->settings.chain));
  auto before = chain->rpc->BalanceOf(watch, *owner);
  if (!before) return before.error();
  auto hashes = chain->rpc->FundAddress(*owner);
  if (!hashes) return hashes.error();
  msg::Info("asked the testnet faucet to fund " + owner->ToChecksumHex() +
            "; waiting for the balance to change...");
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<long>(o.fund_timeout_s * 1000));
  while (true) {
    auto now_balance = chain->rpc->BalanceOf(watch, *owner);
    if (now_balance && *now_balance > *before) break;
    if (InterruptRequested())
      return MakeError(ErrorKind::kInterrupted, "interrupted while waiting for funds");
    if (std::chrono::steady_clock::now() >= deadline) {
      return MakeError(ErrorKind::kNetwork,
                       "the faucet answered but the balance did not change within " +
                           std::to_string(static_cast<int>(o.fund_timeout_s)) +
                           " s; check later with 'mpp wallet balance --network testnet'");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  auto rows = Balances(*chain, *owner, o.tokens);
  if (!rows) return rows.error();
  PrintBalances(io.out, *owner, *chain, *rows, o.json);
  return {};
}

Status WalletHistory(const WalletOptions& o, Io& io, const Services& services) {
  std::optional<std::int64_t> since;
  if (!o.since.empty()) {
    since = ParseUtcDate(o.since);
    if (!since) return MakeError(ErrorKind::kUsage, "--since '" + o.since + "' is not a date (YYYY-MM-DD)");
  }
  auto paths = wallet::ResolvePaths(services.env);
  if (!paths) return paths.error();
  wallet::Journal journal(paths->JournalFile(), std::nullopt, services.now);
  auto contents = journal.Read();
  if (!contents) return contents.error();
  if (!contents->unreadable_lines.empty()) {
    msg::Warning(std::to_string(contents->unreadable_lines.size()) +
                 " journal line(s) could not be read, first at line " +
                 std::to_string(contents->unreadable_lines.front()) + " of " + journal.file().string());
  }
  auto payments = wallet::CollectPayments(contents->records, since);
  wallet::MarkAbandoned(payments, wallet::ProcessAlive);
  const auto closes = wallet::CollectCloses(contents->records, since);
  auto totals = wallet::Summarize(payments, closes);
  io.out << (o.json ? wallet::RenderHistoryJson(payments, totals, closes)
                    : wallet::RenderHistoryText(payments, totals, closes));
  return {};
}

}  // namespace mpp::cli

namespace mpp::cli {

Status WalletReconcile(const WalletOptions& o, Io& io, const Services& services) {
  auto chain = OpenChain(o, services);
  if (!chain) return chain.error();
  auto paths = wallet::ResolvePaths(services.env);
  if (!paths) return paths.error();
  wallet::Journal journal(paths->JournalFile(), std::nullopt, services.now);
  wallet::ReconcileScope scope;
  scope.chain_id = chain->settings.policy.chain_id;
  scope.settled_fees = true;
  msg::Verbose("asking " + chain->settings.rpc_url + " about payments on chain " +
               std::to_string(scope.chain_id));
  auto report = wallet::Reconcile(journal, *chain->rpc, scope);
  if (!report) return report.error();
  std::size_t settled = 0;
  std::size_t failed = 0;
  for (const auto& line : report->lines) {
    io.out << wallet::RenderReconcileLine(line);
    if (line.verdict.kind == wallet::ChainVerdictKind::kSettled) ++settled;
    if (line.verdict.kind == wallet::ChainVerdictKind::kFailed) ++failed;
  }
  const std::size_t open = report->lines.size() - settled - failed;
  std::string summary = report->lines.empty()
                            ? "nothing to reconcile on " + std::string(chain->settings.chain->name)
                            : std::to_string(report->lines.size()) +
                                  " payment(s) asked about: " + std::to_string(settled) + " settled, " +
                                  std::to_string(failed) + " failed, " + std::to_string(open) +
                                  " still undecided";
  if (report->skipped_other_chains > 0) {
    summary += "; " + std::to_string(report->skipped_other_chains) +
               " on other chains were left alone (choose one with --network)";
  }
  msg::Info(summary);
  return {};
}

}  // namespace mpp::cli
