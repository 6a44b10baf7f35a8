#include "intake/pipeline.hpp"

#include <algorithm>
#include <cctype>

#include "common/ids.hpp"
#include "intake/case_lookup.hpp"
#include "intake/declaration_plan.hpp"
#include "intake/filing_lists.hpp"
#include "intake/filing_sink.hpp"
#include "plugin/plugin_failure.hpp"

namespace swhub::intake {
namespace {

// Plans of a message on cases an agency changed meanwhile are made again at most this often.
constexpr int kStaleAttempts = 8;

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// The registered name of the plugin that decodes: the partner's own, or the canonical one.
std::string pluginNameOf(const PartnerRuntime& partner, const sdk::PartnerPlugin& decoder) {
  if (&decoder != partner.instance->plugin.get()) return "canonical";
  if (partner.instance->source) return partner.instance->source->name;
  return partner.config.plugin;
}

Outcome journalFailure(const journal::CommitResult& result) {
  if (result.status == journal::CommitResult::Status::Unavailable) {
    return Outcome::of(OutcomeKind::JournalUnavailable, "the journal cannot write; nothing was filed: " + result.error);
  }
  return Outcome::of(OutcomeKind::JournalRefused, "the journal refused the filing: " + result.error);
}

Outcome invalid(const ErrorList& errors) {
  return Outcome::of(OutcomeKind::Invalid,
                     std::to_string(errors.count()) + " error(s) in the message; nothing was filed", errors.listed());
}

}  // namespace

std::string mediaType(const std::string& contentType) {
  std::string type = contentType.substr(0, contentType.find(';'));
  type.erase(std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }), type.end());
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  return type;
}

// One message through the pipeline: what it decoded, planned and refused so far.
class Pipeline::Run {
 public:
  Run(const Pipeline& pipeline, const Message& message, const PartnerRuntime& partner,
      const sdk::PartnerPlugin& decoder, std::string type, std::string digest)
      : p_(pipeline),
        message_(message),
        partner_(partner),
        decoder_(decoder),
        type_(std::move(type)),
        digest_(std::move(digest)),
        messageId_(common::newId("M-")),
        now_(common::nowInstant()),
        actor_(common::Actor::partner(message.partnerId)),
        acceptValid_(partner.config.accept_valid),
        pluginName_(pluginNameOf(partner, decoder)) {}

  Outcome run() {
    const SinkMessage head{messageId_, message_.partnerId, type_, digest_, now_};
    sink_ = message_.bytes ? memorySink(p_.journal_, p_.signer_, head, *message_.bytes)
                           : stagedSink(p_.journal_, p_.signer_, head, message_.file, message_.size, message_.spool,
                                        p_.stageChunk_);
    if (auto failed = sink_->open()) return *failed;
    if (auto refused = decode()) return *refused;
    if (auto failure = sink_->failure()) {
      sink_->abort();
      return journalFailure(*failure);
    }
    if (errors_.empty() && filed_ == 0 && followUps_.empty() && events_.empty()) {
      if (rejected_.count() > 0) {
        errors_.addAll(rejected_.errors());
        errors_.add({"", "every filing of the message was rejected"});
      } else {
        errors_.add({"", "the message holds no filing"});
      }
    }
    if (events_.size() > 1) errors_.add({"", "a message carries one payment or refund event at most"});
    if (!errors_.empty()) return refuse(invalid(errors_));
    return commit();
  }

