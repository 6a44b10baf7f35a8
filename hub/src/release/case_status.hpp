#pragma once
// The release coordinator's state of one case, and the pure rules that derive the case state
// from it (DESIGN.md "Case lifecycle"): released = every required agency cleared AND revenue
// settled AND goods arrived. Decisions are recorded per agency and per item, ordered by their
// own timestamps: a repeated decision is recorded once, a late one never overrides a newer one,
// and a released or cancelled case never moves again.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/fwd.h>

#include "common/actor.hpp"
#include "common/case_state.hpp"
#include "common/instant.hpp"
#include "release/return_record.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::release {

using common::CaseState;
using common::Decision;
using common::Instant;

// One decision as an agency gave it.
struct DecisionRecord {
  Decision decision = Decision::Clear;
  std::string reason;
  std::vector<int> items;  // empty: every item the agency decides on
  Instant decided_at;      // the agency's own time
  Instant received_at;
  std::string source;  // "plugin", "api", ...
  std::string duties;    // assessed duties, decimal text ("" = none assessed)
  std::string taxes;     // assessed taxes, decimal text
  std::string currency;  // of duties and taxes
  std::vector<std::string> reason_codes;  // the agency's codes for its reason ("FS-VET")

  bool sameAs(const DecisionRecord& other) const {
    return decision == other.decision && reason == other.reason && items == other.items &&
           decided_at == other.decided_at && reason_codes == other.reason_codes;
  }
};

struct ItemDecision {
  Decision decision = Decision::Clear;
  std::string reason;
  Instant decided_at;
  std::vector<std::string> reason_codes;
  // A request-info the filer answered with a supporting document (answerRequests): the item waits
  // for the agency's next decision again. Cleared by that decision, which replaces this one.
  std::optional<Instant> answered_at;
};

struct AgencyStatus {
  std::string mode;        // "plugin" | "external"
  std::vector<int> items;  // the items it decides on; empty for a consignment without items
  std::map<int, ItemDecision> byItem;  // latest decision per item (item 0: the whole case when no items)
  std::vector<DecisionRecord> history;
};

// A settled payment of the case's revenue and what refunds gave back of it (decimal text).
struct PaymentRecord {
  std::string transaction_id;
  std::string amount;
  std::string currency;
  std::string refunded;  // "" = nothing refunded
  std::string partner;     // the payment provider that reported it ("" in a journal from before returns)
  std::string instructed;  // what returns told the provider to give back of it ("" = nothing)

  bool operator==(const PaymentRecord&) const = default;
};

struct CaseStatus {
  std::map<std::string, AgencyStatus> agencies;  // required agencies
  std::vector<std::string> routes;
  std::vector<std::string> notify;  // partners told besides the filer
  bool arrived = false;
  bool revenueSettled = true;
  bool cancelled = false;
  bool released = false;
  bool refunded = false;
  std::optional<Instant> releasedAt;  // when it was released: a return's window starts here
  // Every return filed for the case, in order (README "Returns and refunds").
  std::vector<ReturnRecord> returns;
  // Revenue: how it is collected, what an agency assessed as due, what payments covered.
  std::string collection;       // vendor | intermediary | consumer | account
  bool collectedAtSale = false;
  std::string revenueDue;       // decimal text; "" = nothing assessed
  std::string revenueCurrency;
  std::string paid;             // decimal text; "" = nothing paid
  std::vector<PaymentRecord> payments;  // each payment, so that a refund names what it gives back

  // What an agency plugin derived (sdk::Findings, ABI 3.2): the WCO category, the risk score and
  // its reasons, the revenue lines and the model as applied. `findingsBy` names the agency whose
  // findings stand ("" = none yet); an amendment clears them until it is assessed again.
  std::string findingsBy;
  std::optional<int> category;
  std::optional<int> riskScore;
  std::vector<sdk::RiskReason> riskReasons;
  bool revenueAssessed = false;
  std::string modelReason;  // why the model applied differs from the one filed
  std::vector<sdk::RevenueLine> revenueLines;

  // Recomputes revenueSettled: nothing due, collected at sale by the vendor, guaranteed by an
  // account, charged to the intermediary's account, or paid in full. Before an agency assessed the
  // revenue, the model as filed stands; after, the model as applied.
  void settleRevenue();
  // Marks the case released at `now` (once: the first release time stands).
  void markReleased(Instant now) {
    if (!released) releasedAt = now;
    released = true;
  }
  // Whether a return took goods back (returned or refunded): nothing else changes the case then.
  bool goodsReturned() const;
  // Records findings of `agency` (revenue: the model as applied, what is due and in what currency).
  void recordFindings(const std::string& agency, const sdk::Findings& findings);

  std::string toJson() const;
  static CaseStatus fromJson(const std::string& json);
};

// One revenue line as the case status, the case view and notifications write it: {"tax", "item"
// (sequence or null), "base", "rate" (percent or null), "amount", "currency", "why",
// "collected_at_sale"}, amounts as decimal strings.
void writeRevenueLine(std::string& out, const sdk::RevenueLine& line);
sdk::RevenueLine readRevenueLine(const rapidjson::Value& object);
// The consignment's `derived` part from the case status: what every later reader of the
// consignment (a task for an agency routed on the category, the case view, the public estimate's
// second round of agencies) sees.
void deriveInto(sdk::Consignment& c, const CaseStatus& status);

// What applying a decision did.
enum class DecisionEffect { Applied, Duplicate, Late, AfterRelease };

// Why `word` is not a decision: "'x' is not one of: clear, hold, ...".
std::string notADecision(const std::string& word);

// Records `decision` of `agency` (which must be in status.agencies) and returns its effect.
DecisionEffect applyDecision(CaseStatus& status, const std::string& agency, const DecisionRecord& decision);

// A supporting document of the filer answers every request for information standing on the case:
// each item whose current decision is request-info is marked answered at `now` (pending again for
// its agency). Returns the agencies so reopened, in order; none on a released or cancelled case.
std::vector<std::string> answerRequests(CaseStatus& status, Instant now);

// The agency's combined outcome over its items (the most severe decision: reject > do-not-load >
// hold > inspect > request-info > clear); nullopt while it is pending. A decision that stops the
// goods on one item stops the case although other items wait for a decision.
std::optional<Decision> agencyOutcome(const AgencyStatus& agency);
// "pending" or the outcome's name, as the case view and the status JSON write it.
std::string_view outcomeName(const std::optional<Decision>& outcome);

// The case state, from the status.
CaseState deriveState(const CaseStatus& status);

}  // namespace swhub::release
