#include "security/receipt_text.hpp"

#include <cstdio>

#include "model/text_util.hpp"

namespace swhub::security {
namespace {

constexpr const char* kVersion = "swhub-receipt-v1\n";

// One "name=value\n" line. The hub's values hold no line break: ids, digests and times are its
// own, and partner and agency ids are config keys; a line break would still be cut out rather
// than let a value forge the next line.
std::string line(const char* name, const std::string& value) {
  std::string out = std::string(name) + "=";
  for (char c : value) {
    if (c != '\n' && c != '\r') out += c;
  }
  return out + "\n";
}

}  // namespace

std::string filingReceiptHead(const std::string& messageId, const std::string& partner, const std::string& digest,
                              const std::string& receivedAt) {
  return kVersion + line("type", "message") + line("message_id", messageId) + line("partner", partner) +
         line("digest", digest) + line("received_at", receivedAt) + "cases=";
}

std::string filingReceiptText(const std::string& messageId, const std::string& partner, const std::string& digest,
                              const std::string& receivedAt, const std::vector<std::string>& caseIds) {
  std::string text = filingReceiptHead(messageId, partner, digest, receivedAt);
  for (std::size_t i = 0; i < caseIds.size(); ++i) text += (i ? "," : "") + caseIds[i];
  return text + "\n";
}

std::string decisionReceiptText(const std::string& agency, const std::string& digest, const std::string& receivedAt,
                                const std::string& caseId, const std::string& decision, const std::string& decidedAt,
                                const std::string& effect) {
  return kVersion + line("type", "decision") + line("agency", agency) + line("digest", digest) +
         line("received_at", receivedAt) + line("cases", caseId) + line("decision", decision) +
         line("decided_at", decidedAt) + line("effect", effect);
}

std::string jsonEscaped(const std::string& text) {
  std::string quoted;
  model::detail::appendJsonString(quoted, text);
  return quoted.substr(1, quoted.size() - 2);  // without its quotes
}

std::string signatureTail(const std::string& signature, const ReceiptSigner& signer) {
  return "\",\"signature\":\"" + signature + "\",\"signature_alg\":\"" + signer.algorithm() + "\"";
}

std::string signatureFields(const std::string& signedText, const ReceiptSigner& signer) {
  return ",\"signed\":\"" + jsonEscaped(signedText) + signatureTail(signer.sign(signedText), signer);
}

}  // namespace swhub::security
