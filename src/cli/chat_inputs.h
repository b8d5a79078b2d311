// What -f/--file and -a/--attach add to a chat request: text files (or http(s) bodies, fetched without
// payment) as context, images as data: URLs. All of it is read and checked before anything is paid.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli/command.h"
#include "cli/command_services.h"
#include "cli/request_flags.h"
#include "llm/request.h"
#include "util/bytes.h"
#include "util/error.h"

namespace mpp::cli {

inline constexpr std::size_t kMaxContextFileBytes = std::size_t{1} << 20;  // per -f
inline constexpr std::size_t kMaxAttachmentBytes = std::size_t{10} << 20;  // per -a image

// Ok when `bytes` can go in a prompt as text: no NUL byte and well-formed UTF-8 (a leading BOM is
// allowed). Refuses with kUsage naming `what` ("-f photo.png") and the fix.
Status CheckContextText(std::string_view what, std::string_view bytes);

// "image/png", "image/jpeg", "image/gif" or "image/webp" from the file's first bytes; nullopt for
// anything else.
std::optional<std::string_view> ImageMimeType(ByteView bytes);

// An http:// or https:// URL (case-insensitive scheme).
bool IsHttpUrl(std::string_view text);

// The -f files in order: a path is read (at most kMaxContextFileBytes), an http(s) URL fetched with a
// GET that never pays (a 402 is refused), "-" is `piped_stdin`, which it then takes (so stdin is not
// also the leading text); "-" twice, or with stdin a terminal, is refused. Errors: kUsage for what
// cannot be read, is binary or too large; kNetwork for a URL that cannot be fetched.
Result<std::vector<llm::ContextFile>> ReadContextFiles(const std::vector<std::string>& specs,
                                                       std::optional<std::string>& piped_stdin,
                                                       const Services& services);

// The -a images in order, as the image_url each becomes: an http(s) URL as given, a local file as a
// data: URL once its bytes are a PNG, JPEG, GIF or WebP image of at most kMaxAttachmentBytes.
// Errors: kUsage.
Result<std::vector<std::string>> ReadAttachments(const std::vector<std::string>& specs);

// Reads the -f files and -a images of `flags` into `params` (ReadContextFiles, ReadAttachments).
Status AddFileInputs(const RequestFlags& flags, llm::ChatParams& params,
                     std::optional<std::string>& piped_stdin, const Services& services);

}  // namespace mpp::cli
