// Signed receipts (issue 10, item 1) through a real hub: every 202 of POST /v1/messages and every
// answer to POST /v1/agency/decisions carries `signed` (the exact bytes, README "Signed receipts"),
// `signature` and `signature_alg`; GET /v1/receipts/certificate serves the certificate; and the
// README's own openssl commands verify a real receipt and refuse a tampered one: with the P-256
// key a hub makes at its first start, and with an Ed25519 key named in hub.receipts.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>

#include "express_manifest.hpp"
#include "hub_process.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

std::string sha256(const std::string& bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  std::string hex;
  char two[3];
  for (unsigned char b : digest) {
    std::snprintf(two, sizeof two, "%02x", b);
    hex += two;
  }
  return "sha256:" + hex;
}

// Runs `command` in `dir` with the shell; returns {exit code, what it printed}.
std::pair<int, std::string> shell(const TempDir& dir, const std::string& command) {
  const std::string log = dir.file("shell.log");
  const int status = std::system(("cd '" + dir.path().string() + "' && (" + command + ") > '" + log + "' 2>&1").c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, readFile(log)};
}

// The README's commands, as a partner runs them, on `receipt` (the body of the hub's answer)
// with the hub's certificate. The two jq lines are run when jq is there; without it the same
// bytes are written here (`jq -j` adds nothing, `jq -r` a line break). `tamper` edits signed.txt
// first. Returns the verification's {exit code, output}.
std::pair<int, std::string> verifyAsThePartner(const TempDir& dir, const std::string& receipt,
                                               const std::string& certificate, const std::string& tamper = "") {
  writeFile(dir.file("receipt.json"), receipt);
  writeFile(dir.file("hub-receipts.pem"), certificate);
  if (shell(dir, "command -v jq").first == 0) {
    EXPECT_EQ(shell(dir, "jq -j .signed receipt.json > signed.txt").first, 0);
    EXPECT_EQ(shell(dir, "jq -r .signature receipt.json | openssl base64 -d -A -out signature.bin").first, 0);
  } else {
    const auto parsed = parse(receipt);
    writeFile(dir.file("signed.txt"), parsed->getValue<std::string>("signed"));
    writeFile(dir.file("signature.b64"), parsed->getValue<std::string>("signature") + "\n");
    EXPECT_EQ(shell(dir, "openssl base64 -d -A -out signature.bin < signature.b64").first, 0);
  }
  if (!tamper.empty()) {
    EXPECT_EQ(shell(dir, tamper).first, 0);
  }
  EXPECT_EQ(shell(dir, "openssl x509 -in hub-receipts.pem -pubkey -noout > hub-receipts.pub").first, 0);
  const std::string algorithm = parse(receipt)->getValue<std::string>("signature_alg");
  if (algorithm == "ed25519") {
    return shell(dir, "openssl pkeyutl -verify -pubin -inkey hub-receipts.pub -rawin -in signed.txt -sigfile signature.bin");
  }
  EXPECT_EQ(algorithm, "ecdsa-p256-sha256");
  return shell(dir, "openssl dgst -sha256 -verify hub-receipts.pub -signature signature.bin signed.txt");
}

constexpr const char* kTamperDigest = "sed -i 's/^digest=sha256:./digest=sha256:x/' signed.txt";

std::string config(const std::string& receipts = "") {
  return "hub:\n  listen: 127.0.0.1:0\n  journal: sqlite:var/journal.db\n  plugin_dir: " + std::string(SWHUB_PLUGIN_DIR) +
         "\n" + receipts +
         "plugins:\n  canonical: {library: swhub_canonical.so}\n  express_manifest: {library: swhub_express_manifest.so}\n"
         "partners:\n"
         "  demo-post: {kind: postal, plugin: canonical, credentials: {tokens: [demo-post-token]}}\n"
         "  demo-express: {kind: express, plugin: express_manifest, max_body_bytes: 67108864,\n"
         "                 credentials: {tokens: [demo-express-token]}}\n"
         "agencies:\n  customs: {credentials: {tokens: [demo-customs-token]}}\n"
         "routes:\n  - {name: all, require: [customs]}\n";
}

HttpResponse fileFiling(const HubProcess& hub, const std::string& body, const std::string& key) {
  return request(hub.address(), "POST", "/v1/messages", body,
                 {{"Authorization", "Bearer demo-post-token"},
                  {"Content-Type", "application/vnd.swhub.consignment+json"},
                  {"Idempotency-Key", key}});
}

std::string certificateOf(const HubProcess& hub) {
  const HttpResponse served = request(hub.address(), "GET", "/v1/receipts/certificate");  // no credentials
  EXPECT_EQ(served.status, 200) << served.body;
  EXPECT_EQ(served.headers.count("Content-Type") ? served.headers.at("Content-Type") : "", "application/x-pem-file");
  return served.body;
}

