#include "api/account_api.hpp"

#include "accounts/reconcile.hpp"

namespace swhub::api {

AccountApi::AccountApi(journal::Journal& journal, const accounts::StatementBook& book, Clock clock)
    : journal_(journal), book_(book), clock_(clock ? std::move(clock) : [] { return std::chrono::system_clock::now(); }) {}

std::optional<HttpResult> AccountApi::refused(const Identity& caller, const std::string& account,
                                              const std::string& periodText) const {
  const std::string* holder = book_.holderOf(account);
  const bool allowed = holder != nullptr && (caller.kind == Identity::Kind::Admin ||
                                             (caller.kind == Identity::Kind::Partner && caller.id == *holder));
  if (!allowed) return problem(404, "account-not-found", "Not Found", "no account '" + account + "' for this caller");
  if (!accounts::Period::parse(periodText)) {
    const std::string message = "'" + periodText + "' is not a period: a month YYYY-MM (e.g. 2026-11)";
    return problem(400, "invalid-period", "Bad Request", message, {{"period", message}});
  }
  return std::nullopt;
}

HttpResult AccountApi::reconciliation(const Identity& caller, const std::string& account,
                                      const std::string& periodText) const {
  if (auto no = refused(caller, account, periodText)) return *no;
  try {
    return json(200, accounts::toJson(accounts::reconcile(journal_, book_, account, *accounts::Period::parse(periodText))));
  } catch (const journal::JournalError& e) {
    HttpResult r = problem(503, "journal-unavailable", "Service Unavailable",
                           std::string("the journal cannot be read now: ") + e.what(), {{"journal", e.what()}});
    r.headers.push_back({"Retry-After", "30"});
    return r;
  }
}

HttpResult AccountApi::statement(const Identity& caller, const std::string& account, const std::string& periodText,
                                 const std::string& format) const {
  if (auto no = refused(caller, account, periodText)) return *no;
  const auto period = accounts::Period::parse(periodText);
  if (!format.empty() && format != "json" && format != "csv") {
    const std::string message = "'" + format + "' is not a format: json or csv";
    return problem(400, "invalid-query", "Bad Request", message, {{"format", message}});
  }
  accounts::StatementBook::Outcome outcome;
  try {
    outcome = book_.statementFor(journal_, account, *period, clock_());
  } catch (const journal::JournalError& e) {
    outcome.status = accounts::StatementBook::Outcome::Status::Unavailable;
    outcome.error = e.what();
  }
  if (outcome.status != accounts::StatementBook::Outcome::Status::Ok) {
    HttpResult r = problem(503, "journal-unavailable", "Service Unavailable",
                           "the statement cannot be issued now: " + outcome.error, {{"journal", outcome.error}});
    r.headers.push_back({"Retry-After", "30"});
    return r;
  }
  if (format == "csv") {
    HttpResult r;
    r.contentType = "text/csv; charset=utf-8";
    r.body = accounts::toCsv(outcome.view());
    return r;
  }
  return json(200, outcome.json);
}

}  // namespace swhub::api
