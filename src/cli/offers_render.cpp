// RenderOffersText (declared in quote_render.h).
#include <algorithm>
#include <array>

#include "cli/quote_render.h"
#include "util/text.h"

namespace mpp::cli {

std::string RenderOffersText(const std::string& document_url, const std::vector<llm::PaymentOffer>& offers,
                             const std::string& chat_path) {
  constexpr std::size_t kColumns = 7;
  using Cells = std::array<std::string, kColumns>;
  std::vector<Cells> rows;
  rows.push_back({"METHOD", "PATH", "INTENT", "PAY WITH", "AMOUNT", "CURRENCY", "DESCRIPTION"});
  for (const auto& offer : offers) {
    rows.push_back({offer.http_method, offer.path, offer.intent, offer.payment_method,
                    llm::OfferAmountText(offer), offer.currency, offer.description});
  }
  std::array<std::size_t, kColumns> widths{};
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < kColumns; ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out =
      "prices from " + DisplayText(document_url, 300) + " (advisory; the 402 challenge decides)\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    bool chat = r > 0 && offers[r - 1].path == chat_path;
    std::string line = chat ? "* " : "  ";
    for (std::size_t i = 0; i < kColumns; ++i) {
      std::string cell = rows[r][i];
      if (i + 1 < kColumns) cell.resize(widths[i] + 2, ' ');
      line += cell;
    }
    while (line.ends_with(' ')) line.pop_back();
    out += line + "\n";
  }
  if (std::any_of(offers.begin(), offers.end(), [&](const auto& o) { return o.path == chat_path; })) {
    out += "* the chat endpoint mpp would call\n";
  }
  return out;
}

}  // namespace mpp::cli
