#include "intake/outcome.hpp"

namespace swhub::intake {

std::string_view toString(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::Accepted: return "accepted";
    case OutcomeKind::Replayed: return "replayed";
    case OutcomeKind::Invalid: return "invalid";
    case OutcomeKind::DuplicateTransaction: return "duplicate-transaction";
    case OutcomeKind::IdempotencyConflict: return "idempotency-conflict";
    case OutcomeKind::CaseChanged: return "case-changed";
    case OutcomeKind::NotAPartner: return "not-a-partner";
    case OutcomeKind::UnsupportedType: return "unsupported-type";
    case OutcomeKind::FormatUnavailable: return "format-unavailable";
    case OutcomeKind::PluginFailed: return "plugin-failed";
    case OutcomeKind::PluginBusy: return "plugin-busy";
    case OutcomeKind::JournalUnavailable: return "journal-unavailable";
    case OutcomeKind::SpoolUnavailable: return "spool-unavailable";
    case OutcomeKind::JournalRefused: return "journal-refused";
  }
  return "unknown";
}

}  // namespace swhub::intake
