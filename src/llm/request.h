// Building the chat completions request body from flags, standard input and conversation history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "llm/chat_message.h"
#include "llm/services.h"
#include "util/error.h"

namespace mpp::llm {

// A file given with -f, read and checked (text, within the size limit) before the request is built.
struct ContextFile {
  std::string name;  // as the user named it: a path, a URL, or "stdin" for -f -
  std::string text;
};

// What the user asked for on the command line. Unset optionals leave the field to the request on
// stdin (when there is one) or to the server.
struct ChatParams {
  std::string model;                       // -m; empty: stdin request's, else service default, else none
  std::optional<std::string> system;       // -s
  std::vector<std::string> prompt;         // the argument words, joined by one space
  std::optional<std::int64_t> max_tokens;  // --max-tokens, sent as the service's max_tokens_field
  std::optional<double> temperature;       // --temperature, 0..2
  std::optional<double> top_p;             // --top-p, 0..1
  std::vector<std::string> stops;          // --stop, repeatable
  std::optional<std::int64_t> seed;        // --seed
  std::vector<std::string> options;        // -o KEY=VALUE, applied last so they can reach any field
  std::optional<std::string> schema_json;  // --schema file contents
  bool stream = true;                      // false: --no-stream (also off for a service that never streams)
  std::vector<ContextFile> files;          // -f, in order
  std::vector<std::string> image_urls;     // -a: data: URLs of local images, or http(s) URLs
};

struct ChatRequest {
  std::string body;                   // compact JSON, ready to POST
  std::string model;                  // the model the body names; empty when it names none
  std::vector<Message> messages;      // every message sent, history included
  std::vector<Message> new_messages;  // what this turn added (for the conversation log)
};

// The request for `service`. `stdin_text` (when stdin is not a terminal) is either a JSON object with
// "messages", taken as the whole request with the flags overriding its fields, or, when it holds
// anything but whitespace, text that becomes the user message, followed by the argument prompt after
// one space (llm's rule: stdin first, then the prompt, stdin unstripped). -f files go between them,
// each as <file name="NAME">\nTEXT\n</file>, the parts then separated by a blank line. -a images make
// the user message a content array: the text part, then one image_url part per image, in order. `history`
// goes before the new messages; -s replaces a leading system message or is inserted first. The model is -m,
// else the stdin request's, else the service's default, else absent. Streaming adds "stream":true and
// "stream_options":{"include_usage":true}; not streaming (--no-stream, a service that does not stream,
// or -o stream=false) removes both, also from a stdin request.
// --schema becomes response_format {type:"json_schema", json_schema:{name:"output", schema,
// strict:true}}. Refuses with kUsage: no prompt and no stdin text, -o without '=' or with an empty
// key or the key "messages", a schema that is not a JSON object, max_tokens < 1, temperature outside
// 0..2, top_p outside 0..1, and a stdin request whose messages are not an array of objects with a
// string role.
Result<ChatRequest> BuildChatRequest(const Service& service, const ChatParams& params,
                                     std::optional<std::string_view> stdin_text,
                                     const std::vector<Message>& history);

}  // namespace mpp::llm
