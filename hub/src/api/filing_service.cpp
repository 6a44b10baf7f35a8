#include "api/filing_service.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <sstream>

#include "api/filing_support.hpp"
#include "api/identity.hpp"
#include "common/ids.hpp"
#include "model/canonical_json.hpp"
#include "security/receipt_text.hpp"

namespace swhub::api {
namespace {

class StringSource : public sdk::ByteSource {
 public:
  explicit StringSource(const std::string& bytes) : bytes_(bytes) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min(size, bytes_.size() - offset_);
    std::copy_n(bytes_.data() + offset_, n, buffer);
    offset_ += n;
    return n;
  }

 private:
  const std::string& bytes_;
  std::size_t offset_ = 0;
};

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

struct NewCase {
  sdk::Consignment consignment;
  std::string location;
};


// Plans of a message on cases an agency changed meanwhile are made again at most this often.
constexpr int kStaleAttempts = 8;

}  // namespace

std::string mediaType(const std::string& contentType) {
  std::string type = contentType.substr(0, contentType.find(';'));
  type.erase(std::remove_if(type.begin(), type.end(), [](unsigned char c) { return std::isspace(c); }), type.end());
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  return type;
}

FilingService::FilingService(journal::Journal& journal, metrics::HubMetrics& metrics,
                             const std::map<std::string, std::unique_ptr<PartnerRuntime>>& partners,
                             const sdk::PartnerPlugin* canonical, const release::Coordinator& coordinator,
                             const security::ReceiptSigner& signer)
    : journal_(journal),
      metrics_(metrics),
      partners_(partners),
      canonical_(canonical),
      coordinator_(coordinator),
      signer_(signer) {
  if (canonical_) canonicalTypes_ = canonical_->contentTypes();
}

const PartnerRuntime* FilingService::partner(const std::string& id) const {
  auto it = partners_.find(id);
  return it == partners_.end() ? nullptr : it->second.get();
}

const sdk::PartnerPlugin* FilingService::decoderFor(const PartnerRuntime& partner, const std::string& type) const {
  if (std::find(partner.contentTypes.begin(), partner.contentTypes.end(), type) != partner.contentTypes.end()) {
    return partner.instance->plugin.get();
  }
  if (std::find(canonicalTypes_.begin(), canonicalTypes_.end(), type) != canonicalTypes_.end()) return canonical_;
  return nullptr;
}

HttpResult FilingService::unsupportedType(const PartnerRuntime& partner, const std::string& type) const {
  // The partner's own types, then the canonical ones it does not list already (a partner whose
  // plugin is `canonical` would otherwise see each type twice).
  std::vector<std::string> accepted = partner.contentTypes;
  for (const auto& type : canonicalTypes_) {
    if (std::find(accepted.begin(), accepted.end(), type) == accepted.end()) accepted.push_back(type);
  }
  metrics_.filingsRejected.increment(partner.config.id);
  return problem(415, "unsupported-media-type", "Unsupported Media Type",
                 "partner '" + partner.config.id + "' cannot file '" + (type.empty() ? "(none)" : type) +
                     "'; accepted: " + joined(accepted),
                 {{"Content-Type", "'" + type + "' is not accepted"}});
}

std::optional<HttpResult> FilingService::unavailableType(const PartnerRuntime& partner,
                                                         const sdk::PartnerPlugin* decoder,
                                                         const std::string& type) const {
  const auto& off = partner.availability.unavailable_types;
  if (decoder != partner.instance->plugin.get() || std::find(off.begin(), off.end(), type) == off.end()) {
    return std::nullopt;
  }
  // Until an operator provides what is missing: no Retry-After, nothing journaled.
  metrics_.filingsRejected.increment(partner.config.id);
  return problem(503, "format-unavailable", "Service Unavailable",
                 "partner '" + partner.config.id + "' cannot file '" + type + "' on this hub now; nothing was filed",
                 {{"Content-Type", partner.availability.reason}});
}

std::optional<journal::CaseRecord> FilingService::followUpTarget(const std::string& partnerId,
                                                                 const sdk::Consignment& filing,
                                                                 std::string& error) const {
  std::optional<journal::CaseRecord> target;
  if (!filing.case_id.empty()) {
    target = journal_.getCase(filing.case_id);
    if (target && target->partner != partnerId) target.reset();  // never widen the caller's scope
  } else {
    auto found = journal_.findCases(partnerId, filing.reference);
    if (!found.empty()) target = found.back();
  }
  if (!target) {
    error = "no case of partner '" + partnerId + "' with " +
            (filing.case_id.empty() ? "reference '" + filing.reference + "'" : "case id '" + filing.case_id + "'") +
            " for this " + std::string(sdk::toString(filing.filing));
  }
  return target;
}