 private:
  // Every filing decoded once and handed to the sink; an outcome when the message is refused
  // before the end.
  std::optional<Outcome> decode() {
    std::optional<StringSource> inMemory;
    std::optional<FileSource> spooled;
    sdk::ByteSource* source = nullptr;
    if (message_.bytes) {
      source = &inMemory.emplace(*message_.bytes);
    } else {
      source = &spooled.emplace(message_.file);
    }
    const sdk::MessageContext context{message_.partnerId, type_, message_.headers, common::toString(now_)};
    auto filings = decoder_.open(context, *source);
    if (!filings) errors_.add({"", "the partner plugin could not open the message"});
    while (filings && !sink_->failure()) {
      auto next = filings->next();
      if (!next) break;
      if (auto* e = std::get_if<sdk::Errors>(&*next)) {
        // The plugin's own failure is not an error of the message: nothing of it is filed.
        if (plugin::isPluginFailure(*e)) return pluginFailed(std::move(*e));
        refuseFiling(e->empty() ? std::string() : e->front().path, *e);
      } else if (auto* f = std::get_if<sdk::DecodedFiling>(&*next)) {
        if (auto failure = garbage(*f)) return pluginFailed(std::move(*failure));
        handOver(*f, std::exchange(facts_, std::nullopt));
      } else if (auto* event = std::get_if<sdk::HubEvent>(&*next)) {
        if (auto refused = takeEvent(*event)) return refused;
      } else if (auto* facts = std::get_if<sdk::DeclarationFacts>(&*next)) {
        // The facts of the filing that comes next (sdk::DeclarationFacts).
        if (facts_) return pluginFailed(factsWithoutFiling());
        facts_ = std::move(*facts);
      }
    }
    if (facts_ && !sink_->failure()) return pluginFailed(factsWithoutFiling());
    filings.reset();
    // Once a reject-all message has an error nothing of it will be filed.
    if (acceptValid_ || errors_.empty()) sink_->flush();
    return std::nullopt;
  }

  // A refused filing: set aside under on_error: accept-valid (listed in the receipt), else an
  // error of the whole message.
  void refuseFiling(const std::string& location, const sdk::Errors& found) {
    if (acceptValid_) {
      rejected_.add(location, found);
    } else {
      errors_.addAll(found);
    }
  }

  // A filing said to be valid that names nothing the hub could file or look up is the plugin's
  // failure, not the partner's: nullopt when it is usable.
  std::optional<sdk::Errors> garbage(const sdk::DecodedFiling& f) const {
    const sdk::Consignment& c = f.consignment;
    if (!c.reference.empty() || (sdk::concernsExistingCase(c.filing) && !c.case_id.empty())) return std::nullopt;
    return sdk::Errors{plugin::failureError({pluginName_, plugin::FailureKind::Garbage, "decode",
                                             "a filing at '" + f.location + "' without a reference"})};
  }

  sdk::Errors factsWithoutFiling() const {
    return sdk::Errors{plugin::failureError({pluginName_, plugin::FailureKind::Garbage, "decode",
                                             "declaration facts that no filing follows"})};
  }

  void handOver(sdk::DecodedFiling& f, std::optional<sdk::DeclarationFacts> facts) {
    const std::string& partnerId = message_.partnerId;
    f.consignment.partner = partnerId;
    if (sdk::concernsExistingCase(f.consignment.filing)) {
      std::string error;
      auto target = followUpTarget(p_.journal_, message_.partnerId, f.consignment, error);
      if (!target) {
        refuseFiling(f.location, {{f.location, error}});
      } else {
        followUps_.push_back({std::move(f.consignment), std::move(*target), f.location});
      }
      return;
    }
    const std::string& reference = f.consignment.reference;
    if (sink_->holds(reference) || p_.journal_.referenceTaken(partnerId, reference, sink_->stagingId())) {
      refuseFiling(f.location, {{f.location, referenceTakenMessage(partnerId, reference)}});
      return;
    }
    // Once a reject-all message has an error nothing of it will be filed: only check the rest.
    if (!acceptValid_ && !errors_.empty()) return;
    f.consignment.case_id = common::newId("C-");
    auto declared = planDeclaration(p_.journal_, f.consignment, facts, partner_.config.account, messageId_, now_,
                                    f.location);
    if (!declared.ok()) {
      refuseFiling(f.location, declared.errors());
      return;
    }
    // Once per message too: the journal only knows what earlier messages linked.
    for (const auto& link : declared.value().links) {
      for (const auto& earlier : declared_.links) {
        if (!link.completes.empty() && earlier.completes == link.completes) {
          refuseFiling(f.location, {{f.location, "case " + link.completes + " is completed already by supplementary "
                                                     "declaration " + earlier.case_id + " of this message"}});
          return;
        }
        if (!link.account.empty() && earlier.account == link.account && earlier.period == link.period) {
          refuseFiling(f.location, {{f.location, "period " + link.period + " of account " + link.account +
                                                     " is closed already by final supplementary declaration " +
                                                     earlier.case_id + " of this message"}});
          return;
        }
      }
    }
    for (auto& link : declared.value().links) declared_.links.push_back(std::move(link));
    for (auto& event : declared.value().events) declared_.events.push_back(std::move(event));
    const common::CaseState state = p_.coordinator_.planNewCase(sink_->batch(), f.consignment, messageId_, actor_, now_);
    sink_->add({f.consignment.case_id, reference, state}, f.location);
    ++filed_;
  }

