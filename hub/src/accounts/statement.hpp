#pragma once
// An account's periodic statement (README "Account statements"): every item released under the
// account model in the period with its duty and tax lines, the adjustments that correct items of
// earlier statements, totals per tax, what is due and by when. Written as JSON (served and stored
// byte for byte) and CSV.

#include <optional>
#include <string>
#include <vector>

#include "swhub/sdk/model.hpp"

namespace swhub::accounts {

struct StatementLine {
  std::string tax;
  int item = 0;  // goods item sequence; 0 = the whole consignment
  sdk::Decimal base;
  std::optional<sdk::Decimal> rate;
  sdk::Decimal amount;
  std::string currency;
  std::string why;
};

// One case released under the account model in the period.
struct StatementEntry {
  std::string caseId;
  std::string reference;
  std::string releasedAt;
  std::vector<StatementLine> lines;
  // A supplementary declaration: the cases it completes. It has no lines of its own: what it
  // changes of theirs is an adjustment (README "Supplementary declarations").
  std::vector<std::string> completes;
};

// A late change to a case that an earlier statement accounted: what it corrects and by how much.
struct Adjustment {
  std::string caseId;
  std::string reference;
  std::string corrects;  // the statement that accounted the case as an item
  std::string tax;
  int item = 0;
  std::string currency;
  sdk::Decimal accounted;  // on earlier statements
  sdk::Decimal now;        // the case's line now
  sdk::Decimal amount;     // now - accounted
  std::string correctsCase;  // the case it corrects when not caseId (a supplementary's completed case)
  std::string why;           // "" or what caused it: a supplementary declaration, a return's credit
};

struct Total {
  std::string tax;
  std::string currency;
  sdk::Decimal amount;
};

struct Statement {
  std::string id;       // "ST-<account>-<YYYY-MM>"
  std::string account;
  std::string holder;   // the partner the account belongs to
  std::string period;   // "YYYY-MM"
  bool issued = false;  // false: a draft (the period has not ended), never stored
  std::string timeZone;
  std::string from, to;  // the period's instants, RFC 3339 UTC: [from, to)
  std::string issuedAt;  // "" for a draft
  std::string paymentDue;  // "YYYY-MM-DD"
  std::vector<StatementEntry> entries;
  std::vector<Adjustment> adjustments;
  std::vector<Total> totals;  // per (tax, currency), items and adjustments together
  std::vector<Total> due;     // per currency (tax "")

  // Fills totals and due from the entries and adjustments.
  void computeTotals();
};

std::string statementId(const std::string& account, const std::string& period);
std::string toJson(const Statement& statement);
// Reads what toJson wrote (an issued statement's stored body); throws std::invalid_argument.
Statement statementFromJson(const std::string& json);
// One row per line, adjustment, total and amount due:
// statement_id,period,status,kind,case_id,reference,released_at,tax,item,base,rate,amount,currency,corrects,why
std::string toCsv(const Statement& statement);

}  // namespace swhub::accounts
