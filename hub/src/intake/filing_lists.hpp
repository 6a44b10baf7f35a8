#pragma once
// What the intake pipeline collects while it decodes a message: capped error lists, the filings
// an accept-valid partner had refused (as they appear in a problem or a receipt), and the
// filings and events that concern existing cases.

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "intake/spool_file.hpp"
#include "journal/journal.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::intake {

// At most this many errors (or refused filings) are listed; one more entry counts the rest.
inline constexpr std::size_t kMaxListedErrors = 1000;

class ErrorList {
 public:
  void add(sdk::Error error) {
    ++count_;
    if (kept_.size() < kMaxListedErrors) kept_.push_back(std::move(error));
  }
  void addAll(const sdk::Errors& errors) {
    for (const auto& e : errors) add(e);
  }
  bool empty() const { return count_ == 0; }
  std::size_t count() const { return count_; }
  sdk::Errors listed() const {
    sdk::Errors out = kept_;
    if (count_ > kept_.size()) out.push_back({"", std::to_string(count_ - kept_.size()) + " more errors not listed"});
    return out;
  }

 private:
  sdk::Errors kept_;
  std::size_t count_ = 0;
};

// Filings refused under on_error: accept-valid, listed in the receipt under "rejected".
class RejectedFilings {
 public:
  void add(std::string location, sdk::Errors errors) {
    ++count_;
    if (kept_.size() < kMaxListedErrors) kept_.emplace_back(std::move(location), std::move(errors));
  }
  std::size_t count() const { return count_; }
  // Every listed error, for a problem when no filing at all was valid.
  sdk::Errors errors() const {
    sdk::Errors out;
    for (const auto& [_, errors] : kept_) out.insert(out.end(), errors.begin(), errors.end());
    if (count_ > kept_.size()) out.push_back({"", std::to_string(count_ - kept_.size()) + " more rejected filings not listed"});
    return out;
  }
  // ,"rejected":[{location, errors:[{path, message}]}],"rejected_count":N  or "" when none.
  std::string receiptFields() const {
    if (count_ == 0) return "";
    std::string out = ",\"rejected\":[";
    bool first = true;
    for (const auto& [location, errors] : kept_) {
      out += first ? "" : ",";
      first = false;
      out += "{\"location\":" + jsonQuoted(location) + ",\"errors\":[";
      for (std::size_t i = 0; i < errors.size(); ++i) {
        out += (i ? "," : "") + std::string("{\"path\":") + jsonQuoted(errors[i].path) +
               ",\"message\":" + jsonQuoted(errors[i].message) + "}";
      }
      out += "]}";
    }
    return out + "],\"rejected_count\":" + std::to_string(count_);
  }

 private:
  std::vector<std::pair<std::string, sdk::Errors>> kept_;
  std::size_t count_ = 0;
};

// A filing that concerns an existing case (amendment, cancellation, arrival, return).
struct FollowUp {
  sdk::Consignment consignment;
  journal::CaseRecord target;
  std::string location;
};

// A payment or refund event and the case it names.
struct EventFor {
  sdk::HubEvent event;
  journal::CaseRecord target;
  std::string location;
};

// Why a new filing's reference is refused: the partner already filed it (one text for the
// sequential check and for the journal's refusal of a racing duplicate).
inline std::string referenceTakenMessage(const std::string& partner, const std::string& reference) {
  return "reference '" + reference + "' was already filed by '" + partner +
         "': file an amendment or a cancellation for it";
}

}  // namespace swhub::intake
