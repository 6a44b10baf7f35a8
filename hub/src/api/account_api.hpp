#pragma once
// GET /v1/accounts/{id}/statements/{YYYY-MM}: an account's periodic statement, for the partner that
// holds the account and for admins. Anyone else gets the same 404 as for an account that does not
// exist, so account ids cannot be probed.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "accounts/statement_book.hpp"
#include "api/http_result.hpp"
#include "api/identity.hpp"
#include "journal/journal.hpp"

namespace swhub::api {

class AccountApi {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  AccountApi(journal::Journal& journal, const accounts::StatementBook& book, Clock clock = {});

  // `format`: "" or "json" (application/json), "csv" (text/csv).
  HttpResult statement(const Identity& caller, const std::string& account, const std::string& period,
                       const std::string& format) const;
  // ?reconcile=true: the period's reconciliation (`swhub statement --reconcile`), read-only, with its
  // final supplementary declaration check (README "Supplementary declarations"); 200 either way.
  HttpResult reconciliation(const Identity& caller, const std::string& account, const std::string& period) const;

 private:
  // 404 for an account the caller may not see, 400 for a period that is not a month; nullopt: go on.
  std::optional<HttpResult> refused(const Identity& caller, const std::string& account, const std::string& period) const;

  journal::Journal& journal_;
  const accounts::StatementBook& book_;
  Clock clock_;
};

}  // namespace swhub::api
