#include "release/assessment_worker.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "common/ids.hpp"
#include "model/canonical_json.hpp"

namespace swhub::release {
using common::Actor;
using common::Decision;

namespace {

// Small claims, so that the threads share a burst rather than one taking it all.
constexpr std::size_t kBatch = 8;
constexpr std::chrono::milliseconds kLease{60000};

// Now + delay.
Instant later(std::chrono::milliseconds delay) { return common::nowInstant() + delay; }

// The delay after `attempt` (>= 1) failed attempts: base * 2^(attempt-1), at most cap.
std::chrono::milliseconds backoff(int attempt, const AssessmentRetry& retry) {
  const double raw = static_cast<double>(retry.base.count()) * std::ldexp(1.0, std::clamp(attempt, 1, 40) - 1);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(raw, static_cast<double>(retry.cap.count()))));
}

// Every error on one line, "; " between them (for a reason an officer reads).
std::string oneLine(const sdk::Errors& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "; ") + sdk::formatError(e);
  return out;
}

// The plugin-failed event's detail: what failed, how, and which attempt it was.
std::string failureDetail(const std::string& agency, const plugin::Failure& failure, std::string_view kind,
                          const std::string& message, int attempt) {
  Poco::JSON::Object detail(Poco::JSON_PRESERVE_KEY_ORDER);
  detail.set("agency", agency);
  detail.set("plugin", failure.plugin);
  detail.set("call", failure.call);
  detail.set("kind", std::string(kind));
  detail.set("message", message);
  detail.set("attempt", attempt);
  std::ostringstream out;
  detail.stringify(out);
  return out.str();
}

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
    std::size_t done = 0;
    try {
      done = runOnce();
    } catch (const std::exception& e) {
      // Journal trouble (a read that failed): what this round claimed stays leased and is taken
      // again when its lease ends; said at most every 10 s, whichever thread met it.
      const auto now = std::chrono::steady_clock::now();
      std::lock_guard lock(mutex_);
      if (now - lastTrouble_ > std::chrono::seconds(10)) {
        std::fprintf(stderr, "swhub: assessment: %s; retried later\n", e.what());
        lastTrouble_ = now;
      }
    }
    std::unique_lock lock(mutex_);
    if (stopping_) return;
    if (done == 0) cv_.wait_for(lock, std::chrono::milliseconds(200), [&] { return stopping_ || wakes_ != seen; });
  }
}

std::size_t AssessmentWorker::runOnce() {
  if (!journal_.writable()) return 0;
  const auto items = journal_.claimOutbox(journal::Channel::Assess, owner_, kBatch, kLease);
  for (const auto& item : items) assess(item);
  return items.size();
}

void AssessmentWorker::failed(const journal::OutboxItem& item, const plugin::Failure& failure, std::string_view kind,
                              const std::string& message) {
  const int attempt = item.attempts + 1;
  const Instant now = common::nowInstant();
  {
    // The case's history and trace show every failed attempt. Not recorded (journal trouble): the
    // attempt is still counted, and the next one records its own.
    journal::WriteBatch batch;
    batch.events.push_back({0, item.case_id, now, Actor::hub(), "plugin-failed", {}, {},
                            failureDetail(item.recipient, failure, kind, message, attempt), ""});
    journal_.commit(std::move(batch));
  }
  if (attempt < retry_.maxAttempts) {
    journal_.completeOutbox(item.seq, owner_, journal::OutboxState::Pending, later(backoff(attempt, retry_)), message);
    return;
  }
  // No more tries: an officer sees the case held for this agency, and why, and decides by hand.
  AssessmentInput hold;
  hold.agency = item.recipient;
  hold.caseId = item.case_id;
  hold.actor = Actor::hub();
  hold.decisions.push_back({Decision::Hold, "the agency's plugin failed " + std::to_string(attempt) + " times: " + message, {},
                            now, now, "hub", "", "", "", {kPluginFailedCode}});
  const auto result = coordinator_.recordAssessment(hold);
  if (result.status == DecisionResult::Status::Unavailable) {
    journal_.completeOutbox(item.seq, owner_, journal::OutboxState::Pending, later(backoff(attempt, retry_)), result.detail);
    return;
  }
  if (result.status == DecisionResult::Status::NotRouted || result.status == DecisionResult::Status::NotFound) {
    // Re-routed (or gone) while the plugin failed: nothing is left to hold.
    journal_.completeOutbox(item.seq, owner_, journal::OutboxState::Delivered, std::nullopt, "agency no longer routed");
    return;
  }
  journal_.completeOutbox(item.seq, owner_, journal::OutboxState::Delivered, std::nullopt, "held by the hub after " + std::to_string(attempt) +
                                                                 " failed attempts: " + message);
}

