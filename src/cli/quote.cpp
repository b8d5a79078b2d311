#include "cli/quote.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <memory>

#include <rapidjson/document.h>

#include "cli/chat_batch.h"
#include "cli/chat_call.h"
#include "cli/chat_inputs.h"
#include "cli/http_error.h"
#include "cli/model_settings.h"
#include "cli/pay_context.h"
#include "cli/quote_batch.h"
#include "cli/quote_discover.h"
#include "cli/quote_render.h"
#include "cli/request_flags.h"
#include "cli/service_flags.h"
#include "cli/template_flags.h"
#include "mpp/charge_transaction.h"
#include "mpp/fee_quote.h"
#include "tempo/rpc.h"
#include "util/json_fields.h"
#include "util/message.h"
#include "util/stdin.h"
#include "wallet/budget.h"
#include "wallet/journal.h"
#include "wallet/key_hex.h"
#include "wallet/key_resolution.h"
#include "wallet/paths.h"
#include "wallet/store.h"

namespace mpp::cli {
namespace {

// What a quote sends when there is no prompt at all: chat would refuse to run, but the price is wanted.
constexpr const char* kPlaceholderPrompt = "hello";

struct QuoteOptions {
  ServiceFlags service;
  RequestFlags request;
  TemplateFlags templates;
  PaymentFlags payment;
  std::string method;
  std::string data;
  bool json = false;
  bool discover = false;
  std::string batch;  // --batch FILE: one quote per line
  int jobs = 1;
};

bool IsMethodName(const std::string& method) {
  if (method.empty() || method.size() > 16) return false;
  for (char c : method) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

Result<std::string> DataBody(const std::string& data, Io& io) {
  if (data == "@-") return ReadAll(io.in);
  if (data.starts_with("@")) {
    std::ifstream in(data.substr(1), std::ios::binary);
    if (!in) return MakeError(ErrorKind::kUsage, "--data " + data + ": cannot read the file");
    return ReadAll(in);
  }
  return data;
}

// -X/--data: the request exactly as given. Otherwise the request chat would send for these flags.
Result<net::HttpRequest> ProbeRequest(const QuoteOptions& o, const llm::Service& service, Io& io,
                                      const Services& services) {
  std::string url = llm::ChatUrl(service);
  if (!o.method.empty() || !o.data.empty()) {
    if (!o.request.prompt.empty() || ShapesRequest(o.request)) {
      return MakeError(ErrorKind::kUsage,
                       "-X/--data send the request as given; drop the prompt and request flags");
    }
    net::HttpRequest request;
    request.url = url;
    request.method = !o.method.empty() ? o.method : (o.data.empty() ? "GET" : "POST");
    if (!IsMethodName(request.method)) {
      return MakeError(ErrorKind::kUsage, "-X " + o.method + ": expected an HTTP method such as POST or GET");
    }
    auto body = DataBody(o.data, io);
    if (!body) return body.error();
    request.body = std::move(*body);
    request.headers.push_back({"Accept", "application/json, text/event-stream"});
    if (!request.body.empty()) request.headers.push_back({"Content-Type", "application/json"});
    return request;
  }
  auto params = ToChatParams(o.request);
  if (!params) return params.error();
  auto piped = ReadPipedStdin(io);
  if (!piped) return piped.error();
  std::optional<std::string> stdin_text = std::move(*piped);
  if (auto added = AddFileInputs(o.request, *params, stdin_text, services); !added) return added.error();
  bool has_stdin = stdin_text && stdin_text->find_first_not_of(" \t\r\n") != std::string::npos;
  if (params->prompt.empty() && !has_stdin) {
    params->prompt = {kPlaceholderPrompt};
    msg::Verbose(std::string("no prompt given; quoting the prompt \"") + kPlaceholderPrompt + "\"");
  }
  std::optional<std::string_view> stdin_view;
  if (stdin_text) stdin_view = *stdin_text;
  auto request = llm::BuildChatRequest(service, *params, stdin_view, {});
  if (!request) return request.error();
  return ChatHttpRequest(url, std::move(request->body));
}

}  // namespace

std::string BudgetRefusal(const PaymentSettings& settings, const U256& amount, std::int64_t now,
                          const wallet::EnvLookup& env) {
  if (!settings.daily_limit) return {};
  auto paths = wallet::ResolvePaths(env);
  if (!paths) return {};
  auto contents = wallet::Journal(paths->JournalFile()).Read();
  if (!contents) {
    msg::Warning("the daily budget could not be checked: " + contents.error().message);
    return {};
  }
  // The same rule the journal applies when it is about to sign (every chain counts).
  U256 spent = wallet::SpentInWindow(contents->records, now, std::nullopt);
  auto allowed =
      wallet::CheckDailyBudget(wallet::DailyBudget{*settings.daily_limit, std::nullopt}, spent, amount);
  return allowed ? std::string() : allowed.error().message;
}

namespace {

// The "model" a JSON request body names, or empty.
std::string ModelOf(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return {};
  return std::string(json::StringOrEmpty(doc, "model"));
}

// The payer's address when it is known without a password: MPP_PRIVATE_KEY's, else the wallet's.
std::optional<crypto::Address> KnownPayer(const PaymentSettings& settings, const wallet::EnvLookup& env) {
  if (const char* hex = env("MPP_PRIVATE_KEY"); hex != nullptr && *hex != '\0') {
    auto key = wallet::ParsePrivateKeyHex(hex, "MPP_PRIVATE_KEY");
    if (!key) return std::nullopt;
    return crypto::Address::FromPublicKey(key->GetPublicKey());
  }
  auto paths = wallet::ResolvePaths(env);
  if (!paths) return std::nullopt;
  wallet::WalletStore store(*paths);
  std::optional<std::string_view> flag;
  if (!settings.wallet.empty()) flag = settings.wallet;
  auto name = wallet::ResolveWalletName(store, env, flag);
  if (!name) return std::nullopt;
  auto address = store.AddressOf(*name);
  if (!address) return std::nullopt;
  return *address;
}

// What paying `chosen` would cost: the same fee quote and checks chat makes before it signs. Without
// a known payer the fee is estimated for no one in particular and the balance is not known.
void JudgeCost(QuoteReport& report, const protocol::ChallengeVerdict& chosen, const PaymentSettings& settings,
               const Services& services) {
  if (!chosen.charge || chosen.charge->mode == protocol::PayMode::kProof) return;
  const protocol::ChargeRequest& charge = chosen.charge->request;
  net::TransportLimits limits;
  limits.connect_timeout_ms = 3'000;
  limits.total_timeout_ms = 10'000;
  std::unique_ptr<net::HttpTransport> transport = services.transport(limits);
  tempo::RpcClient rpc(settings.rpc_url, *transport);
  const std::optional<crypto::Address> payer = KnownPayer(settings, services.env);
  auto draft = protocol::BuildChargeTransaction(chosen.challenge, charge, {}, report.now);
  auto fee = protocol::QuoteFees(&rpc, charge.chain_id, payer.value_or(crypto::Address{}), charge.currency,
                                 draft, chosen.charge->mode != protocol::PayMode::kPullSponsored);
  if (!fee) {
    report.cost_refusal = fee.error().message;
    return;
  }
  if (!payer) fee->balance.reset();
  report.fee = *fee;
  const protocol::CostContext cost{charge.amount, charge.currency, charge.chain_id,
                                   payer.value_or(crypto::Address{}), settings.rpc_url};
  if (auto allowed = protocol::CheckCost(*fee, cost, settings.policy); !allowed)
    report.cost_refusal = allowed.error().message;
}

}  // namespace

QuoteReport JudgeQuote(const net::HttpRequest& request, const net::HttpResponse& response,
                       const PaymentSettings& settings, const Services& services) {
  QuoteReport report;
  report.http_method = request.method;
  report.url = request.url;
  report.status = response.status;
  report.now = services.now();
  if (!request.body.empty()) {
    report.body_bytes = request.body.size();
    report.body_model = ModelOf(request.body);
  }
  if (response.status != 402) return report;
  protocol::ChallengeList parsed = protocol::ParseChallenges(response.HeaderValues("WWW-Authenticate"));
  report.verdicts = protocol::EvaluateChallenges(parsed.challenges, settings.policy, report.now);
  report.rejected = std::move(parsed.rejected);
  report.more_rejected = parsed.more_rejected;
  const protocol::ChallengeVerdict* chosen = protocol::ChooseChallenge(report.verdicts, settings.policy);
  if (chosen != nullptr) {
    report.chosen = static_cast<std::size_t>(chosen - report.verdicts.data());
    JudgeCost(report, *chosen, settings, services);
    const U256 fee = report.fee ? report.fee->max_fee : U256();
    report.budget_refusal =
        BudgetRefusal(settings, U256::SaturatingAdd(chosen->amount, fee), report.now, services.env);
  }
  report.choices = protocol::ExplainChoices(report.verdicts, chosen, settings.policy);
  return report;
}

namespace {

Status Run(const QuoteOptions& given, Io& io, const Services& services) {
  QuoteOptions o = given;
  if (auto templated = ApplyTemplateFlags(o.templates, o.service, o.request, services.env); !templated)
    return templated;
  auto target = ResolveServiceTarget(o.service, o.payment, services.env);
  if (!target) return target.error();
  if (o.method.empty() && o.data.empty() && !o.discover) {
    if (auto applied = ApplyModelSettingsFile(target->service, o.request, services.env); !applied)
      return applied;
  }
  const llm::Service* service = &target->service;
  const PaymentSettings* settings = &target->settings;
  auto context = PayContext::Open(*settings, services);
  if (!context) return context.error();
  if (o.discover) return RunDiscover((*context)->flow(), *service, o.json, io);
  if (!o.batch.empty())
    return RunQuoteBatchCommand(o.batch, o.jobs, o.request, *service, *settings, o.json, io, services);

  auto request = ProbeRequest(o, *service, io, services);
  if (!request) return request.error();
  auto response = (*context)->flow().Probe(*request);  // never pays
  if (!response) return response.error();
  if (response->status != 402 && !IsSuccess(*response)) return UnpaidAnswerError(*response, request->url);

  QuoteReport report = JudgeQuote(*request, *response, *settings, services);
  io.out << (o.json ? RenderQuoteJson(report) : RenderQuoteText(report));
  if (!HasPrice(report)) {
    return MakeError(ErrorKind::kNetwork,
                     "no price: the 402 from " + request->url + " carried no usable Payment challenge");
  }
  return {};
}

}  // namespace

Action SetupQuote(CLI::App& sub) {
  auto options = std::make_shared<QuoteOptions>();
  AddServiceFlags(sub, options->service, "Any MPP endpoint (full URL) instead of a service's chat endpoint");
  AddRequestFlags(sub, options->request);
  AddTemplateFlags(sub, options->templates, /*with_save=*/false);
  sub.add_option("-X,--request", options->method,
                 "HTTP method of a request sent as given (default GET, or POST with --data)");
  sub.add_option("--data", options->data, "Body of a request sent as given; @FILE reads a file, @- stdin");
  sub.add_flag("--json", options->json, "One JSON object on stdout instead of the table");
  sub.add_flag("--discover", options->discover,
               "Read the prices the service publishes in /openapi.json (x-payment-info); no probe");
  auto* batch = sub.add_option("--batch", options->batch,
                               "JSONL file ('-' for stdin) as chat --batch takes: the price of every line, "
                               "the total and the worst case with fees; each distinct request probed once");
  sub.add_option("-j,--jobs", options->jobs, "Probes in flight at once with --batch (default 1)")
      ->check(CLI::Range(1, kMaxJobs))
      ->needs(batch);
  batch->excludes(sub.get_option("--discover"))
      ->excludes(sub.get_option("--data"))
      ->excludes(sub.get_option("-X"));
  AddPaymentFlags(sub, options->payment);
  sub.footer(
      "Sends the request once and never pays; needs no key. Shows every challenge offered and whether\n"
      "mpp would pay it under the current caps (--max-amount, --daily-limit, currencies, network), and\n"
      "why each one was or was not chosen. The request is the one chat would send for these flags:\n"
      "prices depend on the body (model, token limit), so the quote is for that body.\n"
      "Exits 0 when a price was obtained (\"free\" when the service answered without a 402).\n"
      "\n"
      "Examples:\n"
      "  mpp quote --service groq \"hello\"\n"
      "  mpp quote -t review -p lang C \"x\"\n"
      "  mpp quote --service openai --json | jq '.challenges[0].amount'\n"
      "  mpp quote --service groq --batch prompts.jsonl -j 4\n"
      "  mpp quote --url https://openrouter.mpp.tempo.xyz/v1/chat/completions --discover");
  return [options](Io& io, const Services& services) -> Status {
    msg::SetVerbosity(options->payment.verbosity);
    return Run(*options, io, services);
  };
}

}  // namespace mpp::cli
