#pragma once
// POST /v1/messages without HTTP: decode a partner's message with its plugin (or the canonical
// one), check it, assign cases, journal everything in one commit, and only then answer with a
// receipt. Nothing that was acknowledged is ever lost; nothing half-filed is acknowledged.

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/body_spool.hpp"
#include "api/http_result.hpp"
#include "config/config.hpp"
#include "journal/journal.hpp"
#include "metrics/metrics.hpp"
#include "plugin/registry.hpp"
#include "release/coordinator.hpp"
#include "security/receipt_signer.hpp"

namespace swhub::api {

// A partner as the message path needs it: resolved once at start.
struct PartnerRuntime {
  config::PartnerConfig config;
  std::unique_ptr<plugin::Instance<sdk::PartnerPlugin>> instance;
  std::vector<std::string> contentTypes;  // what its own plugin reads
  sdk::Availability availability;         // what of it is switched off (answered 503), and why
  std::int64_t maxBodyBytes = 0;
};

class FilingService {
 public:
  // `canonical` may be null (the canonical plugin not loaded): then only partner formats work.
  // `signer` signs every receipt (security/receipt_text.hpp says over what).
  FilingService(journal::Journal& journal, metrics::HubMetrics& metrics,
                const std::map<std::string, std::unique_ptr<PartnerRuntime>>& partners,
                const sdk::PartnerPlugin* canonical, const release::Coordinator& coordinator,
                const security::ReceiptSigner& signer);

  // `contentType` as sent (parameters such as charset are ignored).
  // `headers`: the request's headers, names lower case (a format may authenticate with them).
  HttpResult file(const std::string& partnerId, const std::string& contentType, const std::string& body,
                  const std::string& idempotencyKey,
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) const;

  // A body spooled to a file (above kSpoolThreshold; large_filing.cpp): the same answers as
  // file(), with memory that does not grow with the message. Its cases are staged in chunks and
  // made visible at once (Journal::beginStaged); its receipt is written into a spool file in
  // `spool` and streamed back.
  FilingOutcome fileSpooled(const std::string& partnerId, const std::string& contentType, const ReceivedBody& body,
                            const std::string& idempotencyKey,
                            const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::filesystem::path& spool) const;

  const PartnerRuntime* partner(const std::string& id) const;

 private:
  // The partner's own plugin or the canonical one for `type`; null when neither reads it.
  const sdk::PartnerPlugin* decoderFor(const PartnerRuntime& partner, const std::string& type) const;
  HttpResult unsupportedType(const PartnerRuntime& partner, const std::string& type) const;
  // 503 format-unavailable when the partner's own plugin has `type` switched off, else nullopt.
  std::optional<HttpResult> unavailableType(const PartnerRuntime& partner, const sdk::PartnerPlugin* decoder,
                                            const std::string& type) const;
  // The case an amendment, cancellation, arrival or return names; nullopt with `error` set.
  std::optional<journal::CaseRecord> followUpTarget(const std::string& partnerId, const sdk::Consignment& filing,
                                                    std::string& error) const;
  // The answer stored for an earlier message: read whole when small, else streamed.
  FilingOutcome storedAnswer(const journal::MessageRecord& summary) const;
  // A staged message that failed: journaled as rejected (its body kept), its staged rows dropped.
  FilingOutcome rejectStaged(const journal::MessageRecord& staging, HttpResult response) const;
  std::optional<journal::CaseRecord> caseForEvent(const sdk::HubEvent& event, sdk::Errors& errors) const;
  HttpResult reject(const PartnerRuntime& partner, const std::string& contentType, const std::string& body,
                    const std::string& digest, const std::string& idempotencyKey, HttpResult response) const;

  journal::Journal& journal_;
  metrics::HubMetrics& metrics_;
  const std::map<std::string, std::unique_ptr<PartnerRuntime>>& partners_;
  const sdk::PartnerPlugin* canonical_;
  std::vector<std::string> canonicalTypes_;
  const release::Coordinator& coordinator_;
  const security::ReceiptSigner& signer_;
};

// "application/json; charset=utf-8" -> "application/json"
std::string mediaType(const std::string& contentType);

}  // namespace swhub::api
