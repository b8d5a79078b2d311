#include "cli/request_flags.h"

#include <CLI/CLI.hpp>
#include <fstream>

#include "util/stdin.h"

namespace mpp::cli {

void AddRequestFlags(CLI::App& app, RequestFlags& flags) {
  app.add_option("prompt", flags.prompt,
                 "The prompt (words are joined by spaces); piped stdin text comes first");
  app.add_option("-m,--model", flags.model, "Model id (default: the request's, else the service's)")
      ->group("Request");
  app.add_option("-s,--system", flags.system, "System prompt")->group("Request");
  app.add_option("--max-tokens", flags.max_tokens, "Most tokens to generate (sent as the service's field)")
      ->group("Request");
  app.add_option("--temperature", flags.temperature, "Sampling temperature, 0 to 2")->group("Request");
  app.add_option("--top-p", flags.top_p, "Nucleus sampling, 0 to 1")->group("Request");
  app.add_option("--stop", flags.stops, "Stop sequence (repeatable)")
      ->allow_extra_args(false)
      ->group("Request");
  app.add_option("--seed", flags.seed, "Sampling seed")->group("Request");
  app.add_option("-o,--option", flags.options,
                 "Set any request field: KEY=VALUE, VALUE as JSON when it parses (repeatable)")
      ->allow_extra_args(false)
      ->group("Request");
  app.add_option("--schema", flags.schema_file, "JSON Schema file for structured output (response_format)")
      ->group("Request");
  app.add_flag("--no-stream", flags.no_stream, "Ask for one JSON answer instead of a stream")
      ->group("Request");
  app.add_option("-f,--file", flags.files,
                 "Add a text file (or an http(s) URL's body, fetched without paying; - for stdin) before "
                 "the prompt, with its name (repeatable; 1 MiB each)")
      ->allow_extra_args(false)
      ->group("Request");
  app.add_option("-a,--attach", flags.attachments,
                 "Attach an image: a PNG, JPEG, GIF or WebP file (sent as a data: URL) or an http(s) URL "
                 "(repeatable; 10 MiB each)")
      ->allow_extra_args(false)
      ->group("Request");
}

bool ShapesRequest(const RequestFlags& flags) {
  return !flags.model.empty() || flags.system || flags.max_tokens || flags.temperature || flags.top_p ||
         !flags.stops.empty() || flags.seed || !flags.options.empty() || !flags.schema_file.empty() ||
         !flags.files.empty() || !flags.attachments.empty();
}

Result<llm::ChatParams> ToChatParams(const RequestFlags& flags) {
  llm::ChatParams params;
  params.model = flags.model;
  params.system = flags.system;
  params.prompt = flags.prompt;
  params.max_tokens = flags.max_tokens;
  params.temperature = flags.temperature;
  params.top_p = flags.top_p;
  params.stops = flags.stops;
  params.seed = flags.seed;
  params.options = flags.options;
  params.stream = !flags.no_stream;
  if (!flags.schema_file.empty()) {
    std::ifstream in(flags.schema_file, std::ios::binary);
    if (!in) return MakeError(ErrorKind::kUsage, "--schema " + flags.schema_file + ": cannot read the file");
    auto text = ReadAll(in, 1024 * 1024);
    if (!text)
      return MakeError(ErrorKind::kUsage, "--schema " + flags.schema_file + ": " + text.error().message);
    params.schema_json = std::move(*text);
  }
  return params;
}

Result<std::optional<std::string>> ReadPipedStdin(Io& io) {
  if (io.stdin_is_tty) return std::optional<std::string>();
  auto text = ReadAll(io.in);
  if (!text) return text.error();
  return std::optional<std::string>(std::move(*text));
}

}  // namespace mpp::cli
