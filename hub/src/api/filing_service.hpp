#pragma once
// POST /v1/messages as HTTP: a received body handed to the intake pipeline (intake/pipeline.hpp),
// whatever its size, and the pipeline's outcome answered by one table (answerOf).

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/body_spool.hpp"
#include "api/http_result.hpp"
#include "intake/pipeline.hpp"

namespace swhub::api {

using intake::PartnerRuntime;

class FilingService {
 public:
  // `canonical` may be null (the canonical plugin not loaded): then only partner formats work.
  // `signer` signs every receipt (security/receipt_text.hpp says over what).
  FilingService(journal::Journal& journal, metrics::HubMetrics& metrics,
                const std::map<std::string, std::unique_ptr<PartnerRuntime>>& partners,
                const sdk::PartnerPlugin* canonical, const release::Coordinator& coordinator,
                const security::ReceiptSigner& signer);

  // `contentType` as sent; `headers` the request's, names lower case. A body in memory or spooled
  // (then its receipt is written into a spool file in `spool` and streamed back).
  FilingOutcome file(const std::string& partnerId, const std::string& contentType, const ReceivedBody& body,
                     const std::string& idempotencyKey,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     const std::filesystem::path& spool) const;

  const PartnerRuntime* partner(const std::string& id) const { return pipeline_.partner(id); }

 private:
  intake::Pipeline pipeline_;
};

// The one table from an intake outcome to HTTP: status, problem type, title, Retry-After.
FilingOutcome answerOf(intake::Outcome outcome);

}  // namespace swhub::api