FilingOutcome FilingService::storedAnswer(const journal::MessageRecord& summary) const {
  const std::int64_t size = journal_.messagePartSize(summary.id, journal::MessagePart::Response);
  FilingOutcome outcome;
  outcome.result = json(summary.http_status, "");
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
  std::string& body = outcome.result.body;
  char buffer[65536];
  while (const std::size_t n = journal_.readMessagePart(summary.id, journal::MessagePart::Response,
                                                        static_cast<std::int64_t>(body.size()), buffer, sizeof buffer)) {
    body.append(buffer, n);
  }
  return outcome;
}

HttpResult FilingService::reject(const PartnerRuntime& partner, const std::string& contentType,
                                 const std::string& body, const std::string& digest,
                                 const std::string& idempotencyKey, HttpResult response) const {
  metrics_.filingsRejected.increment(partner.config.id);
  // A rejected message is journaled too (the trace shows what came in), but its key is not
  // reserved: the partner may correct the message and send it again under the same key.
  journal::WriteBatch batch;
  batch.message = journal::MessageRecord{common::newId("M-"), partner.config.id, contentType, "", digest, common::nowRfc3339(),
                                         body, "rejected", response.body, response.status};
  journal_.commit(std::move(batch));
  return response;
}

std::optional<journal::CaseRecord> FilingService::caseForEvent(const sdk::HubEvent& event, sdk::Errors& errors) const {
  // A payment provider pays for other partners' cases: by the hub's case id, or by a reference
  // that must name exactly one case among all partners.
  if (!event.case_id.empty()) {
    if (auto record = journal_.getCase(event.case_id)) return record;
    errors.push_back({"/case_id", "no case '" + event.case_id + "'"});
    return std::nullopt;
  }
  std::vector<journal::CaseRecord> found;
  for (const auto& [id, _] : partners_) {
    for (auto& record : journal_.findCases(id, event.reference)) found.push_back(std::move(record));
  }
  if (found.size() == 1) return found.front();
  errors.push_back({"/reference", found.empty() ? "no case with reference '" + event.reference + "'"
                                                : "reference '" + event.reference + "' names " +
                                                      std::to_string(found.size()) + " cases: give the case_id"});
  return std::nullopt;
}

