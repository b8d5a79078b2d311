#include "util/secret.h"

#include <openssl/crypto.h>

#include <utility>

namespace mpp {

void Wipe(void* data, std::size_t size) {
  if (data != nullptr && size > 0) OPENSSL_cleanse(data, size);
}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) {
    Wipe(data_.data(), data_.size());
    data_ = other.data_;
  }
  return *this;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept : data_(std::move(other.data_)) {
  Wipe(other.data_.data(), other.data_.size());
  other.data_.clear();
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe(data_.data(), data_.size());
    data_ = std::move(other.data_);
    Wipe(other.data_.data(), other.data_.size());
    other.data_.clear();
  }
  return *this;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    Wipe(s_);
    s_ = std::move(other.s_);
    Wipe(other.s_);
  }
  return *this;
}

}  // namespace mpp