  std::optional<Outcome> takeEvent(const sdk::HubEvent& event) {
    const std::string location = "/transaction_id";
    sdk::Errors found;
    auto target = caseForEvent(p_.journal_, p_.partners_, event, found);
    if (!target) {
      errors_.addAll(found);
      return std::nullopt;
    }
    // A transaction is applied once, whatever the message that carries it.
    if (auto seen = p_.journal_.findMessageSummary(message_.partnerId, "txn:" + event.transaction_id)) {
      return refuse(Outcome::of(OutcomeKind::DuplicateTransaction,
                                "transaction '" + event.transaction_id + "' was already processed (message " +
                                    seen->id + ")",
                                {{location, "transaction '" + event.transaction_id + "' already processed"}}));
    }
    events_.push_back({event, std::move(*target), location});
    return std::nullopt;
  }

  Outcome pluginFailed(sdk::Errors failure) {
    // Counted where every caller of a plugin counts its failures (README "Plugin faults").
    const auto read = plugin::failureOf(failure.front());
    if (read) p_.metrics_.pluginFailures.increment(read->plugin, std::string(plugin::toString(read->kind)));
    const bool busy = read && read->kind == plugin::FailureKind::Busy;
    const std::string detail = failure.front().message + "; nothing was filed";
    return refuse(Outcome::of(busy ? OutcomeKind::PluginBusy : OutcomeKind::PluginFailed, detail, std::move(failure)));
  }

  // A refused message is journaled too (the trace shows what came in), but its key is not
  // reserved: the partner may correct the message and send it again under the same key.
  Outcome refuse(Outcome outcome) {
    p_.metrics_.filingsRejected.increment(message_.partnerId);
    sink_->reject(p_.render_(outcome));
    return outcome;
  }

  // Follow-ups and events change existing cases: planned last, into the commit itself. When an
  // agency (customs deciding in process) changed such a case before the commit, the journal
  // refuses the batch as stale: read the cases again and plan again, a few times, rather than
  // refuse the partner.
  Outcome commit() {
    const RejectedFilings rejectedWhenDecoded = rejected_;
    for (int attempt = 1;; ++attempt) {
      rejected_ = rejectedWhenDecoded;
      journal::WriteBatch last;
      last.declaration_links = declared_.links;
      last.events = declared_.events;
      std::vector<ReceiptCase> lastCases;
      std::size_t followedUp = 0;
      for (auto& followUp : followUps_) {
        auto planned = p_.coordinator_.planFollowUp(last, followUp.target, followUp.consignment, messageId_, actor_,
                                                    now_, followUp.location);
        if (!planned.ok()) {
          refuseFiling(followUp.location, planned.errors());
          continue;
        }
        lastCases.push_back({followUp.target.id, followUp.target.reference, planned.value()});
        ++followedUp;
      }
      for (auto& e : events_) {
        auto planned = p_.coordinator_.planEvent(last, e.target, e.event, messageId_, actor_, now_, e.location);
        if (!planned.ok()) {
          errors_.addAll(planned.errors());
          continue;
        }
        lastCases.push_back({e.target.id, e.target.reference, planned.value()});
      }
      if (!errors_.empty()) return refuse(invalid(errors_));
      // An event's transaction id is its idempotency key: the journal refuses it twice, also under a race.
      const std::string key = events_.empty() ? message_.idempotencyKey : "txn:" + events_.front().event.transaction_id;
      Outcome accepted = Outcome::of(OutcomeKind::Accepted, "");
      auto result = sink_->commit(std::move(last), lastCases, rejected_.receiptFields(), key, accepted);
      if (!result) {
        sink_->abort();
        return Outcome::of(OutcomeKind::SpoolUnavailable, "cannot write the receipt file in " + message_.spool.string());
      }
      using Status = journal::CommitResult::Status;
      if (result->status == Status::Stale && attempt < kStaleAttempts) {
        for (auto& followUp : followUps_) {
          if (auto fresh = p_.journal_.getCase(followUp.target.id)) followUp.target = std::move(*fresh);
        }
        for (auto& e : events_) {
          if (auto fresh = p_.journal_.getCase(e.target.id)) e.target = std::move(*fresh);
        }
        continue;
      }
      return answer(*result, std::move(accepted), followedUp);
    }
  }

