#include "wallet/channel_store.h"

#include <fcntl.h>

#include <algorithm>
#include <array>
#include <system_error>

#include <rapidjson/document.h>

#include "util/hex.h"
#include "util/json_fields.h"
#include "util/json_writer.h"
#include "util/text.h"
#include "wallet/file_lock.h"
#include "wallet/files.h"
#include "wallet/journal.h"
#include "wallet/paths.h"

namespace mpp::wallet {
namespace {

using protocol::ChannelStatus;
using protocol::PendingChannelTx;
using protocol::StoredChannel;

std::string HexOf(const Hash32& hash) { return ToHex(ByteView(hash.data(), hash.size())); }

class StoreHold final : public protocol::ChannelBook::Hold {
 public:
  explicit StoreHold(FileLock lock) : lock_(std::move(lock)) {}

 private:
  FileLock lock_;
};

Error BadRecord(const std::string& what) {
  return MakeError(ErrorKind::kWallet, "a channel record is damaged (" + what +
                                           "); 'mpp wallet channels recover' rebuilds it from the chain");
}

// Strict readers for one record's members.
struct RecordReader {
  const rapidjson::Value& object;

  Result<std::string> Text(std::string_view name) const {
    auto value = json::StringMember(object, name);
    if (!value) return BadRecord(std::string(name) + " is missing");
    return std::string(*value);
  }
  Result<crypto::Address> Address(std::string_view name) const {
    auto text = Text(name);
    if (!text) return text.error();
    auto address = crypto::Address::Parse(*text);
    if (!address) return BadRecord(std::string(name) + " is not an address");
    return *address;
  }
  Result<Hash32> Hash(std::string_view name) const {
    auto text = Text(name);
    if (!text) return text.error();
    auto hash = Hash32FromHex(*text);
    if (!hash) return BadRecord(std::string(name) + " is not 32 bytes of hex");
    return *hash;
  }
  Result<U256> Amount(std::string_view name) const {
    auto text = Text(name);
    if (!text) return text.error();
    auto amount = U256::FromDecimal(*text);
    if (!amount || !tempo::FitsUint96(*amount)) return BadRecord(std::string(name) + " is not an amount");
    return *amount;
  }
  Result<std::uint64_t> Number(std::string_view name) const {
    auto value = json::Uint64Member(object, name);
    if (!value) return BadRecord(std::string(name) + " is missing");
    return *value;
  }
};

// The first error among `results`, if any.
template <class... Results>
std::optional<Error> FirstError(const Results&... results) {
  std::optional<Error> first;
  ((first = first ? first : (results ? std::nullopt : std::optional<Error>(results.error()))), ...);
  return first;
}

}  // namespace

const std::string& CurrentBootId() {
  static const std::string id = [] {
    auto text = files::ReadCapped("/proc/sys/kernel/random/boot_id", 128, ErrorKind::kWallet);
    if (!text) return std::string();
    std::string id(*text);
    while (!id.empty() && (id.back() == '\n' || id.back() == ' ')) id.pop_back();
    return id.size() >= 16 ? id : std::string();
  }();
  return id;
}

U256 JournaledCumulative(const std::vector<JournalRecord>& records, std::string_view channel_id) {
  U256 highest;
  for (const JournalRecord& record : records) {
    if (record.type != RecordType::kSigned && record.type != RecordType::kVoucher) continue;
    if (!EqualsIgnoreAsciiCase(record.channel_id, channel_id)) continue;
    highest = std::max(highest, record.cumulative);
  }
  return highest;
}

std::string SerializeChannel(const StoredChannel& c, std::string_view unsynced_boot) {
  rapidjson::StringBuffer buffer;
  json::Writer w(buffer);
  w.StartObject();
  w.Key("v");
  w.Uint(1);
  json::WriteField(w, "status", protocol::ChannelStatusName(c.status));
  w.Key("chain_id");
  w.Uint64(c.scope.chain_id);
  json::WriteField(w, "escrow", c.scope.escrow.ToChecksumHex());
  json::WriteField(w, "channel_id", HexOf(c.channel_id));
  json::WriteField(w, "payer", c.descriptor.payer.ToChecksumHex());
  json::WriteField(w, "payee", c.descriptor.payee.ToChecksumHex());
  json::WriteField(w, "operator", c.descriptor.operator_address.ToChecksumHex());
  json::WriteField(w, "token", c.descriptor.token.ToChecksumHex());
  json::WriteField(w, "salt", HexOf(c.descriptor.salt));
  json::WriteField(w, "authorized_signer", c.descriptor.authorized_signer.ToChecksumHex());
  json::WriteField(w, "expiring_nonce_hash", HexOf(c.descriptor.expiring_nonce_hash));
  json::WriteField(w, "deposit", c.deposit.ToDecimal());
  json::WriteField(w, "cumulative", c.cumulative.ToDecimal());
  json::WriteField(w, "accepted", c.accepted.ToDecimal());
  json::WriteField(w, "spent", c.spent.ToDecimal());
  json::WriteField(w, "endpoint", c.endpoint);
  json::WriteField(w, "realm", c.realm);
  w.Key("opened_at");
  w.Int64(c.opened_at);
  w.Key("updated_at");
  w.Int64(c.updated_at);
  if (c.pending) {
    w.Key("pending");
    w.StartObject();
    json::WriteField(w, "kind", c.pending->kind == PendingChannelTx::Kind::kOpen ? "open" : "top-up");
    json::WriteField(w, "tx_hash", c.pending->tx_hash);
    json::WriteField(w, "deposit", c.pending->deposit.ToDecimal());
    w.Key("valid_before");
    w.Uint64(c.pending->valid_before);
    w.EndObject();
  }
  if (!unsynced_boot.empty()) json::WriteField(w, "unsynced_boot", unsynced_boot);
  w.EndObject();
  return json::BufferText(buffer) + "\n";
}

Result<StoredChannel> ParseChannel(std::string_view text, std::string* unsynced_boot) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsObject()) return BadRecord("not a JSON object");
  const RecordReader r{doc};
  auto version = r.Number("v");
  if (!version) return version.error();
  if (*version != 1) return BadRecord("version " + std::to_string(*version) + " is not one mpp reads");
  StoredChannel c;
  auto status_text = r.Text("status");
  if (!status_text) return status_text.error();
  auto status = protocol::ParseChannelStatus(*status_text);
  if (!status) return BadRecord("unknown status '" + DisplayText(*status_text, 20) + "'");
  c.status = *status;
  auto chain = r.Number("chain_id");
  auto escrow = r.Address("escrow");
  auto id = r.Hash("channel_id");
  auto payer = r.Address("payer");
  auto payee = r.Address("payee");
  auto op = r.Address("operator");
  auto token = r.Address("token");
  auto salt = r.Hash("salt");
  auto signer = r.Address("authorized_signer");
  auto nonce_hash = r.Hash("expiring_nonce_hash");
  auto deposit = r.Amount("deposit");
  auto cumulative = r.Amount("cumulative");
  auto accepted = r.Amount("accepted");
  auto spent = r.Amount("spent");
  auto endpoint = r.Text("endpoint");
  auto realm = r.Text("realm");
  if (auto failed = FirstError(chain, escrow, id, payer, payee, op, token, salt, signer, nonce_hash, deposit,
                               cumulative, accepted, spent, endpoint, realm))
    return *failed;
  c.scope = {*payer, *payee, *token, *escrow, *chain};
  c.channel_id = *id;
  c.descriptor = {*payer, *payee, *op, *token, *salt, *signer, *nonce_hash};
  c.deposit = *deposit;
  c.cumulative = *cumulative;
  c.accepted = *accepted;
  c.spent = *spent;
  c.endpoint = *endpoint;
  c.realm = *realm;
  if (const auto* opened = json::FindMember(doc, "opened_at"); opened != nullptr && opened->IsInt64())
    c.opened_at = opened->GetInt64();
  if (const auto* updated = json::FindMember(doc, "updated_at"); updated != nullptr && updated->IsInt64())
    c.updated_at = updated->GetInt64();
  if (const auto* pending = json::ObjectMember(doc, "pending")) {
    const RecordReader p{*pending};
    auto kind = p.Text("kind");
    auto tx_hash = p.Text("tx_hash");
    auto pending_deposit = p.Amount("deposit");
    auto valid_before = p.Number("valid_before");
    if (auto failed = FirstError(kind, tx_hash, pending_deposit, valid_before)) return *failed;
    if (*kind != "open" && *kind != "top-up") return BadRecord("unknown pending kind");
    c.pending =
        PendingChannelTx{*kind == "open" ? PendingChannelTx::Kind::kOpen : PendingChannelTx::Kind::kTopUp,
                         *tx_hash, *pending_deposit, *valid_before};
  }
  // The id must be the descriptor's: a record never sends vouchers for one channel to another.
  if (tempo::ChannelId(c.descriptor, c.scope.escrow, c.scope.chain_id) != c.channel_id)
    return BadRecord("its channel id does not derive from its descriptor");
  if (c.cumulative > c.deposit && c.status != ChannelStatus::kStale && c.status != ChannelStatus::kClosed)
    return BadRecord("it has signed more than its deposit");
  if (unsynced_boot != nullptr) {
    const auto boot = json::StringMember(doc, "unsynced_boot");
    *unsynced_boot = boot ? std::string(*boot) : std::string();
  }
  return c;
}

