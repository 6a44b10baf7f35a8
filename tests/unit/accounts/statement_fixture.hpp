#pragma once
// A real SQLite journal with cases released under chosen models at chosen instants, and the
// statement book of a small config over it: what the statement and reconciliation tests share.

#include <string>
#include <vector>

#include "instants.hpp"
#include "accounts/statement_book.hpp"
#include "common/ids.hpp"
#include "journal/journal.hpp"
#include "release/case_status.hpp"
#include "temp_dir.hpp"

namespace swhub::accounts::testing {

inline Instant at(const std::string& text) { return common::parseRfc3339Utc(text).value(); }

// A revenue line: tax, item (0 = the consignment), amount, in EUR.
struct Line {
  std::string tax;
  int item;
  std::string amount;
};

inline std::string statusJson(const std::string& model, const std::vector<Line>& lines) {
  release::CaseStatus status;
  status.collection = model;
  status.revenueAssessed = true;
  status.revenueCurrency = "EUR";
  sdk::Decimal due;
  for (const auto& l : lines) {
    sdk::RevenueLine line;
    line.tax = l.tax;
    if (l.item > 0) line.item = l.item;
    line.amount = *sdk::Decimal::parse(l.amount);
    line.base = line.amount;
    line.currency = "EUR";
    line.why = l.tax + " of item " + std::to_string(l.item);
    status.revenueLines.push_back(line);
    due = due + line.amount;
  }
  status.revenueDue = due.toString();
  status.released = true;
  status.settleRevenue();
  return status.toJson();
}

class Ledger {
 public:
  explicit Ledger(const std::string& timeZone = "UTC") {
    config_.partners.resize(2);
    config_.partners[0].id = "demo-broker";
    config_.partners[0].account = "ACC-1";
    config_.partners[1].id = "demo-shop";
    config_.accounts.time_zone = timeZone;
    config_.accounts.payment_due_days = 15;
    config_.source = "hub.yaml";
    journal_ = journal::openJournal("sqlite:" + dir_.file("journal.db"));
    book_ = std::make_unique<StatementBook>(config_);
  }

  // A case of `partner` filed and assessed (due as the lines sum) before `releasedAt`, released then.
  // `consignment`: the case's canonical JSON (what the filing named, e.g. its payment references).
  void release(const std::string& id, const std::string& releasedAt, const std::vector<Line>& lines,
               const std::string& model = "account", const std::string& partner = "demo-broker",
               const std::string& consignment = "{}") {
    const std::string json = statusJson(model, lines);
    const auto status = release::CaseStatus::fromJson(json);
    journal::WriteBatch batch;
    batch.new_cases.push_back({id, partner, "REF-" + id, "declaration", common::CaseState::Released, 1, consignment, "M-" + id,
                               swhub::testing::at(releasedAt), swhub::testing::at(releasedAt), json});
    batch.events.push_back({0, id, swhub::testing::at(releasedAt), common::Actor::agency("customs"), "assessed", std::nullopt, std::nullopt,
                            R"({"agency":"customs","model":")" + model + R"(","due":")" + status.revenueDue +
                                R"(","currency":"EUR"})",
                            ""});
    batch.events.push_back({0, id, swhub::testing::at(releasedAt), common::Actor::hub(), "transition", common::CaseState::Cleared, common::CaseState::Released, "{}", ""});
    versions_[id] = 1;
    ASSERT_EQ(journal_->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  }

  // A late change to a released case (an officer's re-assessment): its lines are now `lines`.
  void change(const std::string& id, const std::string& when, const std::vector<Line>& lines,
              const std::string& model = "account") {
    journal::WriteBatch batch;
    batch.case_updates.push_back({id, versions_[id], common::CaseState::Released, "", "", swhub::testing::at(when), statusJson(model, lines)});
    ++versions_[id];
    ASSERT_EQ(journal_->commit(std::move(batch)).status, journal::CommitResult::Status::Committed);
  }

  StatementBook::Outcome ask(const std::string& period, const std::string& now) {
    return book_->statementFor(*journal_, "ACC-1", *Period::parse(period), at(now));
  }

  journal::Journal& journal() { return *journal_; }
  std::string journalPath() const { return dir_.file("journal.db"); }
  const StatementBook& book() const { return *book_; }

 private:
  swhub::testing::TempDir dir_;
  config::HubConfig config_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<StatementBook> book_;
  std::map<std::string, int> versions_;
};

}  // namespace swhub::accounts::testing
