// The flags that shape a chat request (prompt, model, sampling, options, schema, streaming), shared by
// `chat` and `quote` so that a quote prices exactly the request chat would send.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "llm/request.h"
#include "util/error.h"

namespace CLI {
class App;
}

namespace mpp::cli {

// As given on the command line; empty or unset means "not given".
struct RequestFlags {
  std::vector<std::string> prompt;
  std::string model;
  std::optional<std::string> system;
  std::optional<std::int64_t> max_tokens;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::vector<std::string> stops;
  std::optional<std::int64_t> seed;
  std::vector<std::string> options;
  std::string schema_file;
  bool no_stream = false;
  std::vector<std::string> files;        // -f PATH|URL|-, in order: context before the prompt
  std::vector<std::string> attachments;  // -a FILE|URL: images, as image_url content parts
};

// Adds the positional PROMPT and -m, -s, --max-tokens, --temperature, --top-p, --stop, --seed, -o,
// --schema, --no-stream, -f and -a.
void AddRequestFlags(CLI::App& app, RequestFlags& flags);

// True when any flag other than the prompt and --no-stream would change the request body.
bool ShapesRequest(const RequestFlags& flags);

// The flags as BuildChatRequest's parameters; reads the --schema file (kUsage when it cannot be read).
// The -f files and -a images are read by AddFileInputs (cli/chat_inputs.h), which needs the network.
Result<llm::ChatParams> ToChatParams(const RequestFlags& flags);

// All of stdin when it is not a terminal (a pipe or a file), else nullopt; errors past the size cap.
Result<std::optional<std::string>> ReadPipedStdin(Io& io);

}  // namespace mpp::cli
