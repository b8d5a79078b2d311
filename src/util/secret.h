// A byte buffer for key material that wipes itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "util/bytes.h"

namespace mpp {

// Wipes memory in a way the optimizer may not remove (OPENSSL_cleanse).
void Wipe(void* data, std::size_t size);
inline void Wipe(std::string& s) {
  Wipe(s.data(), s.size());
  s.clear();
}
inline void Wipe(Bytes& b) {
  Wipe(b.data(), b.size());
  b.clear();
}

// Whole pages for secret bytes, from mmap: locked in RAM (mlock, so never swapped) and left out of
// core dumps (MADV_DONTDUMP) where the system allows either; wiped before they are unmapped. Throws
// std::bad_alloc when no memory can be mapped.
void* AllocateLockedPages(std::size_t bytes);
void FreeLockedPages(void* data, std::size_t bytes);

// A standard allocator over AllocateLockedPages, for containers of key material.
template <class T>
struct LockedAllocator {
  using value_type = T;
  LockedAllocator() = default;
  template <class U>
  LockedAllocator(const LockedAllocator<U>&) noexcept {}  // NOLINT: allocators convert implicitly
  T* allocate(std::size_t n) { return static_cast<T*>(AllocateLockedPages(n * sizeof(T))); }
  void deallocate(T* data, std::size_t n) noexcept { FreeLockedPages(data, n * sizeof(T)); }
  friend bool operator==(const LockedAllocator&, const LockedAllocator&) { return true; }
};

// Owns secret bytes in locked pages (LockedAllocator); wipes them on destruction and on move-from.
// Never formatted into messages.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::size_t size) : data_(size) {}
  explicit SecretBytes(ByteView bytes) : data_(bytes.begin(), bytes.end()) {}
  SecretBytes(const SecretBytes&) = default;
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes() { Wipe(data_.data(), data_.size()); }

  std::uint8_t* data() { return data_.data(); }
  const std::uint8_t* data() const { return data_.data(); }
  std::size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  ByteView view() const { return data_; }

 private:
  std::vector<std::uint8_t, LockedAllocator<std::uint8_t>> data_;
};

// A string for passwords and hex keys; wipes itself on destruction.
class SecretString {
 public:
  SecretString() = default;
  explicit SecretString(std::string s) : s_(std::move(s)) {}
  SecretString(const SecretString&) = delete;
  SecretString& operator=(const SecretString&) = delete;
  SecretString(SecretString&& other) noexcept : s_(std::move(other.s_)) { Wipe(other.s_); }
  SecretString& operator=(SecretString&& other) noexcept;
  ~SecretString() { Wipe(s_); }

  const std::string& str() const { return s_; }
  std::string& mutable_str() { return s_; }
  bool empty() const { return s_.empty(); }

 private:
  std::string s_;
};

}  // namespace mpp
