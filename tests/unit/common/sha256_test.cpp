// SHA-256 as the journal's audit chain, message digests and migration checks compute it: the
// standard's test vectors (FIPS 180-2), pieces fed in any split, and fields as netstrings.
#include <gtest/gtest.h>

#include "common/ids.hpp"
#include "common/sha256.hpp"

namespace swhub::common {
namespace {

TEST(common_sha256, GivesTheStandardsDigests) {
  EXPECT_EQ(Sha256().hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256().update("abc").hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Fed in pieces: the same digest.
  EXPECT_EQ(Sha256().update("abcdbcdecdefdefgefghfghighij").update("").update("hijkijkljklmklmnlmnomnopnopq").hex(),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(common_sha256, FieldsAreNetstringsSoNoTwoListsCollide) {
  EXPECT_EQ(Sha256().field("abc").field("").hex(), Sha256().update("3:abc,0:,").hex());
  EXPECT_EQ(Sha256().field(std::int64_t{-12}).field(std::int64_t{0}).hex(), Sha256().update("3:-12,1:0,").hex());
  EXPECT_NE(Sha256().field("ab").field("c").hex(), Sha256().field("a").field("bc").hex());
  EXPECT_EQ(Sha256().field(std::string(1000, 'x')).hex(), Sha256().update("1000:" + std::string(1000, 'x') + ",").hex());
}

}  // namespace
}  // namespace swhub::common
