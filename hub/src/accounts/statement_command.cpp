#include "accounts/statement_command.hpp"

#include <chrono>
#include <ostream>
#include <stdexcept>

#include "accounts/reconcile.hpp"
#include "accounts/statement_book.hpp"
#include "journal/journal.hpp"

namespace swhub::accounts {

int runStatementCommand(const config::HubConfig& config, const StatementRequest& request, std::ostream& out,
                        std::ostream& err) {
  if (request.account.empty()) throw std::invalid_argument("missing --account ID (swhub statement --help)");
  const auto period = Period::parse(request.period);
  if (!period) {
    throw std::invalid_argument("--period '" + request.period + "': expected a month YYYY-MM (e.g. 2026-11)");
  }
  if (request.format != "json" && request.format != "csv") {
    throw std::invalid_argument("--format '" + request.format + "': json or csv");
  }
  const StatementBook book(config);
  if (book.holderOf(request.account) == nullptr) {
    err << "swhub: no account '" << request.account << "' in " << config.source
        << " (partners.<id>.account names each account)\n";
    return 1;
  }
  auto journal = journal::openJournal(config.journal);
  if (request.reconcile) {
    const Reconciliation r = reconcile(*journal, book, request.account, *period);
    out << toJson(r) << "\n";
    if (!r.reconciled()) {
      err << "statement: " << request.account << " " << period->toString() << ": "
          << r.differences.size() << " difference(s)\n";
      return 1;
    }
    return 0;
  }
  const auto outcome = book.statementFor(*journal, request.account, *period, std::chrono::system_clock::now());
  if (outcome.status != StatementBook::Outcome::Status::Ok) {
    err << "statement: " << outcome.error << "\n";
    return 1;
  }
  out << (request.format == "csv" ? toCsv(outcome.view()) : outcome.json + "\n");
  return 0;
}

}  // namespace swhub::accounts
