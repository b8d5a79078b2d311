#include "cli/quote_render.h"

#include <algorithm>

#include "cli/quote_fields.h"
#include "tempo/chains.h"
#include "util/amount.h"
#include "util/text.h"

namespace mpp::cli {
namespace {

void Row(std::string& out, const char* label, const std::string& value) {
  std::string name = label;
  name.resize(std::max<std::size_t>(name.size(), 12), ' ');
  out += "  " + name + " " + value + "\n";
}

std::string Plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// The chosen challenge's network fee, what it all comes to, and what the payer holds.
void CostRows(std::string& out, const protocol::ChargeRequest& r, const protocol::FeeQuote& fee) {
  if (!fee.self_paid) {
    Row(out, "network fee", "none for you: the server pays it");
  } else {
    Row(out, "network fee",
        "up to " + tempo::TokenAmountText(fee.max_fee, r.currency, r.chain_id) + " (" +
            protocol::GasValuesText(fee) + ")");
  }
  Row(out, "total",
      "up to " + tempo::TokenAmountText(U256::SaturatingAdd(r.amount, fee.max_fee), r.currency, r.chain_id));
  if (fee.balance)
    Row(out, "balance", tempo::TokenAmountText(*fee.balance, r.currency, r.chain_id) + " (the payer's)");
}

// A session offer: the price of one unit, the channel it would open, and what that would lock.
void SessionRows(std::string& out, const protocol::SessionTerms& terms) {
  const protocol::SessionRequest& r = terms.request;
  const std::string unit = DisplayText(r.unit_type, 40);
  Row(out, "price",
      AmountLabel(r.amount, r.currency, terms.chain_id) + " per " + unit + " (" + r.amount.ToDecimal() +
          " base units)");
  Row(out, "token", TokenAddressLabel(r.currency, terms.chain_id));
  Row(out, "chain", ChainLabel(terms.chain_id));
  Row(out, "recipient", r.recipient.ToChecksumHex());
  Row(out, "escrow",
      r.Escrow().ToChecksumHex() +
          (r.session_protocol == protocol::SessionProtocol::kV2 ? " (TIP-1034 v2)" : " (v1)"));
  if (r.suggested_deposit)
    Row(out, "suggested", AmountLabel(*r.suggested_deposit, r.currency, terms.chain_id) + " deposit");
  if (!terms.deposit.IsZero()) {
    Row(out, "deposit",
        "would lock " + AmountLabel(terms.deposit, r.currency, terms.chain_id) +
            " in a new channel (what is not spent comes back when it closes)");
  }
  if (!r.min_voucher_delta.IsZero())
    Row(out, "min voucher", AmountLabel(r.min_voucher_delta, r.currency, terms.chain_id));
  Row(out, "fee payer", r.fee_payer ? "the server (sponsored)" : "the payer");
}

void ChallengeBlock(std::string& out, const QuoteReport& report, std::size_t i) {
  const protocol::ChallengeVerdict& v = report.verdicts[i];
  const protocol::Challenge& c = v.challenge;
  bool chosen = report.chosen == i;
  std::string head = "challenge " + std::to_string(i + 1) + ": ";
  if (chosen && ChosenRefusal(report).empty()) {
    head += "mpp would pay this one";
  } else if (chosen && !report.cost_refusal.empty()) {
    head += "mpp would choose this one, but refuses what it would cost";
  } else if (chosen) {
    head += "mpp would choose this one, but the daily budget refuses it";
  } else {
    head += v.acceptable ? "payable, not chosen" : "not payable";
  }
  out += "\n" + head + "\n";
  if (v.charge) {
    const protocol::ChargeRequest& r = v.charge->request;
    Row(out, "amount",
        AmountLabel(r.amount, r.currency, r.chain_id) + " (" + r.amount.ToDecimal() + " base units)");
    Row(out, "token", TokenAddressLabel(r.currency, r.chain_id));
    Row(out, "chain", ChainLabel(r.chain_id));
    Row(out, "recipient", r.recipient.ToChecksumHex());
    for (const auto& split : r.splits) {
      Row(out, "split",
          AmountLabel(split.amount, r.currency, r.chain_id) + " to " + split.recipient.ToChecksumHex());
    }
  } else if (v.session) {
    SessionRows(out, *v.session);
  } else {
    Row(out, "method", DisplayText(c.method, 40) + " / " + DisplayText(c.intent, 40));
  }
  Row(out, "expires",
      c.expires ? DisplayText(*c.expires, 40) +
                      (c.expires_at ? " (" + RelativeTime(*c.expires_at - report.now) + ")" : "")
                : std::string("not stated"));
  if (v.charge) {
    const protocol::ChargeRequest& r = v.charge->request;
    Row(out, "fee payer", r.fee_payer ? "the server (sponsored)" : "the payer");
    if (chosen && report.fee) CostRows(out, r, *report.fee);
    Row(out, "modes", ModesLabel(r));
  }
  if (c.description) Row(out, "description", DisplayText(*c.description, 200));
  std::string verdict = v.acceptable ? "allowed: " + v.reason : "refused: " + v.reason;
  if (chosen && !ChosenRefusal(report).empty()) verdict = "refused: " + ChosenRefusal(report);
  Row(out, "verdict", verdict);
  // The head and the verdict say the rest; a payable challenge left aside needs its reason.
  if (v.acceptable && !chosen && i < report.choices.size()) Row(out, "choice", report.choices[i]);
  Row(out, "id", DisplayText(c.id, 100));
  Row(out, "realm", DisplayText(c.realm, 100));
}

}  // namespace

std::string ChoiceText(const QuoteReport& report, std::size_t i) {
  if (report.chosen == i && !ChosenRefusal(report).empty()) return "not chosen: " + ChosenRefusal(report);
  return i < report.choices.size() ? report.choices[i] : std::string();
}

const std::string& ChosenRefusal(const QuoteReport& report) {
  return report.cost_refusal.empty() ? report.budget_refusal : report.cost_refusal;
}

bool HasPrice(const QuoteReport& report) {
  return (report.status >= 200 && report.status < 300) || !report.verdicts.empty();
}

std::string RelativeTime(std::int64_t seconds) {
  if (seconds == 0) return "now";
  std::int64_t s = seconds < 0 ? -seconds : seconds;
  std::string text;
  if (s >= 86400) {
    text = std::to_string(s / 86400) + "d " + std::to_string(s % 86400 / 3600) + "h";
  } else if (s >= 3600) {
    text = std::to_string(s / 3600) + "h " + std::to_string(s % 3600 / 60) + "m";
  } else if (s >= 60) {
    text = std::to_string(s / 60) + "m " + std::to_string(s % 60) + "s";
  } else {
    text = std::to_string(s) + "s";
  }
  return seconds > 0 ? "in " + text : "expired " + text + " ago";
}

std::string RenderQuoteText(const QuoteReport& report) {
  std::string target = report.http_method + " " + DisplayText(report.url, 300);
  if (report.status >= 200 && report.status < 300) {
    return "free: " + target + " answered " + std::to_string(report.status) + " without asking for payment\n";
  }
  std::string out = target + ": payment required, " + Plural(report.verdicts.size(), "challenge");
  std::size_t unusable = report.rejected.size() + report.more_rejected;
  if (unusable > 0) out += " (and " + std::to_string(unusable) + " unusable)";
  out += "\n";
  if (report.body_bytes) {
    out += "priced for this request body (" + std::to_string(*report.body_bytes) + " bytes" +
           (report.body_model.empty() ? "" : ", model " + DisplayText(report.body_model, 100)) +
           "); another prompt, model or token limit may cost differently\n";
  }
  for (std::size_t i = 0; i < report.verdicts.size(); ++i) ChallengeBlock(out, report, i);
  if (!report.rejected.empty()) out += "\n";
  for (const auto& r : report.rejected) {
    out += "unusable challenge";
    if (!r.scheme.empty()) {
      out += " (" + r.scheme;
      if (!r.id.empty()) out += " " + r.id;
      out += ")";
    }
    out += ": " + r.reason + "\n";
  }
  if (report.more_rejected > 0)
    out += "and " + Plural(report.more_rejected, "more unusable challenge") + "\n";
  out += "\n";
  if (report.chosen && ChosenRefusal(report).empty()) {
    out += "mpp would pay challenge " + std::to_string(*report.chosen + 1) + "\n";
  } else {
    out += "mpp would pay none of them\n";
  }
  return out;
}

}  // namespace mpp::cli
