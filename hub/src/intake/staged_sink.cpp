// The staged sink: a large message (an express manifest of 200,000 house waybills). The message
// row comes first with its raw bytes copied in from the spool file piece by piece; new cases are
// staged in chunks, invisible to every reader until the one transaction that makes the message,
// its cases, follow-ups, events and outbox items visible together. A chunk is written while the
// next one is planned (each waited for the other: the journal's commit of a chunk took about as
// long as planning it). What stays in memory: two chunks of planned cases and their references.

#include <future>
#include <set>
#include <utility>

#include "intake/filing_sink.hpp"

namespace swhub::intake {
namespace {

constexpr std::size_t kBodyChunk = 1 << 20;  // bytes of the body per journal write

bool committed(const journal::CommitResult& result) { return result.status == journal::CommitResult::Status::Committed; }

class StagedSink : public FilingSink {
 public:
  StagedSink(journal::Journal& journal, const security::ReceiptSigner& signer, SinkMessage message,
             std::filesystem::path bodyFile, std::int64_t bodySize, std::filesystem::path spool, std::size_t chunk)
      : journal_(journal),
        message_(std::move(message)),
        bodyFile_(std::move(bodyFile)),
        bodySize_(bodySize),
        chunkSize_(chunk),
        receipt_({message_.id, message_.partner, message_.digest, message_.receivedAt}, signer, std::move(spool)) {}

  ~StagedSink() override {
    settleQuietly();
    if (begun_ && !finished_) journal_.abortStaged(message_.id);
  }

  std::optional<Outcome> open() override {
    if (!receipt_.ok()) {
      return Outcome::of(OutcomeKind::SpoolUnavailable, "cannot write the receipt files in " + receipt_.where());
    }
    const journal::MessageRecord staging = record("", journal::MessageStatus::Staging, "", 0);
    if (auto begun = journal_.beginStaged(staging, bodySize_); !committed(begun)) return journalFailure(begun);
    begun_ = true;
    FileSource raw(bodyFile_);
    std::string piece(kBodyChunk, '\0');
    std::int64_t offset = 0;
    while (offset < bodySize_) {
      const std::size_t n = raw.read(piece.data(), piece.size());
      if (n == 0) break;
      auto written = journal_.writeStagedBody(message_.id, offset, std::string(piece.data(), n));
      if (!committed(written)) return journalFailure(written);
      offset += static_cast<std::int64_t>(n);
    }
    if (offset != bodySize_) {
      return Outcome::of(OutcomeKind::SpoolUnavailable, "the spooled body could not be read back; nothing was filed");
    }
    return std::nullopt;
  }

  std::string stagingId() const override { return message_.id; }
  // The references of the chunk being planned and of the one being written; staged ones are the
  // journal's to answer (stagingId()).
  bool holds(const std::string& reference) const override {
    return chunkReferences_.count(reference) > 0 || writingReferences_.count(reference) > 0;
  }
  journal::WriteBatch& batch() override { return chunk_; }
  void add(const ReceiptCase& entry, const std::string&) override {
    receipt_.add(entry);
    chunkReferences_.insert(entry.reference);
    if (chunk_.new_cases.size() >= chunkSize_) stageChunk();
  }
  std::optional<journal::CommitResult> failure() const override { return failure_; }
  void flush() override {
    stageChunk();
    settle();
  }
  // The staged cases do not keep their place in the message.
  std::string locationOf(const std::string&) const override { return ""; }

  void reject(const Rendered& answer) override {
    settleQuietly();
    if (!begun_ || finished_) return;
    finished_ = true;
    if (!committed(journal_.finishStaged(record("", journal::MessageStatus::Rejected, answer.body, answer.status), {}, {}))) {
      journal_.abortStaged(message_.id);
    }
  }

  std::optional<journal::CommitResult> commit(journal::WriteBatch last, const std::vector<ReceiptCase>& lastCases,
                                              const std::string& rejectedFields, const std::string& key,
                                              Outcome& accepted) override {
    settle();
    auto receipt = receipt_.finish(lastCases, rejectedFields);
    if (!receipt) return std::nullopt;
    auto source = std::make_shared<FileSource>(receipt->file->path());
    journal::BlobSource response{receipt->size, [source](char* buffer, std::size_t capacity) {
                                   return source->read(buffer, capacity);
                                 }};
    auto result = journal_.finishStaged(record(key, journal::MessageStatus::Accepted, "", 202), std::move(response), std::move(last));
    if (committed(result)) {
      finished_ = true;
      auto sent = std::make_shared<FileSource>(receipt->file->path());
      accepted.stream = StreamedBody{receipt->size, [sent, file = receipt->file](char* buffer, std::size_t capacity) {
                                       return sent->read(buffer, capacity);
                                     }};
    }
    return result;
  }

  void abort() override {
    settleQuietly();
    if (begun_ && !finished_) journal_.abortStaged(message_.id);
    finished_ = true;
  }

 private:
  journal::MessageRecord record(const std::string& key, journal::MessageStatus status, const std::string& response,
                                int httpStatus) const {
    return journal::MessageRecord{message_.id, message_.partner, message_.type, key, message_.digest,
                                  message_.receivedAt, "", status, response, httpStatus};
  }

  // The chunk planned so far goes to the journal, on a thread of its own, once the one before it
  // is written; the next chunk is planned meanwhile.
  void stageChunk() {
    settle();
    if (failure_ || (chunk_.new_cases.empty() && chunk_.events.empty() && chunk_.outbox.empty())) return;
    writingReferences_ = std::exchange(chunkReferences_, {});
    writing_ = std::async(std::launch::async, [this, chunk = std::exchange(chunk_, {})]() mutable {
      return journal_.stage(message_.id, std::move(chunk));
    });
  }

  // Waits for the chunk being written (if any); a chunk that failed fails the message. Rethrows
  // what the journal threw.
  void settle() {
    if (!writing_.valid()) return;
    writingReferences_.clear();
    auto staged = writing_.get();
    if (!committed(staged) && !failure_) failure_ = staged;
  }
  // The same where the message is dropped anyway (what a failed chunk left goes with it).
  void settleQuietly() noexcept {
    try {
      settle();
    } catch (...) {
    }
  }

  static Outcome journalFailure(const journal::CommitResult& result) {
    if (result.status == journal::CommitResult::Status::Unavailable) {
      return Outcome::of(OutcomeKind::JournalUnavailable, "the journal cannot write; nothing was filed: " + result.error);
    }
    return Outcome::of(OutcomeKind::JournalRefused, "the journal refused the filing: " + result.error);
  }

  journal::Journal& journal_;
  SinkMessage message_;
  std::filesystem::path bodyFile_;
  std::int64_t bodySize_;
  std::size_t chunkSize_;
  ReceiptWriter receipt_;
  journal::WriteBatch chunk_;
  std::set<std::string> chunkReferences_;
  std::future<journal::CommitResult> writing_;  // the chunk being written
  std::set<std::string> writingReferences_;
  std::optional<journal::CommitResult> failure_;
  bool begun_ = false;
  bool finished_ = false;
};

}  // namespace

std::unique_ptr<FilingSink> stagedSink(journal::Journal& journal, const security::ReceiptSigner& signer,
                                       SinkMessage message, std::filesystem::path bodyFile, std::int64_t bodySize,
                                       std::filesystem::path spool, std::size_t chunk) {
  return std::make_unique<StagedSink>(journal, signer, std::move(message), std::move(bodyFile), bodySize,
                                      std::move(spool), chunk);
}

}  // namespace swhub::intake