  Outcome answer(const journal::CommitResult& result, Outcome accepted, std::size_t followedUp) {
    using Status = journal::CommitResult::Status;
    const std::string& partnerId = message_.partnerId;
    if (result.status == Status::Committed) {
      p_.metrics_.filingsAccepted.increment(partnerId, filed_ + followedUp);
      if (rejected_.count() > 0) p_.metrics_.filingsRejected.increment(partnerId, rejected_.count());
      return accepted;
    }
    if (result.status == Status::ReferenceTaken) {
      // Another message filed a reference of this one since it was checked: the answer a
      // sequential duplicate gets, for every reference the journal refused.
      ErrorList taken;
      for (const auto& reference : result.taken_references) {
        taken.add({sink_->locationOf(reference), referenceTakenMessage(partnerId, reference)});
      }
      return refuse(invalid(taken));
    }
    sink_->abort();
    const std::string transaction = events_.empty() ? "" : events_.front().event.transaction_id;
    switch (result.status) {
      case Status::Duplicate:
        if (events_.empty() && result.existing) return p_.storedAnswer(*result.existing);
        return Outcome::of(OutcomeKind::DuplicateTransaction, "transaction '" + transaction + "' was already processed");
      case Status::Conflict:
        if (!events_.empty()) {
          return Outcome::of(OutcomeKind::DuplicateTransaction, "transaction '" + transaction + "' was already processed");
        }
        return Outcome::of(OutcomeKind::IdempotencyConflict,
                           "Idempotency-Key '" + message_.idempotencyKey + "' was already used with another body");
      case Status::Stale:
        return Outcome::of(OutcomeKind::CaseChanged, "the case changed while the message was filed; send it again");
      default:
        return journalFailure(result);
    }
  }

  const Pipeline& p_;
  const Message& message_;
  const PartnerRuntime& partner_;
  const sdk::PartnerPlugin& decoder_;
  const std::string type_;
  const std::string digest_;
  const std::string messageId_;
  const common::Instant now_;
  const common::Actor actor_;
  const bool acceptValid_;
  const std::string pluginName_;  // the decoder's registered name, for its failures
  std::unique_ptr<FilingSink> sink_;
  ErrorList errors_;
  RejectedFilings rejected_;
  std::size_t filed_ = 0;
  std::vector<FollowUp> followUps_;
  std::optional<sdk::DeclarationFacts> facts_;  // yielded for the filing that comes next
  DeclarationPlan declared_;                    // what the message's declarations declared
  std::vector<EventFor> events_;
};

Pipeline::Pipeline(journal::Journal& journal, metrics::HubMetrics& metrics,
                   const std::map<std::string, std::unique_ptr<PartnerRuntime>>& partners,
                   const sdk::PartnerPlugin* canonical, const release::Coordinator& coordinator,
                   const security::ReceiptSigner& signer, Render render)
    : journal_(journal),
      metrics_(metrics),
      partners_(partners),
      canonical_(canonical),
      coordinator_(coordinator),
      signer_(signer),
      render_(std::move(render)) {
  if (canonical_) canonicalTypes_ = canonical_->contentTypes();
}

const PartnerRuntime* Pipeline::partner(const std::string& id) const {
  auto it = partners_.find(id);
  return it == partners_.end() ? nullptr : it->second.get();
}

