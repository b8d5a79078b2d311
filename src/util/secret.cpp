#include "util/secret.h"

#include <openssl/crypto.h>
#include <sys/mman.h>
#include <unistd.h>

#include <new>
#include <utility>

namespace mpp {

void Wipe(void* data, std::size_t size) {
  if (data != nullptr && size > 0) OPENSSL_cleanse(data, size);
}

namespace {

std::size_t PageRounded(std::size_t bytes) {
  static const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return (bytes + page - 1) / page * page;
}

}  // namespace

void* AllocateLockedPages(std::size_t bytes) {
  const std::size_t length = PageRounded(bytes == 0 ? 1 : bytes);
  void* data = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (data == MAP_FAILED) throw std::bad_alloc();
  // Best effort: RLIMIT_MEMLOCK may be small, and old kernels lack MADV_DONTDUMP.
  (void)::mlock(data, length);
  (void)::madvise(data, length, MADV_DONTDUMP);
  return data;
}

void FreeLockedPages(void* data, std::size_t bytes) {
  if (data == nullptr) return;
  const std::size_t length = PageRounded(bytes == 0 ? 1 : bytes);
  Wipe(data, length);
  (void)::munlock(data, length);
  (void)::munmap(data, length);
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
