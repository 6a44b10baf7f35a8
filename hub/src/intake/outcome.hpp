#pragma once
// What the intake pipeline answers for a message, before any HTTP: one kind per way a filing can
// end. The API turns each kind into a status and a problem type in one table
// (api/filing_answers.cpp); the pipeline journals a refused message with that answer.

#include <optional>
#include <string>
#include <string_view>

#include "intake/spool_file.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::intake {

enum class OutcomeKind {
  Accepted,              // journaled durably; `body` or `stream` is the receipt
  Replayed,              // the same key and body again: the answer given then (`storedStatus`, body)
  Invalid,               // the message's own errors (`errors`); journaled as rejected
  DuplicateTransaction,  // a payment or refund transaction already applied
  IdempotencyConflict,   // the key was used with another body
  CaseChanged,           // a case changed under the message more often than it was planned again
  NotAPartner,           // the caller files for no partner
  UnsupportedType,       // no decoder reads the content type (`detail` names the accepted ones)
  FormatUnavailable,     // the partner's plugin has that format switched off (`errors`: why)
  PluginFailed,          // the decoder failed (plugin/plugin_failure.hpp); journaled as rejected
  PluginBusy,            // as PluginFailed, but every way to reach the plugin was taken: retry later
  JournalUnavailable,    // the journal cannot write; nothing was filed
  SpoolUnavailable,      // a spool file could not be written; nothing was filed
  JournalRefused,        // the journal refused the batch (a bug of the hub)
};

std::string_view toString(OutcomeKind kind);

struct Outcome {
  OutcomeKind kind = OutcomeKind::Invalid;
  std::string detail;        // for a person: what happened
  sdk::Errors errors;        // {path, message} of each reason
  int storedStatus = 0;      // Replayed: the status answered the first time
  std::string body;          // Accepted, Replayed: the receipt (or the stored answer)
  std::optional<StreamedBody> stream;  // set: the body is sent from here instead (a large receipt)

  static Outcome of(OutcomeKind kind, std::string detail, sdk::Errors errors = {}) {
    Outcome o;
    o.kind = kind;
    o.detail = std::move(detail);
    o.errors = std::move(errors);
    return o;
  }
};

// An outcome as the API answers it: what the journal keeps of a refused message.
struct Rendered {
  int status = 0;
  std::string body;
};

}  // namespace swhub::intake
