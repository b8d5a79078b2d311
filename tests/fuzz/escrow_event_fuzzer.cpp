// ParseEventLog on the input as JSON (one receipt or eth_getLogs log), then DecodeEscrowEvent on the
// parsed log as emitted and as if the escrow had emitted it. Parsed logs respect their bounds; decoded
// events carry their log's channel id and amounts within uint96.
#include <rapidjson/document.h>

#include <string>

#include "fuzz_check.h"
#include "tempo/escrow_events.h"
#include "util/json_depth.h"

namespace {

void CheckEvent(const mpp::tempo::EventLog& log) {
  auto event = mpp::tempo::DecodeEscrowEvent(log, mpp::tempo::kChannelEscrow);
  if (!event) {
    FUZZ_CHECK(event.error().kind == mpp::ErrorKind::kNetwork);
    return;
  }
  if (!event->has_value()) return;
  FUZZ_CHECK(log.address == mpp::tempo::kChannelEscrow && log.topics.size() == 4);
  FUZZ_CHECK(mpp::tempo::EventChannelId(**event) == log.topics[1]);
  if (auto* opened = std::get_if<mpp::tempo::ChannelOpenedEvent>(&**event)) {
    FUZZ_CHECK(mpp::tempo::FitsUint96(opened->deposit));
  }
  if (auto* closed = std::get_if<mpp::tempo::ChannelClosedEvent>(&**event)) {
    FUZZ_CHECK(mpp::tempo::FitsUint96(closed->settled_to_payee) &&
               mpp::tempo::FitsUint96(closed->refunded_to_payer));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(mpp::fuzz::AsText(data, size));
  if (!mpp::JsonNestingWithin(text)) return 0;  // what the RPC client refuses before parsing
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(text.c_str(), text.size());
  if (doc.HasParseError()) return 0;
  auto log = mpp::tempo::ParseEventLog(doc);
  if (!log) {
    FUZZ_CHECK(log.error().kind == mpp::ErrorKind::kNetwork);
    return 0;
  }
  FUZZ_CHECK(log->topics.size() <= mpp::tempo::kMaxLogTopics &&
             log->data.size() <= mpp::tempo::kMaxLogDataBytes);
  CheckEvent(*log);
  mpp::tempo::EventLog as_escrow = *log;
  as_escrow.address = mpp::tempo::kChannelEscrow;
  CheckEvent(as_escrow);
  return 0;
}