std::filesystem::path ChannelStore::RecordFile(const protocol::ChannelScope& s) const {
  auto lower = [](const crypto::Address& a) { return a.ToLowerHex(); };
  return dir_ / (std::to_string(s.chain_id) + "-" + lower(s.payer) + "-" + lower(s.payee) + "-" +
                 lower(s.token) + "-" + lower(s.escrow) + ".json");
}

Result<std::unique_ptr<protocol::ChannelBook::Hold>> ChannelStore::Lock(const protocol::ChannelScope& scope) {
  if (auto made = EnsurePrivateDirectory(dir_); !made) return made.error();
  std::filesystem::path lock_file = RecordFile(scope);
  lock_file.replace_extension(".lock");
  auto fd = OpenFile(lock_file, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW);
  if (!fd) return fd.error();
  auto lock = FileLock::Acquire(std::move(*fd), LockMode::kExclusive, lock_file);
  if (!lock) return lock.error();
  return std::unique_ptr<protocol::ChannelBook::Hold>(std::make_unique<StoreHold>(std::move(*lock)));
}

// One record file, parsed; a record written without fsync in an earlier boot takes the journal's
// cumulative when that is higher (`reconciled` says whether it did).
Result<StoredChannel> ChannelStore::Read(const std::filesystem::path& file, bool* reconciled) const {
  *reconciled = false;
  auto text = ReadFileCapped(file, kMaxChannelRecordBytes);
  if (!text) return text.error();
  std::string boot;
  auto channel = ParseChannel(*text, &boot);
  if (!channel) return MakeError(ErrorKind::kWallet, file.string() + ": " + channel.error().message);
  if (boot.empty() || boot == CurrentBootId()) return channel;
  // Written without fsync before the machine restarted: the rename may not have reached the disk.
  if (journal_.empty()) {
    return MakeError(ErrorKind::kWallet, file.string() +
                                             ": the record was written before a restart and no journal is "
                                             "known to back it; 'mpp wallet channels recover' rebuilds it");
  }
  auto journal = Journal(journal_).Read();
  if (!journal) {
    return MakeError(ErrorKind::kWallet, file.string() +
                                             ": the record was written before a restart and the journal "
                                             "that backs it cannot be read (" +
                                             journal.error().message + "); fix the journal, then try again");
  }
  const U256 journaled = JournaledCumulative(journal->records, HexOf(channel->channel_id));
  if (journaled > channel->cumulative) channel->cumulative = journaled;
  *reconciled = true;
  return channel;
}

