// FilingService::fileSpooled: a message too large for memory (an express manifest of 200,000
// house waybills). One decoding pass over the spooled body; new cases are planned in chunks and
// staged in the journal, invisible until one final transaction makes the message, its cases,
// events and outbox items visible together. The receipt is written into a spool file as the
// cases are planned and streamed back. What stays in memory: one chunk of planned cases, the
// listed errors (capped), the follow-ups and events of the message (few in a manifest), and the
// partner plugin's own decoder state.

#include <cstdio>
#include <memory>
#include <set>

#include "api/filing_service.hpp"
#include "api/filing_support.hpp"
#include "common/ids.hpp"
#include "security/receipt_text.hpp"

namespace swhub::api {
namespace {

constexpr std::size_t kStageChunk = 256;           // new cases per staged transaction
constexpr std::size_t kBodyChunk = 1 << 20;        // bytes of the body per journal write

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

HttpResult journalFailure(const journal::CommitResult& result) {
  if (result.status == journal::CommitResult::Status::Unavailable) {
    HttpResult unavailable = problem(503, "journal-unavailable", "Service Unavailable",
                                     "the journal cannot write; nothing was filed: " + result.error);
    unavailable.headers.push_back({"Retry-After", "30"});
    return unavailable;
  }
  return problem(500, "journal-refused", "Internal Server Error", "the journal refused the filing: " + result.error);
}

bool committed(const journal::CommitResult& result) {
  return result.status == journal::CommitResult::Status::Committed;
}

FilingOutcome answer(HttpResult result) { return FilingOutcome{std::move(result), std::nullopt}; }

}  // namespace

FilingOutcome FilingService::rejectStaged(const journal::MessageRecord& staging, HttpResult response) const {
  metrics_.filingsRejected.increment(staging.partner);
  // As reject(): journaled with its body for the trace; its key stays free for a corrected message.
  journal::MessageRecord rejected = staging;
  rejected.status = "rejected";
  rejected.response = response.body;
  rejected.http_status = response.status;
  if (!committed(journal_.finishStaged(rejected, {}, {}))) journal_.abortStaged(staging.id);
  return answer(std::move(response));
}

FilingOutcome FilingService::fileSpooled(const std::string& partnerId, const std::string& contentType,
                                         const ReceivedBody& body, const std::string& idempotencyKey,
                                         const std::vector<std::pair<std::string, std::string>>& headers,
                                         const std::filesystem::path& spool) const {
  const PartnerRuntime* partner = this->partner(partnerId);
  if (partner == nullptr) return answer(problem(403, "not-a-partner", "Forbidden", "only a partner may file messages"));
  if (!body.file) return answer(problem(500, "internal-error", "Internal Server Error", "the body was not spooled"));
  const std::string type = mediaType(contentType);
  const sdk::PartnerPlugin* decoder = decoderFor(*partner, type);
  if (decoder == nullptr) return answer(unsupportedType(*partner, type));

  const std::string& digest = body.digest;
  if (!idempotencyKey.empty()) {
    if (auto previous = journal_.findMessageSummary(partnerId, idempotencyKey)) {
      if (previous->digest == digest) return storedAnswer(*previous);
      return answer(problem(409, "idempotency-conflict", "Conflict",
                            "Idempotency-Key '" + idempotencyKey + "' was already used with another body (message " +
                                previous->id + ")"));
    }
  }
  if (auto unavailable = unavailableType(*partner, decoder, type)) return answer(std::move(*unavailable));

  // 1. The message row first, its raw bytes copied in from the spool file piece by piece.
  const std::string messageId = common::newId("M-");
  const std::string now = common::nowRfc3339();
  const std::string actor = "partner:" + partnerId;
  const journal::MessageRecord staging{messageId, partnerId, type, "", digest, now, "", "staging", "", 0};
  if (auto begun = journal_.beginStaged(staging, body.size); !committed(begun)) return answer(journalFailure(begun));
  {
    FileSource raw(body.file->path());
    std::string chunk(kBodyChunk, '\0');
    std::int64_t offset = 0;
    while (offset < body.size) {
      const std::size_t n = raw.read(chunk.data(), chunk.size());
      if (n == 0) break;
      auto written = journal_.writeStagedBody(messageId, offset, std::string(chunk.data(), n));
      if (!committed(written)) {
        journal_.abortStaged(messageId);
        return answer(journalFailure(written));
      }
      offset += static_cast<std::int64_t>(n);
    }
    if (offset != body.size) {
      journal_.abortStaged(messageId);
      return answer(problem(500, "internal-error", "Internal Server Error", "the spooled body could not be read back"));
    }
  }

  // 2. The receipt, written as the cases are planned.
  auto receiptFile = std::make_shared<SpoolFile>(spoolPath(spool, ".receipt"));
  File receipt(std::fopen(receiptFile->path().c_str(), "wb"));
  if (!receipt) {
    journal_.abortStaged(messageId);
    return answer(problem(503, "spool-unavailable", "Service Unavailable",
                          "cannot write the receipt file " + receiptFile->path().string()));
  }
  std::fputs(("{\"message_id\":" + jsonQuoted(messageId) + ",\"received_at\":" + jsonQuoted(now) +
              ",\"digest\":" + jsonQuoted(digest) + ",\"cases\":[")
                 .c_str(),
             receipt.get());
  // The case ids of the signed text, in a file of their own until the cases array is closed.
  auto caseIdsFile = std::make_shared<SpoolFile>(spoolPath(spool, ".cases"));
  File caseIds(std::fopen(caseIdsFile->path().c_str(), "w+b"));
  if (!caseIds) {
    journal_.abortStaged(messageId);
    return answer(problem(503, "spool-unavailable", "Service Unavailable",
                          "cannot write the receipt file " + caseIdsFile->path().string()));
  }
  bool firstCase = true;
  auto addReceiptCase = [&](const std::string& caseId, const std::string& reference, const std::string& state) {
    if (!firstCase) std::fputc(',', receipt.get());
    if (!firstCase) std::fputc(',', caseIds.get());
    firstCase = false;
    std::fputs(receiptCase(caseId, reference, state).c_str(), receipt.get());
    std::fputs(caseId.c_str(), caseIds.get());
  };

  // 3. One decoding pass: new cases planned and staged in chunks; errors collected (capped).
  const bool acceptValid = partner->config.accept_valid;
  ErrorList errors;
  RejectedFilings rejected;
  auto refuse = [&](const std::string& location, const sdk::Errors& found) {
    if (acceptValid) {
      rejected.add(location, found);
    } else {
      errors.addAll(found);
    }
  };
  journal::WriteBatch chunk;
  std::set<std::string> chunkReferences;  // the unstaged chunk's; staged ones are asked of the journal
  std::size_t filed = 0;
  std::vector<FollowUp> followUps;
  std::vector<EventFor> events;
  std::optional<journal::CommitResult> stageFailure;
  auto stageChunk = [&] {
    if (chunk.new_cases.empty() && chunk.events.empty() && chunk.outbox.empty()) return;
    auto staged = journal_.stage(messageId, std::move(chunk));
    chunk = journal::WriteBatch{};
    chunkReferences.clear();
    if (!committed(staged)) stageFailure = staged;
  };

  FileSource input(body.file->path());
  const sdk::MessageContext context{partnerId, type, headers, now};
  auto filings = decoder->open(context, input);
  if (!filings) errors.add({"", "the partner plugin could not open the message"});
  while (filings && !stageFailure) {
    auto next = filings->next();
    if (!next) break;
    if (auto* e = std::get_if<sdk::Errors>(&*next)) {
      refuse(e->empty() ? std::string() : e->front().path, *e);
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
        continue;
      }
      const std::string& reference = f->consignment.reference;
      if (chunkReferences.count(reference) > 0 || journal_.referenceTaken(partnerId, reference, messageId)) {
        refuse(f->location, {{f->location, referenceTakenMessage(partnerId, reference)}});
        continue;
      }
      // Once a reject-all message has an error nothing of it will be filed: only check the rest.
      if (!acceptValid && !errors.empty()) continue;
      f->consignment.case_id = common::newId("C-");
      const std::string state = coordinator_.planNewCase(chunk, f->consignment, messageId, actor, now);
      addReceiptCase(f->consignment.case_id, reference, state);
      chunkReferences.insert(reference);
      ++filed;
      if (chunk.new_cases.size() >= kStageChunk) stageChunk();
    } else if (auto* event = std::get_if<sdk::HubEvent>(&*next)) {
      const std::string location = "/transaction_id";
      sdk::Errors found;
      auto target = caseForEvent(*event, found);
      if (!target) {
        errors.addAll(found);
        continue;
      }
      if (auto seen = journal_.findMessageSummary(partnerId, "txn:" + event->transaction_id)) {
        return rejectStaged(staging, problem(409, "duplicate-transaction", "Conflict",
                                             "transaction '" + event->transaction_id +
                                                 "' was already processed (message " + seen->id + ")",
                                             {{location, "transaction '" + event->transaction_id +
                                                             "' already processed"}}));
      }
      events.push_back({*event, std::move(*target), location});
    }
  }
  filings.reset();
  if (!stageFailure && (acceptValid || errors.empty())) stageChunk();
  if (stageFailure) {
    journal_.abortStaged(messageId);
    return answer(journalFailure(*stageFailure));
  }
  if (errors.empty() && filed == 0 && followUps.empty() && events.empty()) {
    if (rejected.count() > 0) {
      errors.addAll(rejected.errors());
      errors.add({"", "every filing of the message was rejected"});
    } else {
      errors.add({"", "the message holds no filing"});
    }
  }
  if (events.size() > 1) errors.add({"", "a message carries one payment or refund event at most"});
  auto invalid = [&] {
    return problem(400, "invalid-filing", "Bad Request",
                   std::to_string(errors.count()) + " error(s) in the message; nothing was filed", errors.listed());
  };
  if (!errors.empty()) return rejectStaged(staging, invalid());