// A filing's signed text, rebuilt from the receipt's own fields and the body sent.
std::string expectedFilingText(const Object::Ptr& receipt, const std::string& body) {
  std::string cases;
  const auto list = receipt->getArray("cases");
  for (std::size_t i = 0; i < list->size(); ++i) {
    cases += (i ? "," : "") + list->getObject(static_cast<unsigned>(i))->getValue<std::string>("case_id");
  }
  return "swhub-receipt-v1\ntype=message\nmessage_id=" + receipt->getValue<std::string>("message_id") +
         "\npartner=demo-post\ndigest=" + sha256(body) + "\nreceived_at=" + receipt->getValue<std::string>("received_at") +
         "\ncases=" + cases + "\n";
}

TEST(receipts, AFilingReceiptIsSignedByTheKeyMadeAtTheFirstStartAndVerifiesWithPlainOpenssl) {
  TempDir dir;
  writeFile(dir.file("hub.yaml"), config());
  HubProcess hub({"serve", "--config", dir.file("hub.yaml")});
  const std::string body = exampleFiling("RCPT-1");
  const HttpResponse filed = fileFiling(hub, body, "rcpt-1");
  ASSERT_EQ(filed.status, 202) << filed.body;
  const auto receipt = parse(filed.body);
  EXPECT_EQ(receipt->getValue<std::string>("digest"), sha256(body));
  EXPECT_EQ(receipt->getValue<std::string>("signed"), expectedFilingText(receipt, body));
  EXPECT_EQ(receipt->getValue<std::string>("signature_alg"), "ecdsa-p256-sha256");

  const std::string certificate = certificateOf(hub);
  const auto [verified, said] = verifyAsThePartner(dir, filed.body, certificate);
  EXPECT_EQ(verified, 0) << said;
  EXPECT_NE(said.find("Verified OK"), std::string::npos) << said;
  const auto [tampered, refused] = verifyAsThePartner(dir, filed.body, certificate, kTamperDigest);
  EXPECT_NE(tampered, 0) << refused;
  EXPECT_NE(refused.find("Verification failure"), std::string::npos) << refused;

  // Beside the journal; the key for its owner only; the start says where.
  EXPECT_EQ(readFile(dir.file("var/receipts.crt")), certificate);
  struct stat key {};
  ASSERT_EQ(::stat(dir.file("var/receipts.key").c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600u);
  hub.terminate();
  EXPECT_NE(hub.output().find("receipts: signed with the ecdsa-p256-sha256 key " + dir.file("var/receipts.key") +
                              ", certificate " + dir.file("var/receipts.crt") + " (made now, at the first start"),
            std::string::npos)
      << hub.output();
}

TEST(receipts, AReplayAnswersTheSameSignedReceiptAndARestartKeepsTheKey) {
  TempDir dir;
  writeFile(dir.file("hub.yaml"), config());
  const std::string body = exampleFiling("RCPT-REPLAY");
  std::string first, certificate;
  {
    HubProcess hub({"serve", "--config", dir.file("hub.yaml")});
    first = fileFiling(hub, body, "rcpt-replay").body;
    certificate = certificateOf(hub);
    EXPECT_EQ(fileFiling(hub, body, "rcpt-replay").body, first);
    hub.terminate();
  }
  HubProcess hub({"serve", "--config", dir.file("hub.yaml")});
  EXPECT_EQ(fileFiling(hub, body, "rcpt-replay").body, first);
  EXPECT_EQ(certificateOf(hub), certificate);
  EXPECT_EQ(verifyAsThePartner(dir, first, certificateOf(hub)).first, 0);
  hub.terminate();
  EXPECT_NE(hub.output().find("(made at the first start: set hub.receipts"), std::string::npos) << hub.output();
}

TEST(receipts, ADecisionsAcknowledgementIsSignedOverItsBodyItsCaseAndItsEffect) {
  TempDir dir;
  writeFile(dir.file("hub.yaml"), config());
  HubProcess hub({"serve", "--config", dir.file("hub.yaml")});
  const auto filed = parse(fileFiling(hub, exampleFiling("RCPT-DECIDED"), "rcpt-decided").body);
  const std::string caseId = filed->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  const std::string decision = R"({"case_id":")" + caseId +
                               R"(","decision":"hold","reason":"papers","decided_at":"2026-11-28T09:00:00Z"})";
  const HttpResponse decided = request(hub.address(), "POST", "/v1/agency/decisions", decision,
                                       {{"Authorization", "Bearer demo-customs-token"},
                                        {"Content-Type", "application/json"}});
  ASSERT_EQ(decided.status, 200) << decided.body;
  const auto answer = parse(decided.body);
  EXPECT_EQ(answer->getValue<std::string>("effect"), "applied");
  EXPECT_EQ(answer->getValue<std::string>("signed"),
            "swhub-receipt-v1\ntype=decision\nagency=customs\ndigest=" + sha256(decision) +
                "\nreceived_at=" + answer->getValue<std::string>("received_at") + "\ncases=" + caseId +
                "\ndecision=hold\ndecided_at=2026-11-28T09:00:00.000Z\neffect=applied\n");
  const std::string certificate = certificateOf(hub);
  EXPECT_EQ(verifyAsThePartner(dir, decided.body, certificate).first, 0);
  EXPECT_NE(verifyAsThePartner(dir, decided.body, certificate, "sed -i 's/^effect=applied/effect=duplicate/' signed.txt").first, 0);
}