Result<std::optional<StoredChannel>> ChannelStore::Load(const protocol::ChannelScope& scope) {
  const std::filesystem::path file = RecordFile(scope);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::optional<StoredChannel>();
  bool reconciled = false;
  auto channel = Read(file, &reconciled);
  if (!channel) return channel.error();
  if (channel->scope != scope)
    return MakeError(ErrorKind::kWallet, file.string() + ": the record is for another channel scope");
  if (reconciled) {
    if (auto saved = Save(*channel); !saved) return saved.error();
  }
  return std::optional<StoredChannel>(std::move(*channel));
}

Status ChannelStore::Save(const StoredChannel& channel) {
  if (auto made = EnsurePrivateDirectory(dir_); !made) return made;
  return WriteFileAtomic(RecordFile(channel.scope), SerializeChannel(channel));
}

Status ChannelStore::SaveJournaled(const StoredChannel& channel) {
  const std::string& boot = CurrentBootId();
  if (journal_.empty() || boot.empty()) return Save(channel);
  if (auto made = EnsurePrivateDirectory(dir_); !made) return made;
  return WriteFileAtomic(RecordFile(channel.scope), SerializeChannel(channel, boot), ExistingFile::kReplace,
                         0600, Sync::kNone);
}

Result<std::vector<StoredChannel>> ChannelStore::List() const {
  std::vector<StoredChannel> out;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir_, ec)) return out;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    if (entry.path().extension() == ".json" && entry.is_regular_file(ec)) files.push_back(entry.path());
  }
  if (ec) return MakeError(ErrorKind::kWallet, "cannot list " + dir_.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    bool reconciled = false;
    auto channel = Read(file, &reconciled);
    if (!channel) return channel.error();
    out.push_back(std::move(*channel));
  }
  return out;
}

}  // namespace mpp::wallet
