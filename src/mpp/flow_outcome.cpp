// The parts of the pay flow that say what became of a paid request: whether its receipt is trusted,
// the journal's record of a payment the service did not deliver, and the -v explanation of the offers.
#include "mpp/flow.h"

#include "mpp/service_error.h"
#include "tempo/chains.h"
#include "util/message.h"
#include "util/text.h"

namespace mpp::protocol {

void PayFlow::LogChoices(const std::vector<ChallengeVerdict>& verdicts,
                         const ChallengeVerdict* chosen) const {
  if (msg::Verbosity() < 1) return;
  auto reasons = ExplainChoices(verdicts, chosen, settings_.policy);
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const Challenge& c = verdicts[i].challenge;
    msg::Verbose("challenge " + std::to_string(i + 1) + "/" + std::to_string(verdicts.size()) + " (" +
                 DisplayText(c.method, 20) + "/" + DisplayText(c.intent, 20) + ", id " +
                 DisplayText(c.id, 60) + "): " + reasons[i]);
  }
}

std::optional<Receipt> PayFlow::TrustedReceipt(const net::HttpResponse& response,
                                               const PreparedPayment& payment, std::string& note) {
  auto header = response.FirstHeader("Payment-Receipt");
  if (!header) return std::nullopt;
  auto receipt = ParseReceipt(*header);
  std::string problem;
  if (!receipt) {
    problem = receipt.error().message;
  } else if (auto mismatch = payment.ReceiptMismatch(*receipt, *header)) {
    problem = "the server's Payment-Receipt does not match the payment: " + *mismatch;
  }
  if (problem.empty()) return *receipt;
  msg::Warning(problem + "; not trusted (the journal keeps the note)");
  note += (note.empty() ? "" : "; ") + ("receipt not trusted: " + problem);
  return std::nullopt;
}

Error PayFlow::Undelivered(const net::HttpResponse& response, const ServiceErrorBody& said,
                           const PreparedPayment& p) {
  UndeliveredOutcome outcome;
  outcome.status = response.status;
  outcome.error = said.text.empty() ? "no error text" : said.text;
  outcome.service_payment_id = said.payment_id;
  // The self-paid hash, unless a receipt that passes the check names the final one (a sponsor's).
  auto receipt = TrustedReceipt(response, p, outcome.note);
  outcome.reference = p.Reference(receipt ? &*receipt : nullptr);
  ledger_.RecordUndelivered(p.payment_id, outcome);
  std::string text = "paid " + tempo::TokenAmountText(p.record.amount, p.record.currency, p.record.chain_id) +
                     " but the service did not deliver: HTTP " + std::to_string(response.status) + ": " +
                     outcome.error;
  if (!outcome.service_payment_id.empty()) text += " (paymentId " + outcome.service_payment_id + ")";
  if (!outcome.reference.empty()) text += ", tx " + outcome.reference;
  return MakeError(ErrorKind::kPaymentRefusedByServer,
                   text + "; not retried; 'mpp wallet history' lists it as undelivered");
}

}  // namespace mpp::protocol
