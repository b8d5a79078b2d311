#include "mpp/intents.h"

#include "mpp/charge_intent.h"
#include "mpp/session_intent.h"

namespace mpp::protocol {

Intent* FindIntent(std::string_view name) {
  static ChargeIntent charge;
  static SessionIntent session;
  if (name == charge.Name()) return &charge;
  if (name == session.Name()) return &session;
  return nullptr;
}

}  // namespace mpp::protocol
