#include "mpp/intents.h"

#include "mpp/charge_intent.h"

namespace mpp::protocol {

Intent* FindIntent(std::string_view name) {
  static ChargeIntent charge;
  if (name == charge.Name()) return &charge;
  return nullptr;
}

}  // namespace mpp::protocol
