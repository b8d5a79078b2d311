#include "cli/quote_batch.h"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <thread>

#include "cli/chat_call.h"
#include "cli/chat_inputs.h"
#include "cli/http_error.h"
#include "cli/pay_context.h"
#include "cli/quote_fields.h"
#include "cli/quote_judge.h"
#include "llm/batch.h"
#include "util/amount.h"
#include "util/interrupt.h"
#include "util/json_writer.h"
#include "util/message.h"
#include "util/stdin.h"

namespace mpp::cli {
namespace {

// The request chat --batch would send for `line`, or why there is none.
Result<net::HttpRequest> BatchLineRequest(const QuoteBatchJob& job, const llm::BatchLine& line) {
  auto item = llm::ParseBatchLine(line);
  if (!item) return item.error();
  llm::ChatParams params = job.params;
  std::optional<std::string_view> stdin_text;
  if (item->kind == llm::BatchItem::Kind::kPrompt) {
    params.prompt = {item->prompt};
  } else {
    stdin_text = item->request_json;
  }
  auto request = llm::BuildChatRequest(job.service, params, stdin_text, {});
  if (!request) {
    return MakeError(request.error().kind,
                     "batch line " + std::to_string(line.line_number) + ": " + request.error().message);
  }
  return ChatHttpRequest(llm::ChatUrl(job.service), std::move(request->body));
}

// A distinct request and what its probe found.
struct QuoteProbe {
  net::HttpRequest request;
  std::optional<QuoteReport> report;
  std::optional<Error> error;
};

void ProbeBatchRequest(protocol::PayFlow& flow, QuoteProbe& probe, const PaymentSettings& settings,
                       const Services& services) {
  if (InterruptRequested()) {
    probe.error = MakeError(ErrorKind::kInterrupted, "interrupted");
    return;
  }
  auto response = flow.Probe(probe.request);  // never pays
  if (!response) {
    probe.error = response.error();
    return;
  }
  if (response->status != 402 && !IsSuccess(*response)) {
    probe.error = UnpaidAnswerError(*response, probe.request.url);
    return;
  }
  probe.report = JudgeQuote(probe.request, *response, settings, services);
}

// A line's quote from its probe's findings.
BatchQuoteLine QuotedLine(BatchQuoteLine line, const QuoteProbe& probe) {
  if (probe.error) {
    line.error = probe.error;
    return line;
  }
  const QuoteReport& report = *probe.report;
  line.model = report.body_model;
  if (report.status != 402) {
    line.free = true;
    return line;
  }
  if (!report.chosen) {
    std::string why = "the 402 carried no usable Payment challenge";
    if (!report.verdicts.empty())
      why = "mpp would pay none of its challenges: " + report.verdicts.front().reason;
    line.error = MakeError(ErrorKind::kNetwork, "no price: " + why);
    return line;
  }
  const protocol::ChallengeVerdict& chosen = report.verdicts[*report.chosen];
  line.amount = chosen.amount;
  line.currency = chosen.currency.ToChecksumHex();
  if (chosen.charge) line.token = TokenSymbol(chosen.currency, chosen.charge->request.chain_id).value_or("");
  if (report.fee) line.fee_max = report.fee->max_fee;
  line.refusal = ChosenRefusal(report);
  return line;
}

Result<std::string> ReadQuoteBatchFile(const std::string& file, Io& io) {
  if (file == "-") return ReadAll(io.in);
  std::ifstream in(file, std::ios::binary);
  if (!in) return MakeError(ErrorKind::kUsage, "--batch " + file + ": cannot read the file");
  return ReadAll(in);
}

}  // namespace

BatchQuoteSummary SummarizeBatchQuote(const std::vector<BatchQuoteLine>& lines) {
  BatchQuoteSummary summary;
  summary.lines = lines.size();
  std::string currency;
  for (const auto& line : lines) {
    if (line.error) {
      ++summary.failed;
      continue;
    }
    ++summary.quoted;
    summary.total = U256::SaturatingAdd(summary.total, line.amount);
    summary.worst_case =
        U256::SaturatingAdd(summary.worst_case, U256::SaturatingAdd(line.amount, line.fee_max));
    if (line.currency.empty()) continue;
    if (currency.empty()) {
      currency = line.currency;
    } else if (currency != line.currency) {
      summary.mixed_currencies = true;
    }
  }
  return summary;
}

Status RunQuoteBatch(const QuoteBatchJob& job, std::string_view input, Io& io, const Services& services) {
  std::vector<llm::BatchLine> batch = llm::SplitBatchLines(input);
  if (batch.empty())
    return MakeError(ErrorKind::kUsage, "--batch: the input holds no lines (one prompt or request per line)");

  // Identical bodies are probed once: a line points at its distinct request.
  std::vector<BatchQuoteLine> lines(batch.size());
  std::vector<std::optional<std::size_t>> probe_of(batch.size());
  std::vector<QuoteProbe> probes;
  std::map<std::string, std::size_t> by_body;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    lines[i].index = batch[i].index;
    lines[i].line_number = batch[i].line_number;
    auto request = BatchLineRequest(job, batch[i]);
    if (!request) {
      lines[i].error = request.error();
      continue;
    }
    auto [it, added] = by_body.try_emplace(request->body, probes.size());
    if (added) probes.push_back(QuoteProbe{std::move(*request), std::nullopt, std::nullopt});
    probe_of[i] = it->second;
  }

