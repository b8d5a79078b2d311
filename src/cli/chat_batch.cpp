#include "cli/chat_batch.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "cli/batch_budget.h"
#include "cli/call_report.h"
#include "cli/chat_call.h"
#include "cli/input_guard.h"
#include "cli/key_cache.h"
#include "cli/pay_context.h"
#include "cli/progress.h"
#include "llm/batch.h"
#include "llm/ordered_emitter.h"
#include "util/amount.h"
#include "util/clock.h"
#include "util/interrupt.h"

namespace mpp::cli {
namespace {

// A finished line: its result line's fields; `report.error` and `report.payment` also decide the
// batch's outcome and what the journal must hear if the line cannot be written.
struct LineOutcome {
  CallReport report;
};

LineOutcome Started(const BatchJob& job, std::size_t index) {
  LineOutcome outcome;
  outcome.report.index = index;
  outcome.report.service = job.service.name;
  outcome.report.url = llm::ChatUrl(job.service);
  return outcome;
}

LineOutcome Failed(LineOutcome outcome, Error error,
                   const std::optional<protocol::PaymentSummary>& payment = std::nullopt) {
  outcome.report.error = std::move(error);
  outcome.report.payment = payment;
  return outcome;
}

LineOutcome RunLine(PayContext& context, const BatchJob& job, const llm::BatchLine& line) {
  const auto start = std::chrono::steady_clock::now();
  LineOutcome outcome = Started(job, line.index);
  if (InterruptRequested())
    return Failed(std::move(outcome), MakeError(ErrorKind::kInterrupted, "interrupted"));
  auto item = llm::ParseBatchLine(line);
  if (!item) return Failed(std::move(outcome), item.error());
  llm::ChatParams params = job.params;
  std::optional<std::string_view> stdin_text;
  if (item->kind == llm::BatchItem::Kind::kPrompt) {
    params.prompt = {item->prompt};
  } else {
    stdin_text = item->request_json;
  }
  auto request = llm::BuildChatRequest(job.service, params, stdin_text, {});
  if (request) {
    if (auto fits = CheckInputSize(request->body.size(), {}, job.max_input); !fits) request = fits.error();
  }
  if (!request)
    return Failed(std::move(outcome),
                  MakeError(request.error().kind, "batch line " + std::to_string(line.line_number) + ": " +
                                                      request.error().message));
  outcome.report.model = request->model;
  ChatCallHooks hooks;
  hooks.unwrap_envelope = job.service.success_envelope;
  context.SetPaymentTags({request->model, "", job.template_name});
  auto call = PerformChat(context.flow(),
                          ChatHttpRequest(llm::ChatUrl(job.service), std::move(request->body)), hooks);
  outcome.report.total_ms = MillisSince(start);
  if (!call) return Failed(std::move(outcome), call.error());
  if (!call->answer) return Failed(std::move(outcome), UnreadableAnswerError(*call), call->payment);
  if (!call->answer->model.empty()) outcome.report.model = call->answer->model;
  outcome.report.usage = call->answer->usage;
  if (call->payment && call->answer->usage) {
    const llm::Usage& usage = *call->answer->usage;
    context.RecordUsage(*call->payment, {usage.prompt_tokens, usage.completion_tokens, usage.total_tokens});
  }
  outcome.report.output = std::move(call->answer->text);
  outcome.report.payment = std::move(call->payment);
  return outcome;
}

// Counts paid-but-refused answers in a row, in the order lines finish, and says when to stop paying.
// Shared by the workers.
class RefusalStreak {
 public:
  explicit RefusalStreak(int limit) : limit_(limit) {}

  // Records a finished line: a refusal after payment extends the streak, a success ends it, other
  // failures (nothing paid, outcome unknown) leave it as it is.
  void Finished(const std::optional<Error>& error) {
    std::lock_guard lock(mutex_);
    if (!error) {
      streak_ = 0;
    } else if (error->kind == ErrorKind::kPaymentRefusedByServer && limit_ > 0 && ++streak_ >= limit_) {
      stopped_ = true;
    }
  }
  bool stopped() const {
    std::lock_guard lock(mutex_);
    return stopped_;
  }
  std::string Reason() const {
    return "skipped: the service took payment and then refused or did not deliver " + std::to_string(limit_) +
           " answers in a row, so mpp stopped paying it (--max-failures)";
  }

