#include "cli/price_drift.h"

#include <charconv>

#include "tempo/chains.h"
#include "util/message.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

std::string_view ChosenIntent(const protocol::ChallengeVerdict& chosen) {
  return chosen.session ? "session" : "charge";
}

std::uint64_t ChosenChain(const protocol::ChallengeVerdict& chosen) {
  if (chosen.charge) return chosen.charge->request.chain_id;
  if (chosen.session) return chosen.session->chain_id;
  return 0;
}

// The price in token units with the token's name when known.
std::string PriceText(const U256& amount, const protocol::ChallengeVerdict& chosen) {
  return tempo::TokenAmountText(amount, chosen.currency, ChosenChain(chosen));
}

// A rough value of `v` for display only: the top bits are enough for a percentage.
long double Approximate(const U256& v) {
  long double value = 0;
  for (std::uint8_t byte : v.ToBigEndian32()) value = value * 256 + byte;
  return value;
}

}  // namespace

std::optional<std::uint32_t> ParseMaxDrift(std::string_view text) {
  if (AsciiLower(text) == "off") return kMaxDriftOff;
  if (text.ends_with('%')) text.remove_suffix(1);
  std::uint32_t percent = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, percent);
  if (text.empty() || ec != std::errc() || ptr != end || percent > kMaxDriftPercent) return std::nullopt;
  return percent;
}

bool WithinDrift(const U256& asked, const U256& published, std::uint32_t percent) {
  // floor(published * (100 + percent) / 100) = published + q * percent + floor(r * percent / 100),
  // where published = 100 q + r; asked is a whole number, so comparing with the floor is exact.
  std::uint64_t r = 0;
  const U256 q = published.DivSmall(100, &r);
  auto grown = U256::CheckedMul(q, percent);
  if (!grown) return true;
  auto limit = U256::CheckedAdd(published, *grown);
  if (!limit) return true;
  limit = U256::CheckedAdd(*limit, U256(r * percent / 100));
  if (!limit) return true;
  return !(*limit < asked);
}

std::string DriftText(const U256& asked, const U256& published) {
  if (published.IsZero()) return asked.IsZero() ? "+0%" : "+inf%";
  const bool up = !(asked < published);
  const U256 diff = up ? *U256::CheckedSub(asked, published) : *U256::CheckedSub(published, asked);
  std::string digits;
  if (auto scaled = U256::CheckedMul(diff, 100); scaled && published.FitsUint64() && scaled->FitsUint64()) {
    digits = std::to_string(scaled->Low64() / published.Low64());
  } else {
    digits =
        std::to_string(static_cast<unsigned long long>(Approximate(diff) * 100 / Approximate(published)));
  }
  return (up ? "+" : "-") + digits + "%";
}

std::vector<PublishedPrice> PublishedPricesFor(const std::vector<llm::PaymentOffer>& offers,
                                               std::string_view path, std::string_view method) {
  std::vector<PublishedPrice> prices;
  for (const auto& offer : offers) {
    if (offer.path != path || offer.http_method != method || offer.payment_method != "tempo") continue;
    PublishedPrice price;
    if (offer.amount) {
      price.amount = U256::FromDecimal(*offer.amount);
      if (!price.amount) continue;
    }
    price.currency = offer.currency;
    price.intent = offer.intent;
    prices.push_back(std::move(price));
  }
  return prices;
}

DriftCheck CheckDrift(const protocol::ChallengeVerdict& chosen, const std::vector<PublishedPrice>& prices,
                      std::optional<std::uint32_t> percent) {
  DriftCheck check;
  if (!percent) {
    check.note = "--max-drift is off; the published price is not compared";
    return check;
  }
  const std::string currency = AsciiLower(chosen.currency.ToChecksumHex());
  const PublishedPrice* other_currency = nullptr;
  const PublishedPrice* dynamic = nullptr;
  for (const auto& price : prices) {
    if (price.intent != ChosenIntent(chosen)) continue;
    if (AsciiLower(price.currency) != currency) {
      if (other_currency == nullptr) other_currency = &price;
      continue;
    }
    if (!price.amount) {
      if (dynamic == nullptr) dynamic = &price;
      continue;
    }
    // Every comparable price must hold: the first one exceeded refuses.
    const bool within = WithinDrift(chosen.amount, *price.amount, *percent);
    if (check.compared == nullptr || !within) {
      check.compared = &price;
      check.note = "published " + PriceText(*price.amount, chosen) + " (" + price.source + "), asks " +
                   PriceText(chosen.amount, chosen) + " (" + DriftText(chosen.amount, *price.amount) +
                   "; --max-drift " + std::to_string(*percent) + "%)";
    }
    if (!within) {
      check.refused = true;
      return check;
    }
  }
  if (check.compared != nullptr) return check;
  if (dynamic != nullptr) {
    check.note = dynamic->source + " publishes a dynamic price; nothing to compare";
    return check;
  }
  if (other_currency != nullptr) {
    check.note = other_currency->source + " publishes its " + std::string(ChosenIntent(chosen)) +
                 " price in " + DisplayText(other_currency->currency, 60) + ", the 402 asks in " +
                 chosen.currency.ToChecksumHex() + "; not compared";
  } else if (!prices.empty()) {
    check.note = prices.front().source + " publishes no " + std::string(ChosenIntent(chosen)) +
                 " price; nothing to compare";
  }
  return check;
}

std::string QuoteDriftLine(const protocol::ChallengeVerdict& chosen,
                           const std::vector<PublishedPrice>& prices, std::optional<std::uint32_t> percent) {
  DriftCheck check = CheckDrift(chosen, prices, percent);
  if (check.compared == nullptr) {
    if (!check.note.empty()) msg::Verbose(check.note);
    return "";
  }
  return check.note.substr(0, check.note.size() - 1) + (check.refused ? "; chat would refuse it)\n" : ")\n");
}

Error DriftRefusal(const protocol::ChallengeVerdict& chosen, const PublishedPrice& published,
                   std::uint32_t percent, std::string_view service) {
  const U256 was = published.amount.value_or(U256());
  return MakeError(ErrorKind::kPaymentRefusedLocally,
                   std::string(service) + " asks " + PriceText(chosen.amount, chosen) +
                       (chosen.session ? " per request" : "") + " but published " + PriceText(was, chosen) +
                       " (" + published.source + "): " + DriftText(chosen.amount, was) +
                       ", more than --max-drift " + std::to_string(percent) +
                       "%; nothing was paid (raise --max-drift, or --max-drift off)");
}

std::function<Status(const protocol::ChallengeVerdict&)> DriftHook(std::vector<PublishedPrice> prices,
                                                                   std::optional<std::uint32_t> percent,
                                                                   std::string service) {
  if (prices.empty()) return nullptr;
  return [prices = std::move(prices), percent,
          service = std::move(service)](const protocol::ChallengeVerdict& chosen) -> Status {
    DriftCheck check = CheckDrift(chosen, prices, percent);
    if (!check.note.empty()) msg::Verbose(check.note);
    if (check.refused) return DriftRefusal(chosen, *check.compared, percent.value_or(0), service);
    return {};
  };
}

}  // namespace mpp::cli
