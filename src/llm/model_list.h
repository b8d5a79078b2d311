// Reading a service's model listing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace mpp::llm {

// The model ids in a listing, in the service's order: OpenAI's {"data":[{"id":...}, ...]}, a
// {"models":[...]} object, or a bare array; items may be objects with a string "id" or plain strings.
// Items without an id are skipped; ids are made display-safe. With `unwrap_envelope`, a body that is
// exactly {"success":true,"data":{...}} (Locus) is read as its `data`. Fails (kNetwork) on invalid
// JSON, an error object, or any other shape.
Result<std::vector<std::string>> ParseModelList(std::string_view body, bool unwrap_envelope = false);

}  // namespace mpp::llm
