#pragma once
// POST /v1/messages without HTTP: the one path every filing takes, whatever its size. It picks
// the decoder (the partner's plugin, or the canonical one) by content type, answers a repeated
// message with its stored answer, decodes the message once, looks up the cases that follow-ups
// and events name, refuses references filed already, plans every case, and hands it all to a
// sink (in memory for a small message, staged in chunks for a large one) that journals it in one
// commit; only then is the message accepted. Nothing acknowledged is ever lost; nothing
// half-filed is acknowledged. What it answers is an Outcome; the API maps it to HTTP, and
// `render` gives the answer journaled with a refused message.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "intake/outcome.hpp"
#include "intake/partner_runtime.hpp"
#include "journal/journal.hpp"
#include "metrics/metrics.hpp"
#include "release/coordinator.hpp"
#include "security/receipt_signer.hpp"

namespace swhub::intake {

// One message as received.
struct Message {
  std::string partnerId;
  std::string contentType;  // as sent (parameters such as charset are ignored)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower case (a format may authenticate with them)
  std::string idempotencyKey;
  // The body: `bytes` when it is in memory, else the spooled file `file` of `size` bytes.
  const std::string* bytes = nullptr;
  std::filesystem::path file;
  std::int64_t size = 0;
  std::string digest;    // "sha256:<hex>"; computed here for bytes in memory when empty
  std::filesystem::path spool;  // where a large message's receipt is written
};

using Render = std::function<Rendered(const Outcome&)>;

class Pipeline {
 public:
  // `canonical` may be null: then only partner formats work. `signer` signs every receipt.
  Pipeline(journal::Journal& journal, metrics::HubMetrics& metrics,
           const std::map<std::string, std::unique_ptr<PartnerRuntime>>& partners,
           const sdk::PartnerPlugin* canonical, const release::Coordinator& coordinator,
           const security::ReceiptSigner& signer, Render render);

  Outcome file(const Message& message) const;

  const PartnerRuntime* partner(const std::string& id) const;

  // New cases per staged chunk of a large message (tests make it small).
  void setStageChunk(std::size_t cases) { stageChunk_ = cases; }

 private:
  class Run;
  // The partner's own plugin or the canonical one for `type`; null when neither reads it.
  const sdk::PartnerPlugin* decoderFor(const PartnerRuntime& partner, const std::string& type) const;
  // The answer stored for an earlier message: read whole when small, else streamed.
  Outcome storedAnswer(const journal::MessageRecord& summary) const;
  journal::Journal& journal_;
  metrics::HubMetrics& metrics_;
  const std::map<std::string, std::unique_ptr<PartnerRuntime>>& partners_;
  const sdk::PartnerPlugin* canonical_;
  std::vector<std::string> canonicalTypes_;
  const release::Coordinator& coordinator_;
  const security::ReceiptSigner& signer_;
  Render render_;
  std::size_t stageChunk_ = 256;
};

// "application/json; charset=utf-8" -> "application/json"
std::string mediaType(const std::string& contentType);

}  // namespace swhub::intake