// A message above the in-memory limit is spooled and its receipt written as its cases are
// planned: its signed text lists every case all the same.
TEST(receipts, ALargeSpooledFilingsReceiptIsSignedOverEveryCase) {
  TempDir dir;
  writeFile(dir.file("hub.yaml"), config());
  HubProcess hub({"serve", "--config", dir.file("hub.yaml")});
  const std::string body = expressManifest(7000);
  ASSERT_GT(body.size(), 1u << 20);
  const HttpResponse filed = fileManifest(hub.address(), body, "rcpt-large", "demo-express-token", std::chrono::seconds(300));
  ASSERT_EQ(filed.status, 202) << filed.body.substr(0, 2000);
  const auto receipt = parse(filed.body);
  ASSERT_EQ(receipt->getArray("cases")->size(), 7000u);
  std::string expected = expectedFilingText(receipt, body);
  expected.replace(expected.find("partner=demo-post"), 17, "partner=demo-express");
  EXPECT_EQ(receipt->getValue<std::string>("signed"), expected);
  EXPECT_EQ(verifyAsThePartner(dir, filed.body, certificateOf(hub)).first, 0);
}

TEST(receipts, AnEd25519KeyNamedInTheConfigSignsAndVerifiesWithPkeyutl) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "tls");
  ASSERT_EQ(shell(dir, "openssl genpkey -algorithm ed25519 -out tls/receipts.key && "
                       "openssl req -new -x509 -key tls/receipts.key -out tls/receipts.crt -days 2 -subj /CN=hub-receipts")
                .first,
            0);
  writeFile(dir.file("hub.yaml"), config("  receipts: {key: tls/receipts.key, cert: tls/receipts.crt}\n"));
  HubProcess hub({"serve", "--config", dir.file("hub.yaml")});
  const std::string body = exampleFiling("RCPT-ED");
  const HttpResponse filed = fileFiling(hub, body, "rcpt-ed");
  ASSERT_EQ(filed.status, 202) << filed.body;
  const auto receipt = parse(filed.body);
  EXPECT_EQ(receipt->getValue<std::string>("signature_alg"), "ed25519");
  EXPECT_EQ(receipt->getValue<std::string>("signed"), expectedFilingText(receipt, body));
  const std::string certificate = certificateOf(hub);
  EXPECT_EQ(certificate, readFile(dir.file("tls/receipts.crt")));
  const auto [verified, said] = verifyAsThePartner(dir, filed.body, certificate);
  EXPECT_EQ(verified, 0) << said;
  EXPECT_NE(said.find("Signature Verified Successfully"), std::string::npos) << said;
  const auto [tampered, refused] = verifyAsThePartner(dir, filed.body, certificate, kTamperDigest);
  EXPECT_NE(tampered, 0) << refused;
  EXPECT_FALSE(std::filesystem::exists(dir.file("var/receipts.key")));  // nothing made beside it
}

TEST(receipts, AKeyThatCannotSignReceiptsStopsTheStartNamingTheSetting) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "tls");
  ASSERT_EQ(shell(dir, "openssl req -x509 -newkey rsa:2048 -nodes -keyout tls/rsa.key -out tls/rsa.crt -days 2 -subj /CN=r && "
                       "openssl genpkey -algorithm ed25519 -out tls/ed.key")
                .first,
            0);
  writeFile(dir.file("rsa.yaml"), config("  receipts: {key: tls/rsa.key, cert: tls/rsa.crt}\n"));
  auto [code, output] = runSwhub({"serve", "--config", dir.file("rsa.yaml"), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(code, 1);
  EXPECT_NE(output.find("hub.receipts.key: " + dir.file("tls/rsa.key") +
                       " is a RSA key; an Ed25519 or ECDSA P-256 key signs receipts"),
            std::string::npos)
      << output;
  writeFile(dir.file("mismatch.yaml"), config("  receipts: {key: tls/ed.key, cert: tls/rsa.crt}\n"));
  std::tie(code, output) = runSwhub({"serve", "--config", dir.file("mismatch.yaml"), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(code, 1);
  EXPECT_NE(output.find("hub.receipts.cert: " + dir.file("tls/rsa.crt") + " is not the certificate of hub.receipts.key " +
                       dir.file("tls/ed.key")),
            std::string::npos)
      << output;
}

}  // namespace
}  // namespace swhub::testing