HttpResult FilingService::file(const std::string& partnerId, const std::string& contentType,
                               const std::string& body, const std::string& idempotencyKey,
                               const std::vector<std::pair<std::string, std::string>>& headers) const {
  const PartnerRuntime* partner = this->partner(partnerId);
  if (partner == nullptr) {
    return problem(403, "not-a-partner", "Forbidden", "only a partner may file messages");
  }
  const std::string type = mediaType(contentType);
  const sdk::PartnerPlugin* decoder = decoderFor(*partner, type);
  if (decoder == nullptr) return unsupportedType(*partner, type);

  const std::string digest = "sha256:" + common::sha256Hex(body);
  if (!idempotencyKey.empty()) {
    // The summary only: an earlier message may be a large one, its body and receipt not for memory.
    if (auto previous = journal_.findMessageSummary(partnerId, idempotencyKey)) {
      if (previous->digest == digest) {
        FilingOutcome stored = storedAnswer(*previous);
        if (!stored.stream) return stored.result;
        // A large receipt for a small body cannot be: read it whole all the same.
        std::string whole(static_cast<std::size_t>(stored.stream->size), '\0');
        std::size_t at = 0;
        while (at < whole.size()) {
          const std::size_t n = stored.stream->read(whole.data() + at, whole.size() - at);
          if (n == 0) break;
          at += n;
        }
        whole.resize(at);
        return json(previous->http_status, std::move(whole));
      }
      return problem(409, "idempotency-conflict", "Conflict",
                     "Idempotency-Key '" + idempotencyKey + "' was already used with another body (message " +
                         previous->id + ")");
    }
  }

  // A repeated message still gets its stored answer above; a new one waits for its format.
  if (auto unavailable = unavailableType(*partner, decoder, type)) return *unavailable;

  // Decode every filing before anything is written: a message is filed whole or not at all.
  StringSource source(body);
  const sdk::MessageContext context{partnerId, type, headers, common::nowRfc3339()};
  auto filings = decoder->open(context, source);
  sdk::Errors errors;
  // on_error: accept-valid sets a bad filing aside (listed in the receipt) instead of failing all.
  const bool acceptValid = partner->config.accept_valid;
  RejectedFilings rejected;
  auto refuse = [&](const std::string& location, sdk::Errors found) {
    if (acceptValid) {
      rejected.add(location, std::move(found));
    } else {
      errors.insert(errors.end(), found.begin(), found.end());
    }
  };
  std::vector<NewCase> newCases;
  std::vector<FollowUp> followUps;
  std::vector<EventFor> events;
  if (!filings) errors.push_back({"", "the partner plugin could not open the message"});
  while (filings) {
    auto next = filings->next();
    if (!next) break;
    if (auto* e = std::get_if<sdk::Errors>(&*next)) {
      refuse(e->empty() ? std::string() : e->front().path, std::move(*e));
    } else if (auto* f = std::get_if<sdk::DecodedFiling>(&*next)) {
      f->consignment.partner = partnerId;
      if (sdk::concernsExistingCase(f->consignment.filing)) {
        std::string error;
        auto target = followUpTarget(partnerId, f->consignment, error);
        if (!target) {
          refuse(f->location, {{f->location, error}});
        } else {
          followUps.push_back({std::move(f->consignment), std::move(*target), f->location});
        }
      } else {
        const bool repeatedHere = std::any_of(newCases.begin(), newCases.end(), [&](const NewCase& n) {
          return n.consignment.reference == f->consignment.reference;
        });
        if (repeatedHere || !journal_.findCases(partnerId, f->consignment.reference).empty()) {
          refuse(f->location, {{f->location, referenceTakenMessage(partnerId, f->consignment.reference)}});
          if (acceptValid) continue;
        }
        newCases.push_back({std::move(f->consignment), std::move(f->location)});
      }
    } else if (auto* event = std::get_if<sdk::HubEvent>(&*next)) {
      const std::string location = "/transaction_id";
      auto target = caseForEvent(*event, errors);
      if (!target) continue;
      // A transaction is applied once, whatever the message that carries it.
      if (auto seen = journal_.findMessage(partnerId, "txn:" + event->transaction_id)) {
        return reject(*partner, type, body, digest, idempotencyKey,
                      problem(409, "duplicate-transaction", "Conflict",
                              "transaction '" + event->transaction_id + "' was already processed (message " +
                                  seen->id + ")",
                              {{location, "transaction '" + event->transaction_id + "' already processed"}}));
      }
      events.push_back({*event, std::move(*target), location});
    }
  }
  if (errors.empty() && newCases.empty() && followUps.empty() && events.empty()) {
    if (rejected.count() > 0) {
      errors = rejected.errors();
      errors.push_back({"", "every filing of the message was rejected"});
    } else {
      errors.push_back({"", "the message holds no filing"});
    }
  }
  if (events.size() > 1) errors.push_back({"", "a message carries one payment or refund event at most"});
  if (!errors.empty()) {
    return reject(*partner, type, body, digest, idempotencyKey,
                  problem(400, "invalid-filing", "Bad Request",
                          std::to_string(errors.size()) + " error(s) in the message; nothing was filed", errors));
  }

  const std::string messageId = common::newId("M-");
  const std::string now = common::nowRfc3339();
  const std::string actor = "partner:" + partnerId;
  for (auto& filing : newCases) filing.consignment.case_id = common::newId("C-");
  const RejectedFilings rejectedWhenDecoded = rejected;
  // A follow-up or an event is planned on the case as read; when an agency (customs deciding in
  // process) changed that case before the commit, the journal refuses the batch as stale: read
  // the cases again and plan again, a few times, rather than refuse the partner.
  for (int attempt = 1;; ++attempt) {
    rejected = rejectedWhenDecoded;
    journal::WriteBatch batch;
    Poco::JSON::Array receiptCases;
    std::vector<std::string> caseIds;
    auto addReceiptCase = [&](const std::string& caseId, const std::string& reference, const std::string& state) {
      caseIds.push_back(caseId);
      Poco::JSON::Object c(Poco::JSON_PRESERVE_KEY_ORDER);
      c.set("case_id", caseId);
      c.set("reference", reference);
      c.set("state", state);
      receiptCases.add(c);
    };
    for (auto& filing : newCases) {
      auto& c = filing.consignment;
      addReceiptCase(c.case_id, c.reference, coordinator_.planNewCase(batch, c, messageId, actor, now));
    }
    for (auto& followUp : followUps) {
      auto planned = coordinator_.planFollowUp(batch, followUp.target, followUp.consignment, messageId, actor, now,
                                               followUp.location);
      if (!planned.ok()) {
        refuse(followUp.location, planned.errors());
        continue;
      }
      addReceiptCase(followUp.target.id, followUp.target.reference, planned.value());
    }
    for (auto& e : events) {
      auto planned = coordinator_.planEvent(batch, e.target, e.event, messageId, actor, now, e.location);
      if (!planned.ok()) {
        errors.insert(errors.end(), planned.errors().begin(), planned.errors().end());
        continue;
      }
      addReceiptCase(e.target.id, e.target.reference, planned.value());
    }
    if (!errors.empty()) {
      return reject(*partner, type, body, digest, idempotencyKey,
                    problem(400, "invalid-filing", "Bad Request",
                            std::to_string(errors.size()) + " error(s) in the message; nothing was filed", errors));
    }
    Poco::JSON::Object receipt(Poco::JSON_PRESERVE_KEY_ORDER);
    receipt.set("message_id", messageId);
    receipt.set("received_at", now);
    receipt.set("digest", digest);
    receipt.set("cases", receiptCases);
    std::string receiptJson = stringify(receipt);
    // Signed before the commit and journaled with the receipt: a replay answers the same signature.
    const std::string signedText = security::filingReceiptText(messageId, partnerId, digest, now, caseIds);
    receiptJson.insert(receiptJson.size() - 1, security::signatureFields(signedText, signer_));
    if (rejected.count() > 0) receiptJson.insert(receiptJson.size() - 1, rejected.receiptFields());
    // An event's transaction id is its idempotency key: the journal refuses it twice, also under a race.
    const std::string key = events.empty() ? idempotencyKey : "txn:" + events.front().event.transaction_id;
    batch.message =
        journal::MessageRecord{messageId, partnerId, type, key, digest, now, body, "accepted", receiptJson, 202};

    auto result = journal_.commit(std::move(batch));
    if (result.status == journal::CommitResult::Status::Stale && attempt < kStaleAttempts) {
      for (auto& followUp : followUps) {
        if (auto fresh = journal_.getCase(followUp.target.id)) followUp.target = std::move(*fresh);
      }
      for (auto& e : events) {
        if (auto fresh = journal_.getCase(e.target.id)) e.target = std::move(*fresh);
      }
      continue;
    }
    switch (result.status) {
      case journal::CommitResult::Status::Committed:
        metrics_.filingsAccepted.increment(partnerId, newCases.size() + followUps.size());
        if (rejected.count() > 0) metrics_.filingsRejected.increment(partnerId, rejected.count());
        return json(202, receiptJson);
      case journal::CommitResult::Status::Duplicate:
        if (!events.empty()) break;
        return json(result.existing->http_status, result.existing->response);
      case journal::CommitResult::Status::Conflict:
        if (!events.empty()) break;
        return problem(409, "idempotency-conflict", "Conflict",
                       "Idempotency-Key '" + idempotencyKey + "' was already used with another body");
      case journal::CommitResult::Status::Stale:
        return problem(409, "case-changed", "Conflict", "the case changed while the message was filed; send it again");
      case journal::CommitResult::Status::ReferenceTaken: {
        // Another message filed the reference between the check above and this commit: the same
        // answer as when it came first, for every reference the journal refused.
        sdk::Errors taken;
        for (const auto& reference : result.taken_references) {
          auto filing = std::find_if(newCases.begin(), newCases.end(),
                                     [&](const NewCase& n) { return n.consignment.reference == reference; });
          const std::string location = filing == newCases.end() ? std::string() : filing->location;
          taken.push_back({location, referenceTakenMessage(partnerId, reference)});
        }
        return reject(*partner, type, body, digest, idempotencyKey,
                      problem(400, "invalid-filing", "Bad Request",
                              std::to_string(taken.size()) + " error(s) in the message; nothing was filed", taken));
      }
      case journal::CommitResult::Status::Invalid:
        return problem(500, "journal-refused", "Internal Server Error",
                       "the journal refused the filing: " + result.error);
      case journal::CommitResult::Status::Unavailable:
        break;
    }
    if (result.status != journal::CommitResult::Status::Unavailable) {
      return problem(409, "duplicate-transaction", "Conflict",
                     "transaction '" + events.front().event.transaction_id + "' was already processed");
    }
    HttpResult unavailable = problem(503, "journal-unavailable", "Service Unavailable",
                                     "the journal cannot write; nothing was filed: " + result.error);
    unavailable.headers.push_back({"Retry-After", "30"});
    return unavailable;
  }
}

}  // namespace swhub::api
