#include "cli/chat_inputs.h"

#include <filesystem>
#include <fstream>

#include "util/base64url.h"
#include "util/stdin.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

std::string Mib(std::size_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

Error InputError(std::string text) { return MakeError(ErrorKind::kUsage, std::move(text)); }

// The whole of a local file, at most `max_bytes`; `what` names it in errors ("-f notes.md").
Result<std::string> ReadLocalFile(const std::string& path, std::size_t max_bytes, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return InputError(what + ": is a directory; name a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return InputError(what + ": cannot read the file (does it exist?)");
  auto text = ReadAll(in, max_bytes);
  if (!text) {
    if (text.error().kind != ErrorKind::kUsage) return text.error();
    return InputError(what + ": larger than " + Mib(max_bytes) + "; pass a smaller file or an excerpt");
  }
  return text;
}

Result<std::string> FetchText(const std::string& url, const Services& services) {
  net::TransportLimits limits;
  limits.total_timeout_ms = 60'000;
  limits.max_body_bytes = kMaxContextFileBytes;
  auto transport = services.transport(limits);
  net::HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.headers.push_back({"Accept", "text/*, application/json;q=0.9, */*;q=0.5"});
  net::TransportFailure failure;
  auto response = transport->Perform(request, nullptr, &failure);
  const std::string what = "-f " + DisplayText(url, 200);
  if (!response) {
    if (failure.body_too_large)
      return InputError(what + ": the body is larger than " + Mib(kMaxContextFileBytes) +
                        "; save an excerpt");
    return MakeError(ErrorKind::kNetwork, what + ": " + response.error().message);
  }
  if (response->status == 402) {
    return InputError(what +
                      ": the server asks for payment (402); mpp fetches -f URLs without paying; "
                      "fetch it yourself and pass the file");
  }
  if (response->status >= 300 && response->status < 400) {
    std::string to = std::string(response->FirstHeader("Location").value_or(""));
    return InputError(what + ": redirected (HTTP " + std::to_string(response->status) + ")" +
                      (to.empty() ? "" : " to " + DisplayText(to, 200)) +
                      "; mpp follows no redirect: give the final URL");
  }
  if (response->status < 200 || response->status >= 300) {
    return MakeError(ErrorKind::kNetwork, what + ": HTTP " + std::to_string(response->status));
  }
  if (response->body.size() > kMaxContextFileBytes) {
    return InputError(what + ": the body is larger than " + Mib(kMaxContextFileBytes) + "; save an excerpt");
  }
  return std::move(response->body);
}

}  // namespace

Status CheckContextText(std::string_view what, std::string_view bytes) {
  if (bytes.find('\0') != std::string_view::npos || !IsValidUtf8(bytes)) {
    return InputError(std::string(what) + ": not a text file (it holds " +
                      (bytes.find('\0') != std::string_view::npos ? "NUL bytes" : "invalid UTF-8") +
                      "); -f takes text; give an image with -a");
  }
  return {};
}

std::optional<std::string_view> ImageMimeType(ByteView bytes) {
  auto starts = [&bytes](std::initializer_list<std::uint8_t> prefix, std::size_t at = 0) {
    if (bytes.size() < at + prefix.size()) return false;
    std::size_t i = at;
    for (std::uint8_t b : prefix) {
      if (bytes[i++] != b) return false;
    }
    return true;
  };
  if (starts({0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) return "image/png";
  if (starts({0xff, 0xd8, 0xff})) return "image/jpeg";
  if (starts({'G', 'I', 'F', '8', '7', 'a'}) || starts({'G', 'I', 'F', '8', '9', 'a'})) return "image/gif";
  if (starts({'R', 'I', 'F', 'F'}) && starts({'W', 'E', 'B', 'P'}, 8)) return "image/webp";
  return std::nullopt;
}

bool IsHttpUrl(std::string_view text) {
  auto has_scheme = [text](std::string_view scheme) {
    return text.size() > scheme.size() && EqualsIgnoreAsciiCase(text.substr(0, scheme.size()), scheme);
  };
  return has_scheme("http://") || has_scheme("https://");
}

Result<std::vector<llm::ContextFile>> ReadContextFiles(const std::vector<std::string>& specs,
                                                       std::optional<std::string>& piped_stdin,
                                                       const Services& services) {
  std::vector<llm::ContextFile> files;
  bool stdin_taken = false;
  for (const auto& spec : specs) {
    llm::ContextFile file;
    const std::string what = "-f " + DisplayText(spec, 200);
    if (spec == "-") {
      if (stdin_taken) return InputError("-f - is given twice; standard input can be read once");
      if (!piped_stdin) return InputError("-f -: standard input is a terminal; pipe the text into mpp");
      file.name = "stdin";
      file.text = std::move(*piped_stdin);
      piped_stdin.reset();
      stdin_taken = true;
    } else if (IsHttpUrl(spec)) {
      auto body = FetchText(spec, services);
      if (!body) return body.error();
      file.name = spec;
      file.text = std::move(*body);
    } else {
      if (spec.empty()) return InputError("-f needs a path, a URL or - (standard input)");
      auto text = ReadLocalFile(spec, kMaxContextFileBytes, what);
      if (!text) return text.error();
      file.name = spec;
      file.text = std::move(*text);
    }
    if (file.text.starts_with("\xEF\xBB\xBF")) file.text.erase(0, 3);
    if (auto text_ok = CheckContextText(what, file.text); !text_ok) return text_ok.error();
    files.push_back(std::move(file));
  }
  return files;
}

Result<std::vector<std::string>> ReadAttachments(const std::vector<std::string>& specs) {
  std::vector<std::string> urls;
  for (const auto& spec : specs) {
    if (IsHttpUrl(spec)) {
      urls.push_back(spec);
      continue;
    }
    const std::string what = "-a " + DisplayText(spec, 200);
    if (spec.empty()) return InputError("-a needs an image file or an http(s) URL");
    auto bytes = ReadLocalFile(spec, kMaxAttachmentBytes, what);
    if (!bytes) return bytes.error();
    auto mime = ImageMimeType(AsBytes(*bytes));
    if (!mime) return InputError(what + ": not a PNG, JPEG, GIF or WebP image; -a takes images, -f text");
    urls.push_back("data:" + std::string(*mime) + ";base64," + EncodeBase64(AsBytes(*bytes)));
  }
  return urls;
}

Status AddFileInputs(const RequestFlags& flags, llm::ChatParams& params,
                     std::optional<std::string>& piped_stdin, const Services& services) {
  auto files = ReadContextFiles(flags.files, piped_stdin, services);
  if (!files) return files.error();
  auto images = ReadAttachments(flags.attachments);
  if (!images) return images.error();
  params.files = std::move(*files);
  params.image_urls = std::move(*images);
  return {};
}

}  // namespace mpp::cli
