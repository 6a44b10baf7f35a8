// The one table from an intake outcome to HTTP (api/filing_service.cpp): every outcome has its
// status and problem type; a plugin's failure is 422 plugin-failed, a busy plugin 429 with
// Retry-After.

#include <gtest/gtest.h>

#include "api/filing_service.hpp"

namespace swhub::api {
namespace {

using intake::Outcome;
using intake::OutcomeKind;

TEST(api_filing_answers, APluginFailureIs422PluginFailedWithTheFailureAsItsError) {
  const auto answer = answerOf(Outcome::of(OutcomeKind::PluginFailed, "plugin 'x' crashed during decode; nothing was filed",
                                           {{"plugins.x", "plugin 'x' crashed during decode"}}));
  EXPECT_EQ(answer.result.status, 422);
  EXPECT_EQ(answer.result.contentType, "application/problem+json");
  EXPECT_EQ(answer.result.body,
            "{\"type\":\"urn:swhub:problem:plugin-failed\",\"title\":\"Unprocessable Entity\",\"status\":422,"
            "\"detail\":\"plugin 'x' crashed during decode; nothing was filed\",\"errors\":[{\"path\":\"plugins.x\","
            "\"message\":\"plugin 'x' crashed during decode\"}]}");
  EXPECT_TRUE(answer.result.headers.empty());
}

TEST(api_filing_answers, ABusyPluginIs429WithRetryAfter) {
  const auto answer = answerOf(Outcome::of(OutcomeKind::PluginBusy, "busy", {{"plugins.x", "busy"}}));
  EXPECT_EQ(answer.result.status, 429);
  EXPECT_NE(answer.result.body.find("\"type\":\"urn:swhub:problem:plugin-failed\""), std::string::npos);
  ASSERT_EQ(answer.result.headers.size(), 1u);
  EXPECT_EQ(answer.result.headers[0], (std::pair<std::string, std::string>{"Retry-After", "1"}));
}

TEST(api_filing_answers, EveryOutcomeHasItsStatus) {
  const std::pair<OutcomeKind, int> expected[] = {
      {OutcomeKind::Accepted, 202},           {OutcomeKind::Invalid, 400},
      {OutcomeKind::NotAPartner, 403},        {OutcomeKind::DuplicateTransaction, 409},
      {OutcomeKind::IdempotencyConflict, 409}, {OutcomeKind::CaseChanged, 409},
      {OutcomeKind::UnsupportedType, 415},    {OutcomeKind::PluginFailed, 422},
      {OutcomeKind::PluginBusy, 429},         {OutcomeKind::JournalRefused, 500},
      {OutcomeKind::FormatUnavailable, 503},  {OutcomeKind::JournalUnavailable, 503},
      {OutcomeKind::SpoolUnavailable, 503},
  };
  for (const auto& [kind, status] : expected) {
    EXPECT_EQ(answerOf(Outcome::of(kind, "d")).result.status, status) << intake::toString(kind);
  }
  Outcome replayed = Outcome::of(OutcomeKind::Replayed, "");
  replayed.storedStatus = 202;
  replayed.body = "{\"message_id\":\"M-1\"}";
  const auto answer = answerOf(replayed);
  EXPECT_EQ(answer.result.status, 202);
  EXPECT_EQ(answer.result.body, "{\"message_id\":\"M-1\"}");
  EXPECT_EQ(answerOf(Outcome::of(OutcomeKind::JournalUnavailable, "d")).result.headers.at(0).second, "30");
  EXPECT_TRUE(answerOf(Outcome::of(OutcomeKind::FormatUnavailable, "d")).result.headers.empty());
}

}  // namespace
}  // namespace swhub::api
