#pragma once
// A `return` filing as the case keeps it (README "Returns and refunds"): the items going back,
// how they compare with the inbound items, the proof of export, and the refund it gave. Kept in
// the case status, so that the journal's versioned case update is what stops a second return of
// the same items from refunding twice, even when two returns race.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/fwd.h>

#include "common/instant.hpp"
#include "swhub/sdk/model.hpp"

namespace swhub::release {

// awaiting-proof: matches, the proof of export is still to come; held: does not match (or is
// late); returned: matched and proven, nothing paid to give back; refunded: matched, proven, and
// a refund instructed.
enum class ReturnState { AwaitingProof, Held, Returned, Refunded };
std::string_view toString(ReturnState state);
std::optional<ReturnState> parseReturnState(std::string_view text);

// One item going back, as filed.
struct ReturnItem {
  int item = 0;  // the inbound item's sequence
  std::string hs;
  double quantity = 0;
  std::string value;  // decimal text: the value of the quantity going back
  std::string currency;

  bool operator==(const ReturnItem&) const = default;
};

// One way a return differs from its inbound case.
struct ReturnDifference {
  int item = 0;       // 0: the return as a whole (its window)
  std::string field;  // sequence | hs | quantity | value | currency | window
  std::string filed;
  std::string inbound;

  // "item 1 hs: filed 610910, inbound 711319"
  std::string text() const;
  bool operator==(const ReturnDifference&) const = default;
};

// The share of one revenue line that a return gives back.
struct RefundLine {
  int line = 0;  // index into the case's revenue lines
  std::string tax;
  std::optional<int> item;  // null: a line of the whole consignment
  std::string amount;       // the line as assessed
  std::string share;        // "1/3" (quantities) or "45.00/120.00" (values, a line of the whole consignment)
  std::string refund;       // decimal text
  std::string currency;
  std::string why;          // the arithmetic: "11.04 x 1/3 = 3.68"

  bool operator==(const RefundLine&) const = default;
};

// What a payment provider is told to give back of one of its payments.
struct RefundInstruction {
  std::string partner;         // the provider that settled the case
  std::string transaction_id;  // the payment to refund
  std::string amount;
  std::string currency;

  bool operator==(const RefundInstruction&) const = default;
};

struct ReturnRecord {
  std::string id;  // "R-..."
  std::string message_id;
  common::Instant filed_at;
  ReturnState state = ReturnState::Held;
  std::string reason;
  std::vector<std::string> reason_codes;
  std::vector<ReturnItem> items;
  std::vector<ReturnDifference> differences;
  std::string proof_type;
  std::string proof_id;
  std::vector<RefundLine> refund;  // the shares given back: refunded, or credited to the account
  std::string refunded;  // the total given back, decimal text ("" = nothing)
  // The account model: what the return credits on the account's next statement, decimal text
  // ("" = nothing; README "Returns and refunds"). Nothing was paid at the border to refund.
  std::string credited;
  std::string currency;
  std::vector<RefundInstruction> instructions;

  // Whether its items count as gone back (a held return's do not).
  bool counts() const { return state != ReturnState::Held; }
  bool operator==(const ReturnRecord&) const = default;
};

// {"return_id", "state", "filed_at", "message_id", "reason", "reason_codes", "items":[{item, hs,
// quantity, value, currency}], "differences":[{item, field, filed, inbound}], "proof":{type, id}
// | null, "refund":{"amount", "currency", "lines":[...], "instructions":[...]} | null, and for an
// account-model credit "credit":{"amount", "currency", "lines":[...]}}, amounts as
// decimal strings. The case status, the case view and the trace all write it so.
void writeReturn(std::string& out, const ReturnRecord& record);
ReturnRecord readReturn(const rapidjson::Value& object);
// The JSON array of `returns`, each as writeReturn writes it (the case status, the case view).
void writeReturns(std::string& out, const std::vector<ReturnRecord>& returns);
// What the returns gave back together (the case view's revenue.refunded).
sdk::Decimal refundedTotal(const std::vector<ReturnRecord>& returns);

}  // namespace swhub::release
