// Shared helpers for the wallet unit tests: a private temporary directory, a fake environment, fixtures.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "crypto/address.h"
#include "mpp/ledger.h"
#include "wallet/env.h"

namespace mpp::wallet::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/mpp-wallet-test-XXXXXX";
    path_ = ::mkdtemp(pattern.data()) != nullptr ? std::filesystem::path(pattern) : std::filesystem::path();
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// An environment made of a map; lookups of absent names return nullptr.
class FakeEnv {
 public:
  FakeEnv& Set(const std::string& name, const std::string& value) {
    values_[name] = value;
    return *this;
  }
  EnvLookup Lookup() const {
    return [this](const char* name) -> const char* {
      const auto it = values_.find(name);
      return it == values_.end() ? nullptr : it->second.c_str();
    };
  }

 private:
  std::map<std::string, std::string> values_;
};

inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

inline void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

inline std::string Fixture(const std::string& name) {
  return ReadText(std::filesystem::path(MPP_TEST_DATA_DIR) / "keystores" / name);
}

// Permission bits of a file or directory.
inline unsigned ModeOf(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 01000;  // never a valid answer
  return st.st_mode & 0777;
}

inline crypto::Address TestAddress(const char* text) { return *crypto::Address::Parse(text); }

// A charge of `amount` base units of pathUSD on testnet.
// A payment of `amount` base units. Each call gets a challenge id of its own (unique across threads and
// forked processes) unless `challenge_id` is given: the journal refuses to record one id twice.
inline protocol::PaymentRecord TestPayment(std::uint64_t amount, std::uint64_t chain_id = 42431,
                                           std::string challenge_id = "") {
  static std::atomic<int> next{1};
  protocol::PaymentRecord record;
  record.url = "https://llm.example.com/v1/chat/completions";
  record.realm = "llm.example.com";
  record.challenge_id = challenge_id.empty()
                            ? "challenge-" + std::to_string(::getpid()) + "-" + std::to_string(next++)
                            : std::move(challenge_id);
  record.amount = U256(amount);
  record.currency = TestAddress("0x20c0000000000000000000000000000000000000");
  record.recipient = TestAddress("0x1111111111111111111111111111111111111111");
  record.chain_id = chain_id;
  record.tx_hash = "0x" + std::string(64, 'a');
  record.mode = "pull";
  return record;
}

}  // namespace mpp::wallet::testing
