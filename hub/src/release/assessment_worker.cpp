#include "release/assessment_worker.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <chrono>
#include <sstream>

#include "common/ids.hpp"
#include "model/canonical_json.hpp"

namespace swhub::release {
namespace {

// Small claims, so that the threads share a burst rather than one taking it all.
constexpr std::size_t kBatch = 8;
constexpr std::chrono::milliseconds kLease{60000};
constexpr int kMaxAttempts = 5;

// RFC 3339 of now + delay, in the journal's text form.
std::string later(std::chrono::seconds delay) { return common::rfc3339(std::chrono::system_clock::now() + delay); }

}  // namespace

AssessmentWorker::AssessmentWorker(journal::Journal& journal, const Coordinator& coordinator,
                                   std::map<std::string, AgencyHandle> agencies, std::string owner, int threads)
    : journal_(journal),
      coordinator_(coordinator),
      agencies_(std::move(agencies)),
      owner_(std::move(owner)),
      threadCount_(std::max(1, threads)) {}

AssessmentWorker::~AssessmentWorker() { stop(); }

void AssessmentWorker::start() {
  for (int i = 0; i < threadCount_; ++i) threads_.emplace_back([this] { loop(); });
}

void AssessmentWorker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void AssessmentWorker::wake() {
  {
    std::lock_guard lock(mutex_);
    ++wakes_;
  }
  cv_.notify_all();
}

void AssessmentWorker::loop() {
  std::uint64_t seen = 0;  // the wakes this thread has answered: every thread answers each wake
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (stopping_) return;
      seen = wakes_;
    }
    const std::size_t done = runOnce();
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (done == 0) cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return stopping_ || wakes_ != seen; });
  }
}

std::size_t AssessmentWorker::runOnce() {
  if (!journal_.writable()) return 0;
  const auto items = journal_.claimOutbox(kChannelAssess, owner_, kBatch, kLease);
  for (const auto& item : items) assess(item);
  return items.size();
}

void AssessmentWorker::assess(const journal::OutboxItem& item) {
  auto retry = [&](const std::string& error) {
    const bool dead = item.attempts + 1 >= kMaxAttempts;
    journal_.completeOutbox(item.seq, owner_, dead ? "dead" : "pending",
                            later(std::chrono::seconds(1 << std::min(item.attempts, 6))), error);
  };
  auto plugin = agencies_.find(item.recipient);
  if (plugin == agencies_.end()) {
    retry("no agency plugin for '" + item.recipient + "'");
    return;
  }
  auto record = journal_.getCase(item.case_id);
  if (!record) {
    journal_.completeOutbox(item.seq, owner_, "dead", "", "case " + item.case_id + " not found");
    return;
  }
  const CaseStatus status = CaseStatus::fromJson(record->status_json);
  auto agency = status.agencies.find(item.recipient);
  if (agency == status.agencies.end()) {
    // Re-routed by an amendment since: this assessment is no longer wanted.
    journal_.completeOutbox(item.seq, owner_, "delivered", "", "agency no longer routed");
    return;
  }
  model::DecodeOptions options;
  options.allow_hub_fields = true;
  options.validate = false;
  auto consignment = model::decodeConsignmentJson(record->consignment_json, options);
  if (!consignment.ok()) {
    journal_.completeOutbox(item.seq, owner_, "dead", "", "stored consignment unreadable");
    return;
  }
  sdk::AssessmentRequest request;
  request.agency = item.recipient;
  request.consignment = consignment.take();
  request.received_at = record->created_at;
  // What the journal knows of the seller and the buyer, this case left out.
  for (const auto& [role, party] : {std::pair{"seller", &request.consignment.parties.seller},
                                    std::pair{"buyer", &request.consignment.parties.buyer}}) {
    if (!*party || (*party)->id.empty()) continue;
    const journal::PartyHistory history = journal_.partyHistory(role, (*party)->id, record->id);
    request.parties.push_back({role, (*party)->id, history.cases, history.held, false});
  }
  // Duties and taxes a plugin assesses are in the consignment's revenue currency: the one the
  // hub derived, else the currency its goods are valued in.
  std::string currency = request.consignment.derived.revenue_currency;
  for (const auto& it : request.consignment.items) {
    if (currency.empty()) currency = it.currency;
  }
  // The agency sees the items routed to it.
  if (!agency->second.items.empty()) {
    std::vector<sdk::Item> mine;
    for (const auto& it : request.consignment.items) {
      if (std::find(agency->second.items.begin(), agency->second.items.end(), it.sequence) != agency->second.items.end()) {
        mine.push_back(it);
      }
    }
    request.consignment.items = std::move(mine);
  }
  AssessmentInput input;
  input.agency = item.recipient;
  input.caseId = item.case_id;
  input.actor = "plugin:" + item.recipient;
  bool pending = false;
  std::vector<sdk::Decision> decisions;
  if (plugin->second.findings) {
    auto assessed = plugin->second.plugin->assessCase(request);
    if (!assessed.ok()) {
      retry(sdk::formatErrors(assessed.errors()));
      return;
    }
    pending = assessed.value().assessment.pending;
    decisions = std::move(assessed.value().assessment.decisions);
    input.findings = std::move(assessed.value().findings);
  } else {
    auto assessed = plugin->second.plugin->assess(request);
    if (!assessed.ok()) {
      retry(sdk::formatErrors(assessed.errors()));
      return;
    }
    pending = assessed.value().pending;
    decisions = std::move(assessed.value().decisions);
  }
  const std::string now = common::nowRfc3339();
  for (const auto& d : decisions) {
    DecisionRecord record{d.decision, d.reason, d.items, now, now, "plugin", "", "", "", d.reason_codes};
    if (d.duties || d.taxes) {
      record.duties = d.duties.value_or(sdk::Decimal()).toString();
      record.taxes = d.taxes.value_or(sdk::Decimal()).toString();
      record.currency = currency;
    }
    input.decisions.push_back(std::move(record));
  }
  const auto result = coordinator_.recordAssessment(input);
  if (result.status == DecisionResult::Status::Unavailable) {
    retry(result.detail);
    return;
  }
  if (result.status == DecisionResult::Status::Invalid) {
    journal_.completeOutbox(item.seq, owner_, "dead", "", "the plugin's decision is invalid: " + sdk::formatErrors(result.errors));
    return;
  }
  journal_.completeOutbox(item.seq, owner_, "delivered", "", pending ? "pending: decides later" : "");
}

}  // namespace swhub::release
