#include "cli/chat.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>

#include "cli/call_report.h"
#include "cli/chat_batch.h"
#include "cli/chat_call.h"
#include "cli/chat_conversation.h"
#include "cli/chat_inputs.h"
#include "cli/chat_raw.h"
#include "cli/chat_render.h"
#include "cli/config.h"
#include "cli/input_guard.h"
#include "cli/model_settings.h"
#include "cli/output_sink.h"
#include "cli/pay_context.h"
#include "cli/progress.h"
#include "cli/published_price.h"
#include "cli/quote_compare.h"
#include "cli/request_flags.h"
#include "cli/service_flags.h"
#include "cli/template_flags.h"
#include "llm/code_blocks.h"
#include "util/amount.h"
#include "util/clock.h"
#include "util/message.h"
#include "util/stdin.h"

namespace mpp::cli {
namespace {

constexpr std::size_t kListedConversations = 20;

struct ChatOptions {
  ServiceFlags service;
  RequestFlags request;
  TemplateFlags templates;
  PaymentFlags payment;
  bool raw = false;
  std::string batch;
  int jobs = 1;
  int max_failures = kDefaultMaxFailures;
  std::string budget;  // --budget, token units; empty: none
  bool continue_last = false;
  std::string cid;
  bool list = false;
  bool no_log = false;
  bool json = false;          // one JSON object on stdout (CallReport) instead of the text
  bool extract = false;       // -x: only the first fenced code block
  bool extract_last = false;  // --extract-last: only the last one
  std::string max_input;      // a byte size; empty: kDefaultMaxInputBytes
  CompareFlags compare;       // --cheapest, --services
};

bool ShowSummary(const Io& io) { return msg::Verbosity() > 0 || io.stderr_is_tty; }

// The original `--raw` mode: a JSON request on stdin, sent as is, when nothing asks to change it.
bool IsPassthrough(const ChatOptions& o) {
  return o.raw && o.request.prompt.empty() && !ShapesRequest(o.request) && !o.request.no_stream &&
         !o.continue_last && o.cid.empty();
}

Status RunList(Io& io, const Services& services) {
  auto dir = ConversationsDir(services.env);
  if (!dir) return dir.error();
  auto list = llm::ListConversations(*dir, kListedConversations);
  if (!list) return list.error();
  io.out << RenderConversationList(*list);
  return {};
}

Result<std::string> ReadBatchInput(const std::string& file, Io& io) {
  if (file == "-") return ReadAll(io.in);
  std::ifstream in(file, std::ios::binary);
  if (!in) return MakeError(ErrorKind::kUsage, "--batch " + file + ": cannot read the file");
  return ReadAll(in);
}

Status RunBatchCommand(const ChatOptions& o, const llm::Service& service, const PaymentSettings& settings,
                       Io& io, const Services& services) {
  if (!o.request.prompt.empty()) {
    return MakeError(ErrorKind::kUsage,
                     "--batch takes its prompts from the file; give a shared instruction with -s instead");
  }
  auto params = ToChatParams(o.request);
  if (!params) return params.error();
  params->stream = false;  // nothing is shown until a line is done: one JSON answer per call is simpler
  auto max_input = ResolveMaxInput(o.max_input);
  if (!max_input) return max_input.error();
  if (std::find(o.request.files.begin(), o.request.files.end(), "-") != o.request.files.end()) {
    return MakeError(ErrorKind::kUsage, "-f - does not go with --batch; name the file instead");
  }
  std::optional<std::string> no_stdin;
  if (auto added = AddFileInputs(o.request, *params, no_stdin, services); !added) return added.error();
  auto input = ReadBatchInput(o.batch, io);
  if (!input) return input.error();
  BatchJob job{service,
               std::move(*params),
               settings,
               o.jobs,
               ProgressWanted(io.stderr_is_tty, msg::Verbosity(), services.env),
               o.max_failures,
               *max_input,
               o.templates.name,
               std::nullopt,
               {}};
  if (!o.budget.empty()) {
    job.budget = ParseTokenAmount(o.budget);
    if (!job.budget) {
      return MakeError(ErrorKind::kUsage,
                       "--budget " + o.budget + ": expected an amount in token units, such as 0.5");
    }
    job.budget_text = o.budget;
  }
  OutputSink out(io.out);
  return RunBatch(job, *input, out, services);
}

void LogExchange(const std::filesystem::path& dir, const std::string& id, const llm::Service& service,
                 const llm::ChatRequest& request, const ChatCallResult& call, std::int64_t now) {
  llm::ExchangeRecord record;
  record.unix_time = now;
  record.service = service.name;
  record.model = call.answer->model.empty() ? request.model : call.answer->model;
  record.requested_model = request.model;
  record.url = llm::ChatUrl(service);
  record.messages = request.new_messages;
  record.response = call.answer->text;
  record.usage = call.answer->usage;
  if (call.payment) {
    record.paid = FormatTokenAmount(call.payment->amount);
    record.tx = call.payment->tx_hash;
  }
  if (auto logged = llm::AppendExchange(dir, id, record); !logged) {
    msg::Warning("the conversation was not logged: " + logged.error().message);
  }
}

// What -x/--extract-last print of `text`: the code of its first (last) fenced block, or, when it has
// none, the whole text (as llm does), ending in a newline.
std::string Extracted(const std::string& text, bool last) {
  if (auto code = llm::ExtractFencedCode(text, last)) return *code;
  msg::Verbose("the answer holds no fenced code block; printing all of it");
  return text.empty() || text.ends_with('\n') ? text : text + "\n";
}

// Fills `report` as it learns, so that a failure in --json mode can still say where it happened.
Status RunSingle(const ChatOptions& o, const llm::Service& service, const PaymentSettings& settings, Io& io,
                 const Services& services, CallReport& report) {
  const auto start = std::chrono::steady_clock::now();
  report.service = service.name;
  report.url = llm::ChatUrl(service);
  auto params = ToChatParams(o.request);
  if (!params) return params.error();
  auto piped = ReadPipedStdin(io);
  if (!piped) return piped.error();
  std::optional<std::string> stdin_text = std::move(*piped);
  if (auto added = AddFileInputs(o.request, *params, stdin_text, services); !added) return added.error();

  std::filesystem::path dir;
  ConversationChoice conversation;
  bool uses_log = !o.no_log || o.continue_last || !o.cid.empty();
  if (uses_log) {
    auto found = ConversationsDir(services.env);
    if (!found) return found.error();
    dir = std::move(*found);
    auto chosen = ChooseConversation(dir, o.continue_last, o.cid, services.now());
    if (!chosen) return chosen.error();
    conversation = std::move(*chosen);
  }

  std::optional<std::string_view> stdin_view;
  if (stdin_text) stdin_view = *stdin_text;
  auto request = llm::BuildChatRequest(service, *params, stdin_view, conversation.history);
  if (!request) return request.error();
  report.model = request->model;
  auto paying = GuardInput(*request, conversation.history, o.max_input, settings);
  if (!paying) return paying.error();
  auto context = PayContext::Open(*paying, services);
  if (!context) return context.error();
  (*context)->ReconcileEarlierPayments();
  (*context)->SetPaymentTags({request->model, o.no_log ? "" : conversation.id, o.templates.name});
  (*context)->CheckBeforePaying(DriftHook(
      CollectPublishedPrices(o.templates.name, llm::ChatUrl(service), *paying, (*context)->flow(), services),
      paying->max_drift, service.name));

  // The text is shown as it streams, unless only part of it is wanted (-x) or it goes into JSON.
  const bool buffered = o.json || o.extract || o.extract_last;
  OutputSink out(io.out);
  char last = '\n';
  ChatCallHooks hooks;
  hooks.unwrap_envelope = service.success_envelope;
  if (o.raw) {
    hooks.on_body = [&out](std::string_view bytes) { out.Write(bytes); };
  } else {
    hooks.on_text = [&](std::string_view text) {
      if (text.empty()) return;
      if (!report.first_output_ms) report.first_output_ms = MillisSince(start);
      if (buffered) return;  // the assembled answer has it all
      out.Write(text);
      last = text.back();
    };
  }
  auto call = PerformChat((*context)->flow(), ChatHttpRequest(llm::ChatUrl(service), request->body), hooks);
  report.total_ms = MillisSince(start);
  if (!call) return call.error();  // stdout keeps exactly what arrived
  report.payment = call->payment;
  if (call->payment && call->payment->moved_funds && !o.templates.name.empty()) {
    RecordTemplatePrice(o.templates.name, call->payment->amount, call->payment->currency.ToChecksumHex(),
                        call->payment->channel ? "session" : "charge", services.env);
  }
  if (!buffered && last != '\n') out.Write("\n");
  if (!call->answer) {
    if (!o.raw) return UnreadableAnswerError(*call);
    msg::Verbose("the answer is not a chat completion (" + call->answer_error->message + "); not logged");
  }
  if (call->answer) {
    if (!call->answer->model.empty()) report.model = call->answer->model;
    report.usage = call->answer->usage;
    if (const auto& usage = call->answer->usage; usage && call->payment) {
      (*context)->RecordUsage(*call->payment,
                              {usage->prompt_tokens, usage->completion_tokens, usage->total_tokens});
    }
  }
  if (call->answer && !o.no_log) {
    LogExchange(dir, conversation.id, service, *request, *call, services.now());
    report.conversation = conversation.id;
  }
  if (call->answer && uses_log) msg::Verbose("conversation " + conversation.id);
  if (buffered && call->answer) {
    std::string text = call->answer->text;
    if (o.extract || o.extract_last) text = Extracted(text, o.extract_last);
    if (o.json) {
      report.output = std::move(text);
      out.Write(FormatCallReport(report));
    } else {
      out.Write(text);
    }
  }
  if (!out.failure().empty()) {
    // The answer is in the conversation log (unless --no-log), but the user never saw it.
    if (call->payment) return (*context)->AnswerLost(*call->payment, out.failure());
    return MakeError(ErrorKind::kUnexpected, out.failure());
  }
  if (ShowSummary(io)) {
    std::string model = call->answer && !call->answer->model.empty() ? call->answer->model : request->model;
    std::optional<llm::Usage> usage = call->answer ? call->answer->usage : std::nullopt;
    msg::Info(ChatSummaryLine(model, usage, call->payment));
  }
  return {};
}

// -c/--cid: the options with the conversation's own service, endpoint and model where no flag chose
// them, and the conversation's id pinned (so "the last one" cannot change under us).
Result<ChatOptions> ContinuingOptions(const ChatOptions& o, const wallet::EnvLookup& env) {
  auto dir = ConversationsDir(env);
  if (!dir) return dir.error();
  auto origin = FindConversationOrigin(*dir, o.continue_last, o.cid);
  if (!origin) return origin.error();
  auto config = LoadConfig(o.payment.config_file, env);
  if (!config) return config.error();
  ContinuedTarget target = ContinueOn(*origin, o.service, o.request.model, *config);
  for (const auto& note : target.notes) msg::Verbose(note);
  ChatOptions continued = o;
  continued.service = std::move(target.service);
  continued.request.model = std::move(target.model);
  continued.cid = origin->id;
  continued.continue_last = false;
  return continued;
}

Status Run(const ChatOptions& given, Io& io, const Services& services, CallReport& report) {
  if (given.list) return RunList(io, services);
  ChatOptions o = given;
  // The template goes under the flags before anything reads them; --save stops there.
  if (auto templated = ApplyTemplateFlags(o.templates, o.service, o.request, services.env); !templated)
    return templated;
  if (!o.templates.save.empty()) return SaveTemplateFlags(o.templates, o.service, o.request, services.env);
  // --cheapest: the comparison picks the service and model; the stdin it read goes to the paid call.
  std::istringstream replayed;
  Io replay_io{replayed, io.out, io.err, io.stdin_is_tty, io.stdout_is_tty, io.stderr_is_tty};
  Io* call_io = &io;
  if (o.compare.enabled) {
    auto cheapest = ChooseCheapest(o.compare, o.request, o.payment, io, services);
    if (!cheapest) return cheapest.error();
    o.service.service = cheapest->service;
    o.request.model = cheapest->model;
    replayed.str(cheapest->stdin_text.value_or(""));
    call_io = &replay_io;
  }
  if (o.batch.empty() && (o.continue_last || !o.cid.empty())) {
    auto continued = ContinuingOptions(o, services.env);
    if (!continued) return continued.error();
    o = std::move(*continued);
  }
  auto target = ResolveServiceTarget(o.service, o.payment, services.env);
  if (!target) return target.error();
  // Aliases, the default model and per-model options; a request sent byte for byte takes none.
  if (!o.batch.empty() || !IsPassthrough(o)) {
    if (auto applied = ApplyModelSettingsFile(target->service, o.request, services.env); !applied)
      return applied;
  }
  if (!o.batch.empty()) return RunBatchCommand(o, target->service, target->settings, io, services);
  if (IsPassthrough(o)) {
    auto max_input = ResolveMaxInput(o.max_input);
    if (!max_input) return max_input.error();
    return RunRawPassthrough(llm::ChatUrl(target->service), target->settings, *max_input, io, services);
  }
  return RunSingle(o, target->service, target->settings, *call_io, services, report);
}

}  // namespace

Action SetupChat(CLI::App& sub) {
  auto options = std::make_shared<ChatOptions>();
  AddServiceFlags(sub, options->service,
                  "Any OpenAI-compatible MPP chat endpoint (full URL) instead of a service");
  AddRequestFlags(sub, options->request);
  AddTemplateFlags(sub, options->templates, /*with_save=*/true);
  sub.add_flag(
      "--raw", options->raw,
      "Write the response body unchanged (JSON, or the event stream); a JSON request on stdin with no "
      "prompt or request flags is sent byte for byte");
  auto* batch = sub.add_option("--batch", options->batch,
                               "JSONL file ('-' for stdin): a prompt string or request object per line; "
                               "writes {index, output|error, paid, tx} per line, in order")
                    ->group("Batch");
  sub.add_option("-j,--jobs", options->jobs, "Calls in flight at once with --batch (default 1)")
      ->check(CLI::Range(1, kMaxJobs))
      ->needs(batch)
      ->group("Batch");
  sub.add_option("--max-failures", options->max_failures,
                 "With --batch: stop paying after N answers in a row were paid but refused or not "
                 "delivered, skipping the remaining lines, exit 4 (default 3; 0: never stop)")
      ->check(CLI::Range(0, 1'000'000))
      ->needs(batch)
      ->group("Batch");
  sub.add_option("--budget", options->budget,
                 "With --batch: the most the whole batch may spend, fees included (token units); lines "
                 "that would go over it are skipped, exit 5")
      ->type_name("AMOUNT")
      ->needs(batch)
      ->group("Batch");
  auto* cont = sub.add_flag("-c,--continue", options->continue_last, "Continue the last conversation")
                   ->group("Conversation");
  auto* cid = sub.add_option("--cid", options->cid, "Continue conversation ID")->group("Conversation");
  sub.add_flag("--list", options->list, "List recent conversations and exit")->group("Conversation");
  sub.add_flag("--no-log", options->no_log, "Do not record this exchange in the conversation log")
      ->group("Conversation");
  auto* json = sub.add_flag("--json", options->json,
                            "One JSON object on stdout: output, model, usage, service, url, conversation, "
                            "timings and what was paid (intent, paid, fee, token, tx or channel); errors too")
                   ->group("Output");
  auto* extract =
      sub.add_flag("-x,--extract", options->extract, "Print only the code in the answer's first fenced block")
          ->group("Output");
  auto* extract_last = sub.add_flag("--extract-last", options->extract_last,
                                    "Print only the code in the answer's last fenced block")
                           ->group("Output");
  extract->excludes(extract_last);
  json->excludes(sub.get_option("--raw"));
  extract->excludes(sub.get_option("--raw"));
  extract_last->excludes(sub.get_option("--raw"));
  batch->excludes(extract)->excludes(extract_last);
  cont->excludes(cid);
  batch->excludes(cont)->excludes(cid);
  batch->excludes(sub.get_option("--raw"));
  sub.add_option("--max-input", options->max_input,
                 "Refuse, before anything is sent, a request larger than this (bytes, or with K, M or G; "
                 "default 1M, about 250,000 tokens)")
      ->type_name("SIZE");
  AddCompareFlags(sub, options->compare, "--cheapest",
                  "Compare the services first (as 'mpp quote --compare'), then pay the cheapest that fits "
                  "the caps, among --services and the models given with -m; stderr says which and why",
                  {"--url", "--service", "--base-url", "--batch", "--raw", "--continue", "--cid", "--list"});
  AddPaymentFlags(sub, options->payment);
  AddConfirmFlag(sub, options->payment);
  AddMaxDriftFlag(sub, options->payment);
  sub.footer(
      "Output: the completion on stdout as it streams, then a newline; model, tokens and payment on\n"
      "stderr with -v or when stderr is a terminal. Conversations are logged under <data "
      "dir>/conversations.\n"
      "\n"
      "Examples:\n"
      "  git diff | mpp chat \"review this\"\n"
      "  git diff | mpp chat -f RULES.md \"review\"     # the diff, then RULES.md (named), then the prompt\n"
      "  mpp chat -x \"a bash one-liner that counts lines in *.c\" > count.sh\n"
      "  mpp chat --json \"hello\" | jq '{output, paid, fee, tx}'\n"
      "  mpp chat --service openai -a diagram.png \"explain this diagram\"\n"
      "  mpp chat --service openai -m gpt-4o-mini -s \"answer briefly\" \"what is MPP?\" && mpp chat -c "
      "\"and Tempo?\"\n"
      "  mpp chat --service groq --batch prompts.jsonl -j 4 > answers.jsonl\n"
      "  mpp chat --service groq --batch prompts.jsonl -j 4 --budget 0.5 > answers.jsonl\n"
      "  mpp chat --save review --service openai -m gpt-4o-mini -s 'Review this $lang code'\n"
      "  git diff | mpp chat -t review -p lang C++\n"
      "  mpp chat --confirm --retries 4 \"summarize this\" < report.txt\n"
      "  mpp chat --cheapest --max-amount 0.01 \"hello\"\n"
      "  mpp chat --max-drift 10% \"hello\"              # refuse a 402 10% above the published price");
  return [options](Io& io, const Services& services) -> Status {
    msg::SetVerbosity(options->payment.verbosity);
    if (auto one = CheckOneModel(options->request, options->compare, "--cheapest"); !one) return one;
    CallReport report;
    Status status = Run(*options, io, services, report);
    // --json: a failure is a JSON object on stdout too (the message also goes to stderr, the exit
    // code is the same). Not for --batch, whose lines carry their own errors.
    if (!status.ok() && options->json && options->batch.empty()) {
      report.error = status.error();
      io.out << FormatCallReport(report);
    }
    return status;
  };
}

}  // namespace mpp::cli
