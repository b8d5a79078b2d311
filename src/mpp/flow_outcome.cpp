// The parts of the pay flow that say what became of a paid request: the journal's outcome record for
// a settled or undelivered payment, and the -v explanation of the offers.
#include "mpp/flow.h"

#include "mpp/service_error.h"
#include "tempo/chains.h"
#include "util/amount.h"
#include "util/message.h"
#include "util/text.h"

namespace mpp::protocol {
namespace {

// "0.0216 USDC.e", or "0.0216 of token 0x..." for a token mpp does not know.
std::string PaidText(const PaymentRecord& r) {
  std::string text = FormatTokenAmount(r.amount);
  if (const auto* chain = tempo::FindChainById(r.chain_id)) {
    if (const auto* token = tempo::FindToken(*chain, r.currency))
      return text + " " + std::string(token->symbol);
  }
  return text + " of token " + r.currency.ToChecksumHex();
}

}  // namespace

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

std::optional<Receipt> PayFlow::TrustedReceipt(const net::HttpResponse& response, const PaymentRecord& record,
                                               std::string& note) {
  auto header = response.FirstHeader("Payment-Receipt");
  if (!header) return std::nullopt;
  auto receipt = ParseReceipt(*header);
  std::string problem;
  if (!receipt) {
    problem = receipt.error().message;
  } else {
    ReceiptExpectation expected;
    if (record.mode == PayMode::kPull || record.mode == PayMode::kPush) expected.reference = record.tx_hash;
    if (auto mismatch = CheckReceipt(*receipt, expected))
      problem = "the server's Payment-Receipt does not match the payment: " + *mismatch;
  }
  if (problem.empty()) return *receipt;
  msg::Warning(problem + "; not trusted (the journal keeps the note)");
  note += (note.empty() ? "" : "; ") + ("receipt not trusted: " + problem);
  return std::nullopt;
}

void PayFlow::RecordSettlement(const Prepared& p, const Receipt* receipt, std::string_view note) {
  if (!note.empty()) {
    // The same choice of reference as below, with the note and the fee the chain reported kept.
    const bool from_receipt = receipt != nullptr || p.record.mode == PayMode::kProof;
    ledger_.RecordSettledWithNote(p.payment_id,
                                  receipt        ? receipt->reference
                                  : from_receipt ? ""
                                                 : p.record.tx_hash,
                                  from_receipt, p.fee_paid, note);
  } else if (receipt != nullptr && p.fee_paid) {
    ledger_.RecordSettledWithFee(p.payment_id, receipt->reference, *p.fee_paid);
  } else if (receipt != nullptr) {
    ledger_.RecordSettled(p.payment_id, receipt->reference);
  } else if (p.record.mode == PayMode::kProof) {
    ledger_.RecordSettled(p.payment_id, "");  // a proof moves nothing: there is no hash to know
  } else {
    // Self-paid: the hash of the transaction mpp signed. Sponsored: unknown (the sponsor re-signs).
    ledger_.RecordSettledWithoutReceipt(p.payment_id, p.record.tx_hash);
  }
}

Error PayFlow::Undelivered(const net::HttpResponse& response, const ServiceErrorBody& said,
                           const Prepared& p) {
  UndeliveredOutcome outcome;
  outcome.status = response.status;
  outcome.error = said.text.empty() ? "no error text" : said.text;
  outcome.service_payment_id = said.payment_id;
  // The self-paid hash, unless a receipt that passes the check names the final one (a sponsor's).
  outcome.reference = p.record.tx_hash;
  if (auto receipt = TrustedReceipt(response, p.record, outcome.note); receipt && !receipt->reference.empty())
    outcome.reference = receipt->reference;
  ledger_.RecordUndelivered(p.payment_id, outcome);
  std::string text = "paid " + PaidText(p.record) + " but the service did not deliver: HTTP " +
                     std::to_string(response.status) + ": " + outcome.error;
  if (!outcome.service_payment_id.empty()) text += " (paymentId " + outcome.service_payment_id + ")";
  if (!outcome.reference.empty()) text += ", tx " + outcome.reference;
  return MakeError(ErrorKind::kPaymentRefusedByServer,
                   text + "; not retried; 'mpp wallet history' lists it as undelivered");
}

}  // namespace mpp::protocol
