// One line of the conversation log, as JSON: {time, service, model, messages, response, usage?, paid?, tx?,
// url?, requested_model?}.
#pragma once

#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "llm/conversation.h"
#include "util/error.h"

namespace mpp::llm {

// `record` as the JSON object of its log line, allocated in `allocator`.
rapidjson::Value ExchangeRecordJson(const ExchangeRecord& record,
                                    rapidjson::Document::AllocatorType& allocator);

// `record` as one compact JSON line ending in '\n'; "time" is RFC 3339 UTC, optional fields are left
// out when empty.
std::string FormatExchangeLine(const ExchangeRecord& record);

// The record on `line` (without its '\n'). Refuses (kUnexpected) anything that is not such an object:
// invalid JSON, a bad time, messages that are not message objects, a non-string response.
Result<ExchangeRecord> ParseExchangeLine(std::string_view line);

}  // namespace mpp::llm