  // 4. Follow-ups and events change existing cases: planned into the final transaction.
  journal::WriteBatch last;
  std::size_t followedUp = 0;
  for (auto& followUp : followUps) {
    auto planned = coordinator_.planFollowUp(last, followUp.target, followUp.consignment, messageId, actor, now,
                                             followUp.location);
    if (!planned.ok()) {
      refuse(followUp.location, planned.errors());
      continue;
    }
    addReceiptCase(followUp.target.id, followUp.target.reference, planned.value());
    ++followedUp;
  }
  for (auto& e : events) {
    auto planned = coordinator_.planEvent(last, e.target, e.event, messageId, actor, now, e.location);
    if (!planned.ok()) {
      errors.addAll(planned.errors());
      continue;
    }
    addReceiptCase(e.target.id, e.target.reference, planned.value());
  }
  if (!errors.empty()) return rejectStaged(staging, invalid());
  std::fputs("]", receipt.get());
  {
    // The signed text (security/receipt_text.hpp) after the cases, signed as it is copied in: its
    // case ids need no JSON escaping, and an ECDSA key hashes them without holding them.
    const std::string head = security::filingReceiptHead(messageId, partnerId, digest, now);
    auto signature = signer_.stream();
    signature.update(head);
    std::fputs((",\"signed\":\"" + security::jsonEscaped(head)).c_str(), receipt.get());
    std::fflush(caseIds.get());
    std::rewind(caseIds.get());
    std::string piece(65536, '\0');
    while (const std::size_t n = std::fread(piece.data(), 1, piece.size(), caseIds.get())) {
      signature.update(std::string_view(piece.data(), n));
      std::fwrite(piece.data(), 1, n, receipt.get());
    }
    signature.update("\n");
    std::fputs(("\\n" + security::signatureTail(signature.finish(), signer_)).c_str(), receipt.get());
  }
  caseIds.reset();
  std::fputs((rejected.receiptFields() + "}").c_str(), receipt.get());
  if (std::fflush(receipt.get()) != 0) {
    journal_.abortStaged(messageId);
    return answer(problem(503, "spool-unavailable", "Service Unavailable",
                          "cannot write the receipt file " + receiptFile->path().string()));
  }
  const auto receiptSize = static_cast<std::int64_t>(std::ftell(receipt.get()));
  receipt.reset();

