#include "cli/templates.h"

#include <spawn.h>
#include <sys/wait.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <memory>

#include "cli/chat_template.h"
#include "cli/output_sink.h"
#include "util/files.h"
#include "util/message.h"

extern char** environ;

namespace mpp::cli {
namespace {

constexpr std::size_t kMaxShownTemplateBytes = 1 << 20;

struct TemplatesOptions {
  std::string name;
};

using TemplatesRun = Status (*)(const TemplatesOptions&, Io&, const Services&);

Result<std::filesystem::path> ExistingTemplateFile(const std::string& name, const Services& services) {
  // LoadTemplate checks the name, the owner and that the file parses; an unparsable one is still shown
  // and edited, so only a missing one is refused here.
  if (auto checked = CheckTemplateName(name, "template"); !checked) return checked.error();
  auto dir = TemplatesDir(services.env);
  if (!dir) return dir.error();
  std::filesystem::path file = TemplateFile(*dir, name);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    return MakeError(ErrorKind::kUsage, "no template '" + name + "' in " + dir->string() +
                                            " ('mpp templates list' shows them; 'mpp chat --save " + name +
                                            " ...' saves one)");
  }
  return file;
}

Status TemplatesList(const TemplatesOptions&, Io& io, const Services& services) {
  auto names = ListTemplates(services.env);
  if (!names) return names.error();
  OutputSink out(io.out);
  for (const auto& name : *names) out.Write(name + "\n");
  if (names->empty()) msg::Verbose("no templates saved yet ('mpp chat --save NAME ...' saves one)");
  if (!out.failure().empty()) return MakeError(ErrorKind::kUnexpected, out.failure());
  return {};
}

Status TemplatesShow(const TemplatesOptions& o, Io& io, const Services& services) {
  auto loaded = LoadTemplate(o.name, services.env);  // refuses what -t would refuse
  if (!loaded) return loaded.error();
  auto file = ExistingTemplateFile(o.name, services);
  if (!file) return file.error();
  auto text = files::ReadCapped(*file, kMaxShownTemplateBytes, ErrorKind::kUsage);
  if (!text) return text.error();
  OutputSink out(io.out);
  out.Write(*text);
  if (!text->empty() && text->back() != '\n') out.Write("\n");
  if (!out.failure().empty()) return MakeError(ErrorKind::kUnexpected, out.failure());
  return {};
}

// $VISUAL, else $EDITOR, else vi, run by /bin/sh so that "code -w" works as it does for git.
Status RunEditor(const std::filesystem::path& file, const Services& services) {
  const char* editor = services.env("VISUAL");
  if (editor == nullptr || *editor == '\0') editor = services.env("EDITOR");
  if (editor == nullptr || *editor == '\0') editor = "vi";
  std::string script = std::string(editor) + " \"$1\"";
  std::string path = file.string();
  char sh[] = "/bin/sh";
  char dash_c[] = "-c";
  char arg0[] = "sh";
  char* argv[] = {sh, dash_c, script.data(), arg0, path.data(), nullptr};
  pid_t pid = 0;
  if (int failed = ::posix_spawn(&pid, "/bin/sh", nullptr, nullptr, argv, environ); failed != 0)
    return MakeError(ErrorKind::kUnexpected,
                     std::string("cannot start the editor: ") + std::strerror(failed));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return MakeError(ErrorKind::kUnexpected, "cannot wait for the editor");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return MakeError(ErrorKind::kUsage, "the editor (" + std::string(editor) +
                                            ") did not exit cleanly; the template is as it left it");
  }
  return {};
}

Status TemplatesEdit(const TemplatesOptions& o, Io&, const Services& services) {
  auto file = ExistingTemplateFile(o.name, services);
  if (!file) return file.error();
  if (auto edited = RunEditor(*file, services); !edited) return edited;
  auto loaded = LoadTemplate(o.name, services.env);
  if (!loaded) {
    return MakeError(ErrorKind::kUsage,
                     loaded.error().message + "; fix it with 'mpp templates edit " + o.name + "'");
  }
  msg::Verbose("template '" + o.name + "' is valid");
  return {};
}

Status TemplatesRemove(const TemplatesOptions& o, Io&, const Services& services) {
  auto file = ExistingTemplateFile(o.name, services);
  if (!file) return file.error();
  if (::unlink(file->c_str()) != 0)
    return files::SystemError(ErrorKind::kWallet, "cannot remove", *file, errno);
  if (auto synced = files::FsyncDirectory(file->parent_path(), ErrorKind::kWallet); !synced) return synced;
  msg::Info("removed template '" + o.name + "' (" + file->string() + ")");
  return {};
}

struct TemplatesSubcommand {
  const char* name;
  const char* summary;
  TemplatesRun run;
  bool takes_name;
  const char* examples;
};

constexpr TemplatesSubcommand kTemplatesSubcommands[] = {
    {"list", "List the saved templates, one name per line", TemplatesList, false, "  mpp templates list"},
    {"show", "Print a template's TOML", TemplatesShow, true, "  mpp templates show review"},
    {"edit", "Open a template in $VISUAL or $EDITOR, then check it", TemplatesEdit, true,
     "  mpp templates edit review\n"
     "  EDITOR=nano mpp templates edit review"},
    {"remove", "Delete a template", TemplatesRemove, true, "  mpp templates remove review"},
};

}  // namespace

Action SetupTemplates(CLI::App& sub) {
  auto options = std::make_shared<TemplatesOptions>();
  auto chosen = std::make_shared<TemplatesRun>(nullptr);
  sub.require_subcommand(1, 1);
  for (const auto& entry : kTemplatesSubcommands) {
    CLI::App* child = sub.add_subcommand(entry.name, entry.summary);
    if (entry.takes_name) child->add_option("name", options->name, "Template name")->required();
    child->footer(std::string("Examples:\n") + entry.examples);
    TemplatesRun run = entry.run;
    child->final_callback([chosen, run] { *chosen = run; });
  }
  sub.footer(
      "Templates are TOML files under <config dir>/templates, saved by 'mpp chat --save NAME' and used\n"
      "with 'mpp chat -t NAME' (and 'mpp quote -t NAME'); see mpp-templates(1).\n"
      "\n"
      "Examples:\n"
      "  mpp chat --save review --service openai -m gpt-4o-mini -s 'Review this $lang code'\n"
      "  git diff | mpp chat -t review -p lang C++\n"
      "  mpp templates list\n"
      "  mpp templates show review");
  return [options, chosen](Io& io, const Services& services) -> Status {
    return (*chosen)(*options, io, services);
  };
}

}  // namespace mpp::cli
