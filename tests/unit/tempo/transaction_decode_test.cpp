#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <span>

#include "tempo/rlp.h"
#include "tempo/transaction.h"
#include "util/hex.h"
#include "vector_transactions.h"

namespace mpp::tempo {
namespace {

using namespace mpp::testing;

// The vector's raw forms that a decoder must accept, with the input type each one is.
struct RawForm {
  const char* field;
  bool envelope;
  bool co_signed;
};
constexpr RawForm kSelfPaidForms[] = {{"signedRaw", false, false}};
constexpr RawForm kSponsoredForms[] = {
    {"credentialEnvelope0x78", true, false},
    {"handoff0x76WithZeroMarker", false, false},
    {"finalRaw", false, true},
};

Bytes Reencode(const DecodedTransaction& decoded) {
  return decoded.is_fee_payer_envelope ? FeePayerEnvelope0x78(decoded.tx, decoded.sender)
                                       : SignedRaw(decoded.tx);
}

TEST(DecodeSignedTransaction, RoundTripsEveryVectorAndRecoversTheSigners) {
  int checked = 0;
  for (const auto& v : Vectors()["transactions"].GetArray()) {
    std::span<const RawForm> forms =
        IsSponsored(v) ? std::span<const RawForm>(kSponsoredForms) : kSelfPaidForms;
    for (const RawForm& form : forms) {
      SCOPED_TRACE(Str(v["name"]) + " " + form.field);
      Bytes raw = HexBytes(Expect(v, form.field));
      auto decoded = DecodeSignedTransaction(raw);
      ASSERT_TRUE(decoded.ok()) << decoded.error().message;
      EXPECT_EQ(ToHex(Reencode(*decoded)), ToHex(raw));
      EXPECT_EQ(decoded->sender, Addr(v["sender"]));
      EXPECT_EQ(decoded->is_fee_payer_envelope, form.envelope);
      EXPECT_EQ(decoded->hash, TxHash(raw));
      EXPECT_EQ(decoded->tx.IsSponsored(), IsSponsored(v));
      if (form.co_signed) {
        ASSERT_TRUE(decoded->fee_payer.has_value());
        EXPECT_EQ(*decoded->fee_payer, Addr(v["feePayer"]));
        EXPECT_EQ(ToHex(decoded->hash), Expect(v, "finalTxHash"));
        EXPECT_EQ(decoded->tx.fee_token, Addr(v["feeTokenChosenBySponsor"]));
      } else {
        EXPECT_FALSE(decoded->fee_payer.has_value());
        // Apart from the signature, the decoded value is the transaction the vector describes.
        TempoTransaction expected = TransactionFrom(v);
        expected.sender_signature = decoded->tx.sender_signature;
        EXPECT_EQ(decoded->tx, expected);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 4 + 4 * 3);
}

Bytes V1Raw() { return HexBytes(Expect(Vectors()["transactions"][0], "signedRaw")); }

// Rebuilds V1's signed raw with its RLP fields changed by `edit`, keeping the type byte.
Bytes EditV1(const std::function<void(std::vector<Bytes>&)>& edit, std::uint8_t type = kTempoTxType) {
  Bytes raw = V1Raw();
  auto root = RlpDecode(ByteView(raw).subspan(1)).value();
  std::vector<Bytes> fields;
  for (const RlpItem& item : root.items) fields.push_back(item.encoded);
  edit(fields);
  RlpList list;
  for (const Bytes& field : fields) list.AddRaw(field);
  Bytes out{type};
  Append(out, list.Encode());
  return out;
}

void ExpectRefused(ByteView raw, std::string_view message_part) {
  auto decoded = DecodeSignedTransaction(raw);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().kind, ErrorKind::kUsage);
  EXPECT_NE(decoded.error().message.find(message_part), std::string::npos) << decoded.error().message;
}

TEST(DecodeSignedTransaction, RejectsOtherTypeBytes) {
  Bytes raw = V1Raw();
  raw[0] = 0x02;
  ExpectRefused(raw, "type byte");
  ExpectRefused({}, "no bytes");
}

TEST(DecodeSignedTransaction, RejectsTrailingBytesAndTruncation) {
  Bytes raw = V1Raw();
  raw.push_back(0x00);
  ExpectRefused(raw, "trailing");
  ExpectRefused(ByteView(V1Raw()).first(V1Raw().size() - 1), "RLP");
}

TEST(DecodeSignedTransaction, RejectsAWrongFieldCount) {
  ExpectRefused(EditV1([](auto& f) { f.pop_back(); }), "fields");
  ExpectRefused(EditV1([](auto& f) {
                  f.insert(f.begin() + 13, Bytes{0xc0});
                  f.insert(f.begin(), Bytes{0x80});
                }),
                "fields");
}

TEST(DecodeSignedTransaction, RejectsEmptyCallsAndContractCreation) {
  ExpectRefused(EditV1([](auto& f) { f[4] = {0xc0}; }), "empty");
  ExpectRefused(EditV1([](auto& f) { f[4] = {0xc4, 0xc3, 0x80, 0x80, 0x80}; }), "contract creation");
}

TEST(DecodeSignedTransaction, RejectsNonCanonicalIntegers) {
  ExpectRefused(EditV1([](auto& f) { f[0] = {0x82, 0x00, 0x01}; }), "chainId");
  ExpectRefused(EditV1([](auto& f) { f[0] = {0x00}; }), "chainId");
}

TEST(DecodeSignedTransaction, RejectsSignaturesThatAreNot65ByteSecp256k1) {
  ExpectRefused(EditV1([](auto& f) { f.back() = RlpEncodeBytes(Bytes(64, 1)); }), "65-byte");
  ExpectRefused(EditV1([](auto& f) {
                  Bytes sig = RlpDecode(f.back()).value().bytes;
                  sig[64] = 29;
                  f.back() = RlpEncodeBytes(sig);
                }),
                "senderSignature");
}

TEST(DecodeSignedTransaction, AcceptsVAsZeroOrOneAndWritesItBackAs27Or28) {
  Bytes raw = EditV1([](auto& f) {
    Bytes sig = RlpDecode(f.back()).value().bytes;
    sig[64] -= 27;
    f.back() = RlpEncodeBytes(sig);
  });
  auto decoded = DecodeSignedTransaction(raw);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(ToHex(SignedRaw(decoded->tx)), ToHex(V1Raw()));
  EXPECT_EQ(decoded->sender, Addr(Vectors()["transactions"][0]["sender"]));
}

TEST(DecodeSignedTransaction, RejectsAnUnknownFeePayerSlot) {
  ExpectRefused(EditV1([](auto& f) { f[11] = {0x01}; }), "feePayerSignature");
  ExpectRefused(EditV1([](auto& f) { f[11] = {0xc2, 0x01, 0x01}; }), "feePayerSignature");
}

TEST(DecodeSignedTransaction, RejectsAnEnvelopeNamingAnotherSender) {
  const auto& v = Vectors()["transactions"][2];
  Bytes raw = HexBytes(Expect(v, "credentialEnvelope0x78"));
  auto root = RlpDecode(ByteView(raw).subspan(1)).value();
  RlpList list;
  for (std::size_t i = 0; i < root.items.size(); ++i) {
    if (i == 11) {
      list.AddBytes(Addr(v["feePayer"]).bytes);
    } else {
      list.AddRaw(root.items[i].encoded);
    }
  }
  Bytes tampered{kFeePayerMagic};
  Append(tampered, list.Encode());
  ExpectRefused(tampered, "names sender");
}

TEST(DecodeSignedTransaction, ATamperedFieldChangesTheRecoveredSender) {
  Bytes raw = EditV1([](auto& f) { f[0] = {0x02}; });  // chain id 2 instead of 1
  auto decoded = DecodeSignedTransaction(raw);
  if (decoded.ok()) {
    EXPECT_NE(decoded->sender, Addr(Vectors()["transactions"][0]["sender"]));
  }
}

TEST(DecodeSignedTransaction, KeepsKeyAuthorizationAndAuthorizationsOpaque) {
  Bytes raw = EditV1([](auto& f) {
    f[12] = {0xc2, 0xc1, 0x05};
    f.insert(f.end() - 1, Bytes{0xc2, 0x07, 0x08});
  });
  auto decoded = DecodeSignedTransaction(raw);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded->tx.aa_authorization_list.size(), 1u);
  EXPECT_EQ(decoded->tx.aa_authorization_list[0], (Bytes{0xc1, 0x05}));
  EXPECT_EQ(decoded->tx.key_authorization, (Bytes{0xc2, 0x07, 0x08}));
  EXPECT_EQ(SignedRaw(decoded->tx), raw);
}

TEST(DecodeSignedTransaction, SurvivesEveryTruncationAndBitFlip) {
  const auto& v = Vectors()["transactions"][4];
  for (const char* field : {"credentialEnvelope0x78", "finalRaw"}) {
    Bytes raw = HexBytes(Expect(v, field));
    for (std::size_t n = 0; n < raw.size(); ++n) {
      EXPECT_FALSE(DecodeSignedTransaction(ByteView(raw).first(n)).ok());
    }
    for (std::size_t i = 0; i < raw.size(); ++i) {
      for (int bit = 0; bit < 8; bit += 3) {
        Bytes mutated = raw;
        mutated[i] ^= static_cast<std::uint8_t>(1 << bit);
        (void)DecodeSignedTransaction(mutated).ok();  // any outcome but a crash
      }
    }
  }
}

TEST(DecodeSignedTransaction, SurvivesRandomBytes) {
  std::mt19937 random(20240601);  // fixed seed: reproducible
  Bytes raw = HexBytes(Expect(Vectors()["transactions"][4], "finalRaw"));
  for (int i = 0; i < 4000; ++i) {  // tests/fuzz goes much further; this guards every build
    Bytes input;
    if (i % 2 == 0) {
      input.resize(random() % 300);
      for (std::uint8_t& b : input) b = static_cast<std::uint8_t>(random());
      if (!input.empty()) input[0] = (i % 4 == 0) ? kTempoTxType : kFeePayerMagic;
    } else {
      input = raw;  // a valid transaction with a few random bytes overwritten
      for (int k = 0; k < 3; ++k) input[random() % input.size()] = static_cast<std::uint8_t>(random());
    }
    (void)DecodeSignedTransaction(input).ok();  // any outcome but a crash
    (void)RlpDecode(input).ok();
  }
}

}  // namespace
}  // namespace mpp::tempo