void AssessmentWorker::assess(const journal::OutboxItem& item) {
  auto retry = [&](const std::string& error) {
    const bool dead = item.attempts + 1 >= retry_.maxAttempts;
    journal_.completeOutbox(item.seq, owner_, dead ? journal::OutboxState::Dead : journal::OutboxState::Pending,
                            later(backoff(item.attempts + 1, retry_)), error);
  };
  const std::string pluginName = [&] {
    auto found = agencies_.find(item.recipient);
    return found == agencies_.end() || found->second.name.empty() ? item.recipient : found->second.name;
  }();
  // The plugin answered errors: its own (kind "error"), or a failure of the call (timed out, busy,
  // crashed: counted by kind).
  auto pluginErrors = [&](const sdk::Errors& errors) {
    if (auto failure = errors.empty() ? std::nullopt : plugin::failureOf(errors.front())) {
      if (countFailure_) countFailure_(*failure);
      failed(item, *failure, plugin::toString(failure->kind), errors.front().message);
      return;
    }
    failed(item, plugin::Failure{pluginName, plugin::FailureKind::Threw, "assess", ""}, "error",
           "plugin '" + pluginName + "' could not assess: " + oneLine(errors));
  };
  auto plugin = agencies_.find(item.recipient);
  if (plugin == agencies_.end()) {
    retry("no agency plugin for '" + item.recipient + "'");
    return;
  }
  auto record = journal_.getCase(item.case_id);
  if (!record) {
    journal_.completeOutbox(item.seq, owner_, journal::OutboxState::Dead, std::nullopt, "case " + item.case_id + " not found");
    return;
  }
  const CaseStatus status = CaseStatus::fromJson(record->status_json);
  auto agency = status.agencies.find(item.recipient);
  if (agency == status.agencies.end()) {
    // Re-routed by an amendment since: this assessment is no longer wanted.
    journal_.completeOutbox(item.seq, owner_, journal::OutboxState::Delivered, std::nullopt, "agency no longer routed");
    return;
  }
  model::DecodeOptions options;
  options.allow_hub_fields = true;
  options.validate = false;
  auto consignment = model::decodeConsignmentJson(record->consignment_json, options);
  if (!consignment.ok()) {
    journal_.completeOutbox(item.seq, owner_, journal::OutboxState::Dead, std::nullopt, "stored consignment unreadable");
    return;
  }
  // Duties and taxes a plugin assesses are in the consignment's revenue currency: the one the
  // hub derived, else the currency its goods are valued in.
  std::string currency = consignment.value().derived.revenue_currency;
  for (const auto& it : consignment.value().items) {
    if (currency.empty()) currency = it.currency;
  }
  sdk::AssessmentRequest request =
      assessmentRequest(consignment.take(), item.recipient, agency->second.items, common::toString(record->created_at));
  // What the journal knows of the seller and the buyer, this case left out.
  for (const auto& [role, party] : {std::pair{"seller", &request.consignment.parties.seller},
                                    std::pair{"buyer", &request.consignment.parties.buyer}}) {
    if (!*party || (*party)->id.empty()) continue;
    const journal::PartyHistory history = journal_.partyHistory(role, (*party)->id, record->id);
    request.parties.push_back({role, (*party)->id, history.cases, history.held, false});
  }
  AssessmentInput input;
  input.agency = item.recipient;
  input.caseId = item.case_id;
  input.actor = Actor::plugin(item.recipient);
  auto assessed = callAgency(plugin->second, request);
  if (!assessed.ok()) {
    pluginErrors(assessed.errors());
    return;
  }
  const bool pending = assessed.value().assessment.pending;
  std::vector<sdk::Decision> decisions = std::move(assessed.value().assessment.decisions);
  // A library older than ABI 3.2 derives nothing: no findings to record.
  if (plugin->second.findings) input.findings = std::move(assessed.value().findings);
  const Instant now = common::nowInstant();
  for (const auto& d : decisions) {
    // The plugin's word is checked here, at the edge: one it cannot spell is garbage.
    const auto word = common::parseDecision(d.decision);
    if (!word) {
      const plugin::Failure garbage{pluginName, plugin::FailureKind::Garbage, "assess",
                                    "an invalid decision: decision: " + notADecision(d.decision)};
      if (countFailure_) countFailure_(garbage);
      failed(item, garbage, plugin::toString(garbage.kind), plugin::failureError(garbage).message);
      return;
    }
    DecisionRecord record{*word, d.reason, d.items, now, now, "plugin", "", "", "", d.reason_codes};
    if (d.duties || d.taxes) {
      record.duties = d.duties.value_or(sdk::Decimal()).toString();
      record.taxes = d.taxes.value_or(sdk::Decimal()).toString();
      record.currency = currency;
    }
    input.decisions.push_back(std::move(record));
  }
  // The claim ends in the decisions' own commit: one transaction fewer per assessment, and no
  // window in which a crash leaves a decided case's assessment to be done again.
  input.completes = journal::OutboxCompletion{item.seq, owner_, journal::OutboxState::Delivered, std::nullopt,
                                              pending ? "pending: decides later" : ""};
  const auto result = coordinator_.recordAssessment(input);
  if (result.status == DecisionResult::Status::Unavailable) {
    retry(result.detail);
    return;
  }
  if (result.status == DecisionResult::Status::Invalid) {
    // Garbage: retried like any failure (a plugin may answer it once), then held with the reason.
    const plugin::Failure garbage{pluginName, plugin::FailureKind::Garbage, "assess",
                                  "an invalid decision: " + oneLine(result.errors)};
    if (countFailure_) countFailure_(garbage);
    failed(item, garbage, plugin::toString(garbage.kind), plugin::failureError(garbage).message);
    return;
  }
  // Nothing committed (a duplicate of what is recorded, or the case was re-routed): finish alone.
  if (!result.completed) {
    journal_.completeOutbox(item.seq, owner_, journal::OutboxState::Delivered, std::nullopt,
                            pending ? "pending: decides later" : "");
  }
}

}  // namespace swhub::release