 private:
  mutable std::mutex mutex_;
  int limit_;
  int streak_ = 0;
  bool stopped_ = false;
};

// True when `error` is the batch budget's refusal (BatchBudget): the line was not paid.
bool IsBudgetRefusal(const std::optional<Error>& error) {
  return error && error->kind == ErrorKind::kPaymentRefusedLocally &&
         error->message.find("the batch budget (--budget ") != std::string::npos;
}

}  // namespace

Status RunBatch(const BatchJob& job, std::string_view input, OutputSink& out, const Services& services) {
  if (!job.settings.dump_credential.empty()) {
    return MakeError(ErrorKind::kUsage,
                     "--dump-credential writes one credential; it does not go with --batch");
  }
  if (job.settings.confirm.source == "--confirm") {
    return MakeError(ErrorKind::kUsage,
                     "--confirm asks before each call; it does not go with --batch (cap each call with "
                     "--max-amount; a confirm_above in the config refuses the lines above it)");
  }
  // Nobody is asked in the middle of a batch: a line above confirm_above is refused.
  PaymentSettings settings = job.settings;
  settings.confirm.may_ask = false;
  std::vector<llm::BatchLine> lines = llm::SplitBatchLines(input);
  if (lines.empty())
    return MakeError(ErrorKind::kUsage, "--batch: the input holds no lines (one prompt or request per line)");
  std::size_t workers = std::min<std::size_t>(static_cast<std::size_t>(std::max(job.jobs, 1)), lines.size());

  auto keys = WalletKeySource(job.settings, services.env);
  if (!keys) return keys.error();
  protocol::KeySource shared_keys = CachingKeySource(std::move(*keys));
  std::optional<BatchBudget> budget;
  if (job.budget) budget.emplace(*job.budget, job.budget_text);
  BatchBudget* shared_budget = budget ? &*budget : nullptr;
  std::vector<std::unique_ptr<PayContext>> contexts;  // protocol::PayFlow is not thread-safe: one per worker
  for (std::size_t i = 0; i < workers; ++i) {
    auto context = PayContext::Open(settings, shared_keys, services, shared_budget);
    if (!context) return context.error();
    contexts.push_back(std::move(*context));
  }
  contexts.front()->ReconcileEarlierPayments();

  llm::OrderedEmitter emitter([&out](std::string_view line) { out.Write(line); });
  ProgressBar progress(job.progress, lines.size());
  std::vector<std::optional<Error>> errors(lines.size());
  std::vector<std::optional<protocol::PaymentSummary>> payments(lines.size());
  std::atomic<std::size_t> next{0};
  RefusalStreak streak(job.max_failures);
  std::atomic<std::size_t> skipped{0};
  std::atomic<std::size_t> budget_skipped{0};
  auto work = [&](PayContext& context) {
    for (std::size_t i = next++; i < lines.size(); i = next++) {
      LineOutcome outcome;
      if (streak.stopped()) {
        outcome = Failed(Started(job, lines[i].index),
                         MakeError(ErrorKind::kPaymentRefusedByServer, streak.Reason()));
        ++skipped;
      } else if (shared_budget != nullptr && shared_budget->spent()) {
        outcome = Failed(Started(job, lines[i].index),
                         MakeError(ErrorKind::kPaymentRefusedLocally, shared_budget->SkipReason()));
        ++budget_skipped;
      } else {
        try {
          outcome = RunLine(context, job, lines[i]);
        } catch (const std::exception& e) {
          outcome = Failed(Started(job, lines[i].index),
                           MakeError(ErrorKind::kUnexpected, std::string("unexpected: ") + e.what()));
        }
        streak.Finished(outcome.report.error);
        if (IsBudgetRefusal(outcome.report.error) && !outcome.report.payment) {
          // Refused before paying: not run, like the lines after it.
          outcome.report.error->message = "skipped: " + outcome.report.error->message;
          ++budget_skipped;
        }
      }
      errors[i] = outcome.report.error;  // each worker writes only its own slots
      payments[i] = outcome.report.payment;
      progress.Advance(errors[i].has_value());
      emitter.Complete(lines[i].index, FormatCallReport(outcome.report));
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < workers; ++i) threads.emplace_back(work, std::ref(*contexts[i]));
  work(*contexts[0]);
  for (auto& thread : threads) thread.join();
  progress.Finish();

  if (!out.failure().empty()) {
    // Lines are written in index order: those from the first one that failed on were lost.
    std::size_t lost = 0;
    std::optional<Error> unnoted;  // the first lost answer the journal could not note
    std::size_t unnoted_count = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].index < out.chunks_written() || !payments[i]) continue;
      ++lost;
      if (auto noted = contexts.front()->RecordAnswerLost(*payments[i], out.failure()); !noted) {
        ++unnoted_count;
        if (!unnoted) unnoted = noted.error();
      }
    }
    std::string journal = "the journal marks them lost; 'mpp wallet history'";
    if (unnoted) {
      journal = "the journal could not note " + std::to_string(unnoted_count) +
                " of them as lost: " + unnoted->message;
    }
    return MakeError(ErrorKind::kUnexpected, out.failure() + "; " + std::to_string(lost) +
                                                 " paid answer(s) could not be written (" + journal + ")");
  }

  std::size_t failed = 0;
  const Error* first = nullptr;
  std::size_t first_line = 0;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    if (!errors[i]) continue;
    if (++failed == 1) {
      first = &*errors[i];
      first_line = lines[i].line_number;
    }
  }
  if (first == nullptr) return {};
  std::string where;
  if (!first->message.starts_with("batch line ")) where = "line " + std::to_string(first_line) + ": ";
  if (skipped > 0) {
    return MakeError(ErrorKind::kPaymentRefusedByServer,
                     "stopped paying after " + std::to_string(job.max_failures) +
                         " paid answers in a row were refused or not delivered; " + std::to_string(skipped) +
                         " of " + std::to_string(lines.size()) +
                         " batch lines skipped; the first failure: " + where + first->message);
  }
  if (budget_skipped > 0) {
    std::string others;
    for (std::size_t i = 0; i < errors.size(); ++i) {
      if (!errors[i] || errors[i]->message.starts_with("skipped: the batch budget")) continue;
      others = "; " + std::to_string(failed - budget_skipped) + " other line(s) failed, the first: line " +
               std::to_string(lines[i].line_number) + ": " + errors[i]->message;
      break;
    }
    return MakeError(ErrorKind::kPaymentRefusedLocally,
                     "stopped at the batch budget (--budget " + job.budget_text +
                         "): " + FormatTokenAmount(budget->committed()) + " paid or reserved with fees; " +
                         std::to_string(budget_skipped) + " of " + std::to_string(lines.size()) +
                         " batch lines skipped" + others);
  }
  return MakeError(first->kind, std::to_string(failed) + " of " + std::to_string(lines.size()) +
                                    " batch lines failed; the first: " + where + first->message);
}

}  // namespace mpp::cli
