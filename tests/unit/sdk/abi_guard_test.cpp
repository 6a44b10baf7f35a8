// The SDK headers are the contract with every plugin ever built. This test hashes them and
// compares with hub/include/swhub/sdk/abi.lock, whose last line records the ABI version and the
// hash of the headers that version was released with. Changing a header therefore needs a
// deliberate act: bump kAbiMinor (compatible addition) or kAbiMajor (anything else) in
// version.hpp and append the new "MAJOR.MINOR SHA256" line that this test prints.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <new>
#include <string>
#include <variant>
#include <vector>

#include "swhub/sdk/plugin.hpp"
#include "swhub/sdk/version.hpp"

namespace {

namespace fs = std::filesystem;
const fs::path kSdkDir = fs::path(SWHUB_SOURCE_ROOT) / "hub/include/swhub/sdk";

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// SHA-256 over every header's name and bytes, in name order.
std::string headersDigest() {
  std::vector<fs::path> headers;
  for (const auto& entry : fs::directory_iterator(kSdkDir)) {
    if (entry.path().extension() == ".hpp") headers.push_back(entry.path());
  }
  std::sort(headers.begin(), headers.end());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (const auto& header : headers) {
    const std::string name = header.filename().string();
    const std::string bytes = readFile(header);
    EVP_DigestUpdate(ctx, name.data(), name.size() + 1);  // with its NUL: names cannot run together
    EVP_DigestUpdate(ctx, bytes.data(), bytes.size());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  std::ostringstream hex;
  for (unsigned int i = 0; i < len; ++i) hex << std::hex << std::setw(2) << std::setfill('0') << int(md[i]);
  return hex.str();
}

struct LockLine {
  std::string version;
  std::string digest;
};

std::vector<LockLine> readLock() {
  std::vector<LockLine> lines;
  std::istringstream in(readFile(kSdkDir / "abi.lock"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    LockLine l;
    fields >> l.version >> l.digest;
    lines.push_back(l);
  }
  return lines;
}

std::string currentVersion() {
  return std::to_string(swhub::sdk::kAbiMajor) + "." + std::to_string(swhub::sdk::kAbiMinor);
}

TEST(AbiGuard, HeadersMatchTheLockedHashOfTheCurrentVersion) {
  const auto lock = readLock();
  const std::string digest = headersDigest();
  const std::string fix = "bump kAbiMinor (compatible addition) or kAbiMajor (incompatible change) in "
                          "version.hpp, then append this line to hub/include/swhub/sdk/abi.lock:\n  " +
                          currentVersion() + " " + digest;
  ASSERT_FALSE(lock.empty()) << "abi.lock has no entry: " << fix;
  EXPECT_EQ(lock.back().digest, digest) << "the SDK headers changed: " << fix;
  EXPECT_EQ(lock.back().version, currentVersion()) << "the ABI version changed without a lock entry: " << fix;
}

TEST(AbiGuard, EveryLockedVersionIsNewerThanTheOneBefore) {
  const auto lock = readLock();
  for (std::size_t i = 1; i < lock.size(); ++i) {
    int maj0 = 0, min0 = 0, maj1 = 0, min1 = 0;
    ASSERT_EQ(std::sscanf(lock[i - 1].version.c_str(), "%d.%d", &maj0, &min0), 2);
    ASSERT_EQ(std::sscanf(lock[i].version.c_str(), "%d.%d", &maj1, &min1), 2);
    EXPECT_TRUE(maj1 > maj0 || (maj1 == maj0 && min1 > min0))
        << "abi.lock line " << i + 1 << " (" << lock[i].version << ") does not follow " << lock[i - 1].version;
    EXPECT_NE(lock[i].digest, lock[i - 1].digest) << "a version bump with unchanged headers";
  }
}

// SDK 3.3 appended DeclarationFacts to Decoded: a 3.2 decoder's piece (built with the 3.2 variant
// of three alternatives in memory the hub allocated) must read as the same alternative, so the
// variant keeps its size, alignment and the place of its index.
TEST(AbiGuard, DecodedKeepsTheLayoutOfSdk32) {
  using namespace swhub::sdk;
  using Decoded32 = std::variant<DecodedFiling, HubEvent, Errors>;
  static_assert(sizeof(Decoded) == sizeof(Decoded32));
  static_assert(alignof(Decoded) == alignof(Decoded32));
  static_assert(sizeof(DeclarationFacts) <= sizeof(DecodedFiling));
  alignas(Decoded32) unsigned char raw[sizeof(Decoded32)];
  auto* old = new (raw) Decoded32(std::in_place_index<1>, HubEvent{HubEvent::Kind::PaymentConfirmed, "C-1", "", "T-1"});
  const Decoded& seen = *std::launder(reinterpret_cast<const Decoded*>(raw));
  EXPECT_EQ(seen.index(), 1u);
  ASSERT_TRUE(std::holds_alternative<HubEvent>(seen));
  EXPECT_EQ(std::get<HubEvent>(seen).transaction_id, "T-1");
  old->~Decoded32();
  new (raw) Decoded32(std::in_place_index<2>, Errors{{"/x", "bad"}});
  EXPECT_EQ(std::launder(reinterpret_cast<const Decoded*>(raw))->index(), 2u);
  std::launder(reinterpret_cast<Decoded32*>(raw))->~Decoded32();
}

TEST(AbiGuard, ToolchainIdentityNamesCompilerAndStandardLibrary) {
  const std::string toolchain = swhub::sdk::kToolchain;
  EXPECT_EQ(toolchain.find("unknown"), std::string::npos) << toolchain;
  EXPECT_NE(toolchain.find(" / "), std::string::npos) << toolchain;
}

}  // namespace
