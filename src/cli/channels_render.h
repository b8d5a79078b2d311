// What `mpp wallet channels` prints: one row per stored channel, joined with its state on chain, as a
// table or as JSON. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mpp/channel_book.h"
#include "tempo/escrow_abi.h"
#include "util/u256.h"

namespace mpp::cli {

struct ChannelRow {
  protocol::StoredChannel record;
  std::optional<tempo::ChannelState> chain;  // nullopt: not asked (another network) or not answered
};

// The record's status, corrected by the chain: "closing" once a close was requested on chain, "gone"
// when the chain holds nothing for a record that is not closed (`close` then marks it closed).
std::string_view ChannelRowStatus(const ChannelRow& row);

// What would come back to the payer: deposit - max(spent, settled) on chain; 0 for a channel that is
// gone; nullopt when the chain was not asked.
std::optional<U256> Refundable(const ChannelRow& row);

// "45s", "12m", "5h", "3d" (whole units, rounded down; "0s" for anything not positive).
std::string DurationText(std::int64_t seconds);

// A table with a header line (CHANNEL STATUS PAYEE TOKEN DEPOSIT SETTLED SIGNED SPENT REFUNDABLE AGE
// ENDPOINT); ids and addresses shortened, unknown values "-"; or one line saying there are none.
std::string RenderChannelsText(const std::vector<ChannelRow>& rows, std::int64_t now);

// A JSON array, one object per row: channel_id, status, record_status, chain_id, payer, payee, token,
// symbol (or null), escrow, deposit, settled, signed, spent, refundable (base-unit decimal strings,
// null when unknown), close_requested_at (UNIX seconds or null), opened_at (RFC 3339), age_seconds,
// endpoint.
std::string RenderChannelsJson(const std::vector<ChannelRow>& rows, std::int64_t now);

}  // namespace mpp::cli