const sdk::PartnerPlugin* Pipeline::decoderFor(const PartnerRuntime& partner, const std::string& type) const {
  if (std::find(partner.contentTypes.begin(), partner.contentTypes.end(), type) != partner.contentTypes.end()) {
    return partner.instance->plugin.get();
  }
  if (std::find(canonicalTypes_.begin(), canonicalTypes_.end(), type) != canonicalTypes_.end()) return canonical_;
  return nullptr;
}

Outcome Pipeline::storedAnswer(const journal::MessageRecord& summary) const {
  Outcome outcome = Outcome::of(OutcomeKind::Replayed, "");
  outcome.storedStatus = summary.http_status;
  const std::int64_t size = journal_.messagePartSize(summary.id, journal::MessagePart::Response);
  if (size > kSpoolThreshold) {
    // A large receipt is read from the journal in pieces while it is sent.
    auto offset = std::make_shared<std::int64_t>(0);
    outcome.stream = StreamedBody{size, [this, id = summary.id, offset](char* buffer, std::size_t capacity) {
                                    const std::size_t n = journal_.readMessagePart(
                                        id, journal::MessagePart::Response, *offset, buffer, capacity);
                                    *offset += static_cast<std::int64_t>(n);
                                    return n;
                                  }};
    return outcome;
  }
  std::string& body = outcome.body;
  char buffer[65536];
  while (const std::size_t n = journal_.readMessagePart(summary.id, journal::MessagePart::Response,
                                                        static_cast<std::int64_t>(body.size()), buffer, sizeof buffer)) {
    body.append(buffer, n);
  }
  return outcome;
}

Outcome Pipeline::file(const Message& message) const {
  const PartnerRuntime* partner = this->partner(message.partnerId);
  if (partner == nullptr) return Outcome::of(OutcomeKind::NotAPartner, "only a partner may file messages");
  const std::string type = mediaType(message.contentType);
  const sdk::PartnerPlugin* decoder = decoderFor(*partner, type);
  if (decoder == nullptr) {
    // The partner's own types, then the canonical ones it does not list already (a partner whose
    // plugin is `canonical` would otherwise see each type twice).
    std::vector<std::string> accepted = partner->contentTypes;
    for (const auto& t : canonicalTypes_) {
      if (std::find(accepted.begin(), accepted.end(), t) == accepted.end()) accepted.push_back(t);
    }
    metrics_.filingsRejected.increment(partner->config.id);
    return Outcome::of(OutcomeKind::UnsupportedType,
                       "partner '" + partner->config.id + "' cannot file '" + (type.empty() ? "(none)" : type) +
                           "'; accepted: " + joined(accepted),
                       {{"Content-Type", "'" + type + "' is not accepted"}});
  }

  const std::string digest = !message.digest.empty() ? message.digest
                             : message.bytes          ? "sha256:" + common::sha256Hex(*message.bytes)
                                                      : "";
  if (!message.idempotencyKey.empty()) {
    // The summary only: an earlier message may be a large one, its body and receipt not for memory.
    if (auto previous = journal_.findMessageSummary(message.partnerId, message.idempotencyKey)) {
      if (previous->digest == digest) return storedAnswer(*previous);
      return Outcome::of(OutcomeKind::IdempotencyConflict, "Idempotency-Key '" + message.idempotencyKey +
                                                               "' was already used with another body (message " +
                                                               previous->id + ")");
    }
  }

  // A repeated message still gets its stored answer above; a new one waits for its format.
  const auto& off = partner->availability.unavailable_types;
  if (decoder == partner->instance->plugin.get() && std::find(off.begin(), off.end(), type) != off.end()) {
    // Until an operator provides what is missing: nothing journaled.
    metrics_.filingsRejected.increment(partner->config.id);
    return Outcome::of(OutcomeKind::FormatUnavailable,
                       "partner '" + partner->config.id + "' cannot file '" + type + "' on this hub now; nothing was filed",
                       {{"Content-Type", partner->availability.reason}});
  }
  return Run(*this, message, *partner, *decoder, type, digest).run();
}

}  // namespace swhub::intake
