// `mpp quote --compare` and `mpp chat --cheapest`: the same request probed on every configured service
// (or those --services names), in parallel and without paying, one row per service and model.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/payment_options.h"
#include "cli/quote_compare_rows.h"
#include "cli/request_flags.h"

namespace CLI {
class App;
}

namespace mpp::cli {

// Probes in flight at once.
inline constexpr std::size_t kCompareParallelism = 8;
// The most service x model rows one comparison probes.
inline constexpr std::size_t kMaxCompareRows = 64;

// As given on the command line.
struct CompareFlags {
  bool enabled = false;  // quote --compare, chat --cheapest
  std::string services;  // --services a,b (repeats joined by '\n'); empty: every configured service
};

// Adds `flag` (--compare or --cheapest, described by `help`) and --services, makes -m repeatable (the
// values joined by '\n' in RequestFlags::model), and makes `flag` exclude each option in `excluded`
// (which must already be added).
void AddCompareFlags(CLI::App& app, CompareFlags& flags, const char* flag, const char* help,
                     const std::vector<const char*>& excluded);

// kUsage when -m was given more than once without `flag` (several models only go with a comparison).
Status CheckOneModel(const RequestFlags& request, const CompareFlags& flags, const char* flag);

// The request each service would get for these flags (chat's, with the service's default model when
// -m names none), probed on each service and model, judged like `mpp quote`, sorted (SortRows). A
// service that fails to quote gets an error row. Reads piped stdin into `stdin_text` (once). Errors
// (kUsage) only for an invalid command: an unknown --services name, bad flags or config values.
Result<std::vector<CompareRow>> CompareServices(const CompareFlags& flags, const RequestFlags& request,
                                                const PaymentFlags& payment, Io& io, const Services& services,
                                                std::optional<std::string>& stdin_text);

// quote --compare: prints the rows (table, or JSON with `json`); exit 0 whenever the command was valid.
Status RunCompare(const CompareFlags& flags, const RequestFlags& request, const PaymentFlags& payment,
                  bool json, Io& io, const Services& services);

// What chat --cheapest pays: the service and the -m value (as given; empty: its default model) of the
// cheapest row that fits, and the piped stdin the comparison read (for the paid call to send).
struct CheapestChoice {
  std::string service;
  std::string model;
  std::optional<std::string> stdin_text;
};

// Compares, says on stderr which service it chose and why (with -v the whole table), and returns it.
// kPaymentRefusedLocally when no service fits the caps (naming each one's reason).
Result<CheapestChoice> ChooseCheapest(const CompareFlags& flags, const RequestFlags& request,
                                      const PaymentFlags& payment, Io& io, const Services& services);

}  // namespace mpp::cli
