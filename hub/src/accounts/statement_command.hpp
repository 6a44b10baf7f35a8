#pragma once
// `swhub statement` (README "CLI", "Account statements"): prints an account's statement for a
// period (issuing it when the period has ended and it was never issued), or with --reconcile its
// reconciliation (read-only; exit 1 on any difference).

#include <iosfwd>
#include <string>

#include "config/config.hpp"

namespace swhub::accounts {

struct StatementRequest {
  std::string account;
  std::string period;  // YYYY-MM
  std::string format = "json";  // json | csv
  bool reconcile = false;
};

// Throws std::invalid_argument for a bad option (the caller prints it); returns the exit code.
int runStatementCommand(const config::HubConfig& config, const StatementRequest& request, std::ostream& out,
                        std::ostream& err);

}  // namespace swhub::accounts
