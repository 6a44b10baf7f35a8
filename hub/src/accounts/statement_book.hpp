#pragma once
// Issues and serves account statements (README "Account statements"): the account of each partner
// (partners.<id>.account), the periods' time zone and the payment terms (hub.accounts). The first
// time a closed period is asked for, its statement is issued and written to the journal, after
// every earlier closed period of the account, so that statements are issued in order; from then on
// the stored statement is served as it was issued. A period that has not ended is a draft, never
// stored. A change to a case after the statement that accounted it was issued is an adjustment on
// the next statement issued (or the draft shown).

#include <map>
#include <optional>
#include <string>

#include "accounts/period.hpp"
#include "accounts/statement.hpp"
#include "config/config.hpp"
#include "journal/journal.hpp"

namespace swhub::accounts {

class StatementBook {
 public:
  // Throws config::ConfigError (hub.accounts.time_zone) when the time zone cannot be read.
  explicit StatementBook(const config::HubConfig& config);

  // The partner that holds the account; nullptr when no partner has it.
  const std::string* holderOf(const std::string& account) const;
  const TimeZone& zone() const { return zone_; }

  struct Outcome {
    enum class Status { Ok, Unavailable };
    Status status = Status::Ok;
    std::string json;   // an issued statement's stored body, or the draft's JSON
    std::string error;  // Unavailable: why
    // The statement itself: built now (a draft, or issued by this call), or read back from the
    // stored body on demand only (a month of items is large: serving the stored JSON parses none).
    Statement view() const { return built ? *built : statementFromJson(json); }
    std::optional<Statement> built;
  };
  // The statement of `account` (which must have a holder) for `period`, as of `now`.
  Outcome statementFor(journal::Journal& journal, const std::string& account, const Period& period, Instant now) const;

  // What the statement of a period would hold now, without storing anything (the draft's content,
  // or an issued period rebuilt for comparison). `adjustments`: include corrections of cases
  // accounted on issued statements.
  Statement build(journal::Journal& journal, const std::string& account, const Period& period, bool adjustments,
                  const std::string& issuedAt) const;

 private:
  // Issues `period` (closed) unless it is issued already; the stored statement either way.
  Outcome issue(journal::Journal& journal, const std::string& account, const Period& period, bool adjustments,
                Instant now) const;

  std::map<std::string, std::string> holders_;  // account -> partner
  TimeZone zone_;
  int paymentDueDays_;
};

// Whether a case released to the account's holder is charged to `account`: its model as applied
// is `account` and the account its filing names, if any (a DMS deferment account), is this one.
bool chargedTo(const journal::ReleasedCase& released, const std::string& account);

// The lines of a case that the account is charged now: its revenue lines not collected at sale,
// when the model as applied is `account`; none otherwise.
std::vector<StatementLine> chargedLines(const std::string& statusJson);

// What proven returns of an account-model case credit (README "Returns and refunds"): one negative
// line per share given back of a charged line.
std::vector<StatementLine> creditLines(const std::string& statusJson);

// What the account is charged for a case now, all told: its charged lines and its credits; for a
// supplementary declaration (README "Supplementary declarations") its lines less those of the
// cases it completes.
std::vector<StatementLine> netCharged(journal::Journal& journal, const std::string& caseId,
                                      const std::string& statusJson);

}  // namespace swhub::accounts