  // 5. One transaction makes it all visible; only then the 202.
  const std::string key = events.empty() ? idempotencyKey : "txn:" + events.front().event.transaction_id;
  journal::MessageRecord accepted = staging;
  accepted.idempotency_key = key;
  accepted.status = "accepted";
  accepted.http_status = 202;
  auto source = std::make_shared<FileSource>(receiptFile->path());
  journal::BlobSource response{receiptSize, [source](char* buffer, std::size_t capacity) {
                                 return source->read(buffer, capacity);
                               }};
  auto result = journal_.finishStaged(accepted, std::move(response), std::move(last));
  source.reset();
  using Status = journal::CommitResult::Status;
  if (result.status == Status::Committed) {
    metrics_.filingsAccepted.increment(partnerId, filed + followedUp);
    if (rejected.count() > 0) metrics_.filingsRejected.increment(partnerId, rejected.count());
    FilingOutcome outcome;
    outcome.result = json(202, "");
    auto sent = std::make_shared<FileSource>(receiptFile->path());
    outcome.stream = StreamedBody{receiptSize, [sent, receiptFile](char* buffer, std::size_t capacity) {
                                    return sent->read(buffer, capacity);
                                  }};
    return outcome;
  }
  if (result.status == Status::ReferenceTaken) {
    // Another message filed a reference of this one while it was staged: the answer a sequential
    // duplicate gets (the staged cases do not keep their place in the message: no path).
    ErrorList taken;
    for (const auto& reference : result.taken_references) taken.add({"", referenceTakenMessage(partnerId, reference)});
    return rejectStaged(staging, problem(400, "invalid-filing", "Bad Request",
                                         std::to_string(taken.count()) + " error(s) in the message; nothing was filed",
                                         taken.listed()));
  }
  journal_.abortStaged(messageId);
  switch (result.status) {
    case Status::Duplicate:
      if (events.empty() && result.existing) return storedAnswer(*result.existing);
      return answer(problem(409, "duplicate-transaction", "Conflict",
                            "transaction '" + events.front().event.transaction_id + "' was already processed"));
    case Status::Conflict:
      if (!events.empty()) {
        return answer(problem(409, "duplicate-transaction", "Conflict",
                              "transaction '" + events.front().event.transaction_id + "' was already processed"));
      }
      return answer(problem(409, "idempotency-conflict", "Conflict",
                            "Idempotency-Key '" + idempotencyKey + "' was already used with another body"));
    case Status::Stale:
      return answer(problem(409, "case-changed", "Conflict", "the case changed while the message was filed; send it again"));
    default:
      return answer(journalFailure(result));
  }
}

}  // namespace swhub::api
