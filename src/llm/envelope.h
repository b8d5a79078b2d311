// The Locus gateway's success envelope: it wraps the provider's body as {"success":true,"data":{...}}.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mpp::llm {

// The `data` object of `json`, as compact JSON, when `json` is exactly {"success":true,"data":{...}}:
// an object with those two keys and no other, `success` the boolean true, `data` an object (not an
// array). nullopt for anything else, which the caller then reads as it is.
std::optional<std::string> UnwrapSuccessEnvelope(std::string_view json);

}  // namespace mpp::llm
