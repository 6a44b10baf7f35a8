#include "api/filing_service.hpp"

namespace swhub::api {
namespace {

using intake::OutcomeKind;

struct Answer {
  OutcomeKind kind;
  int status;
  const char* slug;  // problem type; none for an answer that is not a problem
  const char* title;
  const char* retryAfter;  // seconds, or none
};

// Every way a filing ends, as HTTP. 202 and the replay of a stored answer carry their body.
constexpr Answer kAnswers[] = {
    {OutcomeKind::Accepted, 202, nullptr, nullptr, nullptr},
    {OutcomeKind::Replayed, 0, nullptr, nullptr, nullptr},  // the status answered the first time
    {OutcomeKind::Invalid, 400, "invalid-filing", "Bad Request", nullptr},
    {OutcomeKind::NotAPartner, 403, "not-a-partner", "Forbidden", nullptr},
    {OutcomeKind::DuplicateTransaction, 409, "duplicate-transaction", "Conflict", nullptr},
    {OutcomeKind::IdempotencyConflict, 409, "idempotency-conflict", "Conflict", nullptr},
    {OutcomeKind::CaseChanged, 409, "case-changed", "Conflict", nullptr},
    {OutcomeKind::UnsupportedType, 415, "unsupported-media-type", "Unsupported Media Type", nullptr},
    {OutcomeKind::PluginFailed, 422, "plugin-failed", "Unprocessable Entity", nullptr},
    {OutcomeKind::PluginBusy, 429, "plugin-failed", "Too Many Requests", "1"},
    {OutcomeKind::JournalRefused, 500, "journal-refused", "Internal Server Error", nullptr},
    // Until an operator provides what is missing: no Retry-After.
    {OutcomeKind::FormatUnavailable, 503, "format-unavailable", "Service Unavailable", nullptr},
    {OutcomeKind::JournalUnavailable, 503, "journal-unavailable", "Service Unavailable", "30"},
    {OutcomeKind::SpoolUnavailable, 503, "spool-unavailable", "Service Unavailable", "30"},
};

const Answer& answerFor(OutcomeKind kind) {
  for (const auto& answer : kAnswers) {
    if (answer.kind == kind) return answer;
  }
  return kAnswers[2];  // cannot happen: every kind is in the table (filing_answers_test)
}

}  // namespace

FilingOutcome answerOf(intake::Outcome outcome) {
  const Answer& a = answerFor(outcome.kind);
  FilingOutcome answer;
  if (a.slug == nullptr) {
    answer.result = json(outcome.kind == OutcomeKind::Replayed ? outcome.storedStatus : a.status, std::move(outcome.body));
    answer.stream = std::move(outcome.stream);
    return answer;
  }
  answer.result = problem(a.status, a.slug, a.title, outcome.detail, outcome.errors);
  if (a.retryAfter != nullptr) answer.result.headers.push_back({"Retry-After", a.retryAfter});
  return answer;
}

FilingService::FilingService(journal::Journal& journal, metrics::HubMetrics& metrics,
                             const std::map<std::string, std::unique_ptr<PartnerRuntime>>& partners,
                             const sdk::PartnerPlugin* canonical, const release::Coordinator& coordinator,
                             const security::ReceiptSigner& signer)
    : pipeline_(journal, metrics, partners, canonical, coordinator, signer, [](const intake::Outcome& outcome) {
        const FilingOutcome answer = answerOf(outcome);
        return intake::Rendered{answer.result.status, answer.result.body};
      }) {}

FilingOutcome FilingService::file(const std::string& partnerId, const std::string& contentType,
                                  const ReceivedBody& body, const std::string& idempotencyKey,
                                  const std::vector<std::pair<std::string, std::string>>& headers,
                                  const std::filesystem::path& spool) const {
  intake::Message message;
  message.partnerId = partnerId;
  message.contentType = contentType;
  message.headers = headers;
  message.idempotencyKey = idempotencyKey;
  if (body.file) {
    message.file = body.file->path();
    message.digest = body.digest;
  } else {
    message.bytes = &body.bytes;
  }
  message.size = body.size;
  message.spool = spool;
  return answerOf(pipeline_.file(message));
}

}  // namespace swhub::api
