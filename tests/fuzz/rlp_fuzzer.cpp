// RlpDecode on any bytes. The decoder refuses every non-canonical form, so whatever it accepts must
// re-encode to exactly the input, and each item's accessors must agree with the encoder.
#include "fuzz_check.h"
#include "tempo/rlp.h"

namespace {

using mpp::Bytes;
using mpp::tempo::RlpItem;

Bytes Reencode(const RlpItem& item) {
  if (!item.is_list) return mpp::tempo::RlpEncodeBytes(item.bytes);
  Bytes payload;
  for (const RlpItem& child : item.items) mpp::Append(payload, Reencode(child));
  return mpp::tempo::RlpWrapList(payload);
}

void CheckItem(const RlpItem& item) {
  FUZZ_CHECK(Reencode(item) == item.encoded);
  if (item.is_list) {
    FUZZ_CHECK(item.bytes.empty());
    for (const RlpItem& child : item.items) CheckItem(child);
  } else {
    FUZZ_CHECK(item.items.empty());
  }
  auto as_uint = item.AsUint("n");
  if (as_uint) FUZZ_CHECK(mpp::tempo::RlpEncodeUint(*as_uint) == item.encoded);
  auto as_uint64 = item.AsUint64("n");
  if (as_uint64) FUZZ_CHECK(as_uint && *as_uint == mpp::U256(*as_uint64));
  auto fixed = item.AsFixedBytes("b", item.bytes.size());
  FUZZ_CHECK(fixed.ok() == !item.is_list);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const mpp::ByteView input = mpp::fuzz::AsByteView(data, size);
  auto item = mpp::tempo::RlpDecode(input);
  if (!item) {
    FUZZ_CHECK(item.error().kind == mpp::ErrorKind::kUsage);
    return 0;
  }
  FUZZ_CHECK(item->encoded == Bytes(input.begin(), input.end()));
  CheckItem(*item);
  return 0;
}
