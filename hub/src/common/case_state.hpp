#pragma once
// A case's state and an agency's decision (DESIGN.md "Case lifecycle"), as values. Their names
// are the API's and the journal's spelling, used only where a case is written or read.

#include <optional>
#include <ostream>
#include <string_view>

#include "common/names.hpp"

namespace swhub::common {

enum class CaseState {
  Accepted,
  Rejected,
  UnderAssessment,
  InfoRequested,
  Held,
  Cleared,
  Released,
  Cancelled,
  Returned,
  Refunded,
};

inline constexpr NameTable<CaseState, 10> kCaseStateNames{{
    {CaseState::Accepted, "accepted"},
    {CaseState::Rejected, "rejected"},
    {CaseState::UnderAssessment, "under-assessment"},
    {CaseState::InfoRequested, "info-requested"},
    {CaseState::Held, "held"},
    {CaseState::Cleared, "cleared"},
    {CaseState::Released, "released"},
    {CaseState::Cancelled, "cancelled"},
    {CaseState::Returned, "returned"},
    {CaseState::Refunded, "refunded"},
}};

constexpr std::string_view toString(CaseState state) { return nameIn(kCaseStateNames, state); }
constexpr std::optional<CaseState> parseCaseState(std::string_view text) { return parseIn(kCaseStateNames, text); }
inline std::ostream& operator<<(std::ostream& out, CaseState state) { return out << toString(state); }

// An agency's decision. The values are ordered by how much they stop the goods, so that the
// combined outcome of several decisions is the largest: reject > do-not-load > hold > inspect >
// request-info > clear.
enum class Decision {
  Clear = 1,
  RequestInfo,
  Inspect,
  Hold,
  DoNotLoad,
  Reject,
};

// In the order DESIGN.md names them (the order of the error that lists them).
inline constexpr NameTable<Decision, 6> kDecisionNames{{
    {Decision::Clear, "clear"},
    {Decision::Hold, "hold"},
    {Decision::Inspect, "inspect"},
    {Decision::RequestInfo, "request-info"},
    {Decision::Reject, "reject"},
    {Decision::DoNotLoad, "do-not-load"},
}};

constexpr std::string_view toString(Decision decision) { return nameIn(kDecisionNames, decision); }
constexpr std::optional<Decision> parseDecision(std::string_view text) { return parseIn(kDecisionNames, text); }
inline std::ostream& operator<<(std::ostream& out, Decision decision) { return out << toString(decision); }

// Whether a decision stops the goods (hold, inspect, do-not-load, reject).
constexpr bool stopsGoods(Decision decision) { return decision >= Decision::Inspect; }

}  // namespace swhub::common
