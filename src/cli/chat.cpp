#include "cli/chat.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <memory>

#include "cli/chat_batch.h"
#include "cli/chat_call.h"
#include "cli/chat_conversation.h"
#include "cli/chat_raw.h"
#include "cli/chat_render.h"
#include "cli/config.h"
#include "cli/input_guard.h"
#include "cli/output_sink.h"
#include "cli/pay_context.h"
#include "cli/progress.h"
#include "cli/request_flags.h"
#include "cli/service_flags.h"
#include "util/amount.h"
#include "util/message.h"
#include "util/stdin.h"

namespace mpp::cli {
namespace {

constexpr std::size_t kListedConversations = 20;

struct ChatOptions {
  ServiceFlags service;
  RequestFlags request;
  PaymentFlags payment;
  bool raw = false;
  std::string batch;
  int jobs = 1;
  int max_failures = kDefaultMaxFailures;
  bool continue_last = false;
  std::string cid;
  bool list = false;
  bool no_log = false;
  std::string max_input;  // a byte size; empty: kDefaultMaxInputBytes
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
  auto input = ReadBatchInput(o.batch, io);
  if (!input) return input.error();
  BatchJob job{service,
               std::move(*params),
               settings,
               o.jobs,
               ProgressWanted(io.stderr_is_tty, msg::Verbosity(), services.env),
               o.max_failures,
               *max_input};
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

Status RunSingle(const ChatOptions& o, const llm::Service& service, const PaymentSettings& settings, Io& io,
                 const Services& services) {
  auto params = ToChatParams(o.request);
  if (!params) return params.error();
  auto piped = ReadPipedStdin(io);
  if (!piped) return piped.error();
  std::optional<std::string> stdin_text = std::move(*piped);

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
  auto paying = GuardInput(*request, conversation.history, o.max_input, settings);
  if (!paying) return paying.error();
  auto context = PayContext::Open(*paying, services);
  if (!context) return context.error();
  (*context)->ReconcileEarlierPayments();

  OutputSink out(io.out);
  char last = '\n';
  ChatCallHooks hooks;
  hooks.unwrap_envelope = service.success_envelope;
  if (o.raw) {
    hooks.on_body = [&out](std::string_view bytes) { out.Write(bytes); };
  } else {
    hooks.on_text = [&out, &last](std::string_view text) {
      if (text.empty()) return;
      out.Write(text);
      last = text.back();
    };
  }
  auto call = PerformChat((*context)->flow(), ChatHttpRequest(llm::ChatUrl(service), request->body), hooks);
  if (!call) return call.error();  // stdout keeps exactly what arrived
  if (last != '\n') out.Write("\n");
  if (!call->answer) {
    if (!o.raw) return UnreadableAnswerError(*call);
    msg::Verbose("the answer is not a chat completion (" + call->answer_error->message + "); not logged");
  }
  if (call->answer && !o.no_log) LogExchange(dir, conversation.id, service, *request, *call, services.now());
  if (call->answer && uses_log) msg::Verbose("conversation " + conversation.id);
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

Status Run(const ChatOptions& given, Io& io, const Services& services) {
  if (given.list) return RunList(io, services);
  ChatOptions o = given;
  if (given.batch.empty() && (given.continue_last || !given.cid.empty())) {
    auto continued = ContinuingOptions(given, services.env);
    if (!continued) return continued.error();
    o = std::move(*continued);
  }
  auto target = ResolveServiceTarget(o.service, o.payment, services.env);
  if (!target) return target.error();
  if (!o.batch.empty()) return RunBatchCommand(o, target->service, target->settings, io, services);
  if (IsPassthrough(o)) {
    auto max_input = ResolveMaxInput(o.max_input);
    if (!max_input) return max_input.error();
    return RunRawPassthrough(llm::ChatUrl(target->service), target->settings, *max_input, io, services);
  }
  return RunSingle(o, target->service, target->settings, io, services);
}

}  // namespace

Action SetupChat(CLI::App& sub) {
  auto options = std::make_shared<ChatOptions>();
  AddServiceFlags(sub, options->service,
                  "Any OpenAI-compatible MPP chat endpoint (full URL) instead of a service");
  AddRequestFlags(sub, options->request);
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
  auto* cont = sub.add_flag("-c,--continue", options->continue_last, "Continue the last conversation")
                   ->group("Conversation");
  auto* cid = sub.add_option("--cid", options->cid, "Continue conversation ID")->group("Conversation");
  sub.add_flag("--list", options->list, "List recent conversations and exit")->group("Conversation");
  sub.add_flag("--no-log", options->no_log, "Do not record this exchange in the conversation log")
      ->group("Conversation");
  cont->excludes(cid);
  batch->excludes(cont)->excludes(cid);
  batch->excludes(sub.get_option("--raw"));
  sub.add_option("--max-input", options->max_input,
                 "Refuse, before anything is sent, a request larger than this (bytes, or with K, M or G; "
                 "default 1M, about 250,000 tokens)")
      ->type_name("SIZE");
  AddPaymentFlags(sub, options->payment);
  AddConfirmFlag(sub, options->payment);
  sub.footer(
      "Output: the completion on stdout as it streams, then a newline; model, tokens and payment on\n"
      "stderr with -v or when stderr is a terminal. Conversations are logged under <data "
      "dir>/conversations.\n"
      "\n"
      "Examples:\n"
      "  git diff | mpp chat \"review this\"\n"
      "  mpp chat --service openai -m gpt-4o-mini -s \"answer briefly\" \"what is MPP?\" && mpp chat -c "
      "\"and Tempo?\"\n"
      "  mpp chat --service groq --batch prompts.jsonl -j 4 > answers.jsonl\n"
      "  mpp chat --confirm --retries 4 \"summarize this\" < report.txt");
  return [options](Io& io, const Services& services) -> Status {
    msg::SetVerbosity(options->payment.verbosity);
    return Run(*options, io, services);
  };
}

}  // namespace mpp::cli
