#pragma once
// The release coordinator: one state machine per case (case_status.hpp), driven by filings,
// agency decisions and arrivals. Every change is planned into the same journal WriteBatch as
// what caused it: the case update, its events (who caused it), the tasks for agencies and the
// notifications for partners (outbox). Nothing is sent before it is journaled.

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "release/case_status.hpp"
#include "release/licence_control.hpp"
#include "release/return_match.hpp"
#include "routing/route_table.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/plugin.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::release {

inline constexpr const char* kTaskJsonType = "application/vnd.swhub.task+json";

using common::Actor;

struct PartnerEndpoint {
  const sdk::PartnerPlugin* encoder = nullptr;  // encodes its notifications when they leave
  bool push = false;                            // has a push adapter: outbox items are claimable
  std::string plugin;                           // the encoder's config key, named in its errors
};

struct AgencyEndpoint {
  bool plugin = false;  // decides in process
  bool push = false;    // an external system that wants its tasks pushed
};

struct Directory {
  std::map<std::string, PartnerEndpoint> partners;
  std::map<std::string, AgencyEndpoint> agencies;
  ReturnPolicy returns;  // hub.returns
};

struct DecisionInput {
  std::string agency;
  std::string caseId;
  DecisionRecord decision;
  Actor actor;  // agency:customs, plugin:rules@food-safety
};

// What an in-process agency plugin returned for a case: its decisions (each applied as an API
// decision would be) and what it derived (sdk::Findings), recorded in one commit.
struct AssessmentInput {
  std::string agency;
  std::string caseId;
  Actor actor;  // plugin:customs
  std::vector<DecisionRecord> decisions;
  std::optional<sdk::Findings> findings;
  // The assessment's claim, finished in the commit of its decisions (DecisionResult::completed).
  std::optional<journal::OutboxCompletion> completes;
};

struct DecisionResult {
  enum class Status { Applied, Duplicate, Late, AfterRelease, NotFound, NotRouted, Invalid, Unavailable };
  Status status = Status::Applied;
  CaseState state = CaseState::Accepted;  // the case state after it
  sdk::Errors errors;   // for Invalid
  std::string detail;
  bool completed = false;  // the input's `completes` was committed with the decisions
};

// What attaching a supporting document did (document_plan.cpp).
struct DocumentResult {
  enum class Status { Attached, Duplicate, NotFound, Unavailable };
  Status status = Status::Attached;
  CaseState state = CaseState::Accepted;  // the case state after it
  std::vector<std::string> reopened;      // the agencies whose request for information it answered
  journal::CaseDocument stored;           // Attached: as journaled; Duplicate: as the case holds it
  std::string detail;
};

class Coordinator {
 public:
  Coordinator(journal::Journal& journal, Directory directory, std::shared_ptr<const routing::RouteTable> routes);

  // The route table in force; reload swaps it whole. Cases keep the agencies they were routed to.
  std::shared_ptr<const routing::RouteTable> routes() const;
  void setRoutes(std::shared_ptr<const routing::RouteTable> routes);

  // Plans a new case for `consignment` (whose case_id and partner are set) into `batch`;
  // returns its state after routing.
  CaseState planNewCase(journal::WriteBatch& batch, const sdk::Consignment& consignment,
                        const std::string& messageId, const Actor& actor, Instant now) const;

  // Plans an amendment, cancellation, arrival or return of `record`; errors (e.g. a released
  // case cannot be amended) carry `location`. Returns the state after it.
  sdk::Result<CaseState> planFollowUp(journal::WriteBatch& batch, const journal::CaseRecord& record,
                                      const sdk::Consignment& filing, const std::string& messageId,
                                      const Actor& actor, Instant now, const std::string& location) const;

  // Plans a payment confirmed (revenue paid) or a refund executed on `record`. Errors (another
  // currency than the one assessed) carry `location`. Returns the state after it.
  sdk::Result<CaseState> planEvent(journal::WriteBatch& batch, const journal::CaseRecord& record,
                                   const sdk::HubEvent& event, const std::string& messageId, const Actor& actor,
                                   Instant now, const std::string& location) const;

  // Applies an agency decision (idempotent), committing it; retries on a concurrent change.
  DecisionResult decide(const DecisionInput& input) const;
  // Records an in-process assessment: its findings (category, risk, revenue; the consignment's
  // derived part; the case routed again now that its category is known: an agency that a
  // category route adds gets its task) and its decisions, in one commit.
  DecisionResult recordAssessment(const AssessmentInput& input) const;

  // Attaches a supporting document to its case (document.case_id), committing it with its trace
  // event. When the filer (the case's partner) uploads it, every request for information standing
  // on the case is answered: those agencies decide again (under assessment, their task offered
  // again) and the filer is told the document was received. Retries on a concurrent change.
  DocumentResult attachDocument(journal::CaseDocument document, const Actor& actor) const;

  const Directory& directory() const { return directory_; }

  // The agencies' licence requirements (licence_control.hpp); set before the hub serves.
  void setLicences(std::shared_ptr<const LicenceControl> licences) { licences_ = std::move(licences); }

 private:
  void planTransition(journal::WriteBatch& batch, const journal::CaseRecord& record, const CaseStatus& status,
                      CaseState from, CaseState to, const Actor& actor,
                      Instant now, const std::string& messageId, const std::string& event,
                      const std::string& reason, const std::vector<std::string>& reasonCodes = {},
                      const std::string& alsoTell = "",
                      const std::vector<std::pair<std::string, std::string>>& extraDetails = {}) const;
  // A return filing (returns_plan.cpp): matched with the inbound items, held with the differences,
  // awaiting its proof of export, or returned and refunded.
  sdk::Result<CaseState> planReturn(journal::WriteBatch& batch, const journal::CaseRecord& record,
                                    CaseStatus status, const sdk::Consignment& filing,
                                    const std::string& messageId, const Actor& actor, Instant now,
                                    const std::string& location) const;
  // One notification to one partner, beside the transitions (a refund instruction).
  void planNotice(journal::WriteBatch& batch, const journal::CaseRecord& record, const std::string& partner,
                  sdk::Notification notification, Instant now) const;
  // `consignmentJson`: the canonical JSON of the consignment the agencies assess (embedded as is);
  // `documentsJson`: the case's supporting documents (a JSON array) when a document re-offers the
  // task, "" otherwise (no `documents` key).
  void planTasks(journal::WriteBatch& batch, const journal::CaseRecord& record, const std::string& consignmentJson,
                 const CaseStatus& status, const std::string& action, Instant now,
                 const std::string& documentsJson = "") const;
  CaseStatus routeStatus(const sdk::Consignment& consignment) const;
  DecisionResult apply(const std::string& agency, const std::string& caseId, const Actor& actor,
                       const std::vector<DecisionRecord>& decisions, const std::optional<sdk::Findings>& findings,
                       const std::optional<journal::OutboxCompletion>& completes) const;

  journal::Journal& journal_;
  Directory directory_;
  mutable std::mutex routesMutex_;
  std::shared_ptr<const routing::RouteTable> routes_;
  std::shared_ptr<const LicenceControl> licences_;
};

}  // namespace swhub::release