  if (!probes.empty()) {
    const std::size_t workers =
        std::min<std::size_t>(static_cast<std::size_t>(std::max(job.jobs, 1)), probes.size());
    std::vector<std::unique_ptr<PayContext>> contexts;  // protocol::PayFlow is not thread-safe
    for (std::size_t i = 0; i < workers; ++i) {
      auto context = PayContext::Open(job.settings, services);
      if (!context) return context.error();
      contexts.push_back(std::move(*context));
    }
    std::atomic<std::size_t> next{0};
    auto work = [&](protocol::PayFlow& flow) {
      for (std::size_t i = next++; i < probes.size(); i = next++) {
        try {
          ProbeBatchRequest(flow, probes[i], job.settings, services);
        } catch (const std::exception& e) {
          probes[i].error = MakeError(ErrorKind::kUnexpected, std::string("unexpected: ") + e.what());
        }
      }
    };
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < workers; ++i) threads.emplace_back(work, std::ref(contexts[i]->flow()));
    work(contexts[0]->flow());
    for (auto& thread : threads) thread.join();
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (probe_of[i]) lines[i] = QuotedLine(std::move(lines[i]), probes[*probe_of[i]]);
  }

  BatchQuoteSummary summary = SummarizeBatchQuote(lines);
  summary.probes = probes.size();
  if (job.settings.daily_limit) {
    summary.daily_limit = FormatTokenAmount(*job.settings.daily_limit);
    summary.budget_refusal = BudgetRefusal(job.settings, summary.worst_case, services.now(), services.env);
  }
  io.out << (job.json ? RenderBatchQuoteJson(lines, summary) : RenderBatchQuoteText(lines, summary));
  msg::Verbose(std::to_string(summary.probes) + " distinct request(s) probed for " +
               std::to_string(summary.lines) + " line(s)");

  if (summary.failed == 0) return {};
  const auto first =
      std::find_if(lines.begin(), lines.end(), [](const auto& l) { return l.error.has_value(); });
  std::string where;
  if (!first->error->message.starts_with("batch line "))
    where = "line " + std::to_string(first->line_number) + ": ";
  return MakeError(first->error->kind,
                   std::to_string(summary.failed) + " of " + std::to_string(summary.lines) +
                       " batch lines could not be quoted; the first: " + where + first->error->message);
}

Status RunQuoteBatchCommand(const std::string& file, int jobs, const RequestFlags& request,
                            const llm::Service& service, const PaymentSettings& settings, bool json, Io& io,
                            const Services& services) {
  if (!request.prompt.empty()) {
    return MakeError(ErrorKind::kUsage,
                     "--batch takes its prompts from the file; give a shared instruction with -s instead");
  }
  auto params = ToChatParams(request);
  if (!params) return params.error();
  params->stream = false;  // as chat --batch sends it: the price is for that body
  if (std::find(request.files.begin(), request.files.end(), "-") != request.files.end()) {
    return MakeError(ErrorKind::kUsage, "-f - does not go with --batch; name the file instead");
  }
  std::optional<std::string> no_stdin;
  if (auto added = AddFileInputs(request, *params, no_stdin, services); !added) return added.error();
  auto input = ReadQuoteBatchFile(file, io);
  if (!input) return input.error();
  QuoteBatchJob job{service, std::move(*params), settings, jobs, json};
  return RunQuoteBatch(job, *input, io, services);
}

}  // namespace mpp::cli
