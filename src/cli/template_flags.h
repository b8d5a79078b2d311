// -t/--template NAME, -p/--param KEY VALUE and --save NAME: chat and quote start from a saved template,
// and chat saves the request its flags describe as one (see cli/chat_template.h).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cli/chat_template.h"
#include "cli/request_flags.h"
#include "cli/service_flags.h"
#include "util/error.h"
#include "wallet/env.h"

namespace CLI {
class App;
}

namespace mpp::cli {

// As given on the command line; empty means "not given".
struct TemplateFlags {
  std::string name;                                         // -t
  std::vector<std::pair<std::string, std::string>> params;  // -p KEY VALUE, in order
  std::string save;                                         // --save (chat only)
};

// Adds -t/--template and -p/--param; --save too when `with_save`.
void AddTemplateFlags(CLI::App& app, TemplateFlags& flags, bool with_save);

// `service` and `request` with `chat_template` under them: a flag given wins over the template's value;
// the service, --url and --base-url are taken together, and only when none of them was given; the
// template's prompt goes before the prompt words, its options before the flags' -o, its files before
// the flags' -f, and its schema becomes a response_format option (unless --schema was given). With
// `fill`, $KEY placeholders in the system prompt and prompt are filled from `params`; refuses (kUsage)
// a placeholder left unfilled and a -p KEY the template never uses. Pure.
Status ApplyTemplate(const ChatTemplate& chat_template, std::string_view name,
                     const std::vector<std::pair<std::string, std::string>>& params, bool fill,
                     ServiceFlags& service, RequestFlags& request);

// The template the flags describe: the service flags, model, system prompt, prompt words (as the
// prompt), request settings, the --schema file's contents (kUsage when it cannot be read) and the -f
// entries, relative paths made absolute against the current directory.
Result<ChatTemplate> TemplateFromFlags(const ServiceFlags& service, const RequestFlags& request);

// Loads and applies -t (nothing without it; -p or --save without what they need is kUsage), saying
// with -v what the template pins. With --save the placeholders are kept, not filled.
Status ApplyTemplateFlags(const TemplateFlags& flags, ServiceFlags& service, RequestFlags& request,
                          const wallet::EnvLookup& env);

// --save NAME: writes the template the (already templated) flags describe and says where on stderr.
Status SaveTemplateFlags(const TemplateFlags& flags, const ServiceFlags& service, const RequestFlags& request,
                         const wallet::EnvLookup& env);

}  // namespace mpp::cli
