// ParseProblemDetails on any body, then what the CLI does with a parsed problem: classify, explain,
// describe. Every string is display-safe and a status is an HTTP status code.
#include <string>

#include "fuzz_check.h"
#include "mpp/problem.h"
#include "util/text.h"

namespace {

bool IsDisplaySafe(const std::string& text) { return mpp::DisplayText(text, SIZE_MAX) == text; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body = mpp::fuzz::AsText(data, size);
  (void)mpp::protocol::ClassifyProblemType(body);
  (void)mpp::protocol::ExplainProblemType(body);
  auto problem = mpp::protocol::ParseProblemDetails(body);
  if (!problem) return 0;
  for (const std::string* field :
       {&problem->type, &problem->title, &problem->detail, &problem->challenge_id, &problem->hint}) {
    FUZZ_CHECK(IsDisplaySafe(*field));
  }
  if (problem->status) FUZZ_CHECK(*problem->status >= 100 && *problem->status <= 599);
  FUZZ_CHECK(IsDisplaySafe(mpp::protocol::DescribeProblem(*problem)));
  return 0;
}
