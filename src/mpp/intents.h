// The intents mpp pays, by the name challenges use. One place to add an intent.
#pragma once

#include <string_view>

#include "mpp/intent.h"

namespace mpp::protocol {

// The intent named `name` ("charge"), or nullptr for one mpp does not pay. The intents live for the
// whole process and keep no state between payments.
Intent* FindIntent(std::string_view name);

}  // namespace mpp::protocol
