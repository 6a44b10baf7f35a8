#pragma once
// The pure rules of a return (README "Returns and refunds"): how the items going back compare
// with the inbound items (HS subheading, quantity left, value, currency, within the window), and
// what share of each revenue line they give back, in exact decimals.

#include <optional>
#include <string>
#include <vector>

#include "release/case_status.hpp"
#include "release/return_record.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::release {

// hub.returns: how long after release goods may go back with a refund, and which document types
// prove that they left the territory.
struct ReturnPolicy {
  int window_days = 30;
  std::vector<std::string> proof_types{"export-proof"};
};

inline constexpr const char* kReturnMismatch = "RET-MISMATCH";
inline constexpr const char* kReturnAlreadyReturned = "RET-ALREADY-RETURNED";
inline constexpr const char* kReturnLate = "RET-LATE";
inline constexpr const char* kReturnNoProof = "RET-PROOF-AWAITED";

struct ReturnCheck {
  std::vector<ReturnItem> items;  // as filed
  std::vector<ReturnDifference> differences;
  std::vector<std::string> reason_codes;  // of the differences, each once
  std::optional<sdk::Document> proof;     // the first document of a proof type on any item
  bool matches() const { return differences.empty(); }
};

// The items of a return filing as the case records them.
std::vector<ReturnItem> returnItems(const sdk::Consignment& filed);
// The first document of one of the policy's proof types on any item of `filed`.
std::optional<sdk::Document> proofOf(const sdk::Consignment& filed, const ReturnPolicy& policy);

// Compares `filed` with `inbound`, given the returns recorded before (those that count hold their
// quantities). `windowStart` is when the case was released (or, for a case cleared but not
// released, filed): `startWord` says which ("released" | "filed").
ReturnCheck checkReturn(const sdk::Consignment& inbound, const std::vector<ReturnRecord>& earlier,
                        const sdk::Consignment& filed, common::Instant windowStart, const std::string& startWord,
                        common::Instant filedAt, const ReturnPolicy& policy);

struct RefundPlan {
  std::vector<RefundLine> lines;
  sdk::Decimal total;
  std::string currency;
};

// The refund of `items` going back: every revenue line not collected at sale, an item's line by
// the quantity returned over the quantity imported, a line of the whole consignment by the value
// returned over the consignment's value, each rounded half away from zero to 0.01; the return
// that completes an item (or the consignment) gives back what its lines have left, so that the
// shares of several partial returns add up to the line exactly. `earlier`: the returns recorded
// before (only refunded ones have given anything back).
RefundPlan planRefund(const std::vector<sdk::RevenueLine>& lines, const sdk::Consignment& inbound,
                      const std::vector<ReturnRecord>& earlier, const std::vector<ReturnItem>& items);

// The lines a refund shares out: the assessed revenue lines; for a case whose duties and taxes an
// agency typed as totals only (an external system), one line of the whole consignment, "due", for
// what was due.
std::vector<sdk::RevenueLine> refundableLines(const CaseStatus& status);

// Splits `total` over what the payments have left (neither instructed nor refunded), in order.
std::vector<RefundInstruction> instructRefund(sdk::Decimal total, const std::string& currency,
                                              const std::vector<PaymentRecord>& payments);

}  // namespace swhub::release
