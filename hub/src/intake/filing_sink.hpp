#pragma once
// Where the intake pipeline hands a message's filings: the pipeline decodes, looks cases up and
// plans them; a sink keeps what was planned and writes it to the journal. The in-memory sink
// commits everything in one batch (a small message); the staged sink writes the raw body and the
// new cases in chunks that stay invisible until one final transaction (a large message, whose
// memory must not grow with it). Both answer the same outcomes.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "intake/outcome.hpp"
#include "intake/receipt_writer.hpp"
#include "journal/journal.hpp"

namespace swhub::intake {

// The message as the journal records it.
struct SinkMessage {
  std::string id;
  std::string partner;
  std::string type;  // media type
  std::string digest;
  common::Instant receivedAt;
};

class FilingSink {
 public:
  virtual ~FilingSink() = default;

  // Before decoding: nullopt when the sink is ready, else why nothing can be filed.
  virtual std::optional<Outcome> open() = 0;
  // The staging message whose staged cases count as filed references ("" when none).
  virtual std::string stagingId() const = 0;
  // True when a new case of this message that the journal does not show yet has `reference`.
  virtual bool holds(const std::string& reference) const = 0;
  // A new case is planned into batch(), then handed over with add(); a sink may write a chunk.
  virtual journal::WriteBatch& batch() = 0;
  virtual void add(const ReceiptCase& entry, const std::string& location) = 0;
  // Set once a chunk could not be written: nothing of the message can be filed.
  virtual std::optional<journal::CommitResult> failure() const = 0;
  // Everything decoded was handed over (the last chunk is written).
  virtual void flush() = 0;
  // Where a new case with `reference` was in the message ("" when the sink does not keep it).
  virtual std::string locationOf(const std::string& reference) const = 0;

  // The message refused with `answer`: journaled for the trace with its body, its key left free
  // so that a corrected message may use it; nothing it planned stays.
  virtual void reject(const Rendered& answer) = 0;
  // The one commit that makes the message, its new cases, `last` (follow-ups and events) and the
  // receipt visible together; may be called again after Stale. On Committed, `accepted` holds the
  // receipt. nullopt: the receipt could not be written.
  virtual std::optional<journal::CommitResult> commit(journal::WriteBatch last, const std::vector<ReceiptCase>& lastCases,
                                                      const std::string& rejectedFields, const std::string& key,
                                                      Outcome& accepted) = 0;
  // After a commit that will not be retried: whatever is staged goes.
  virtual void abort() = 0;
};

// A message held in memory: one batch, one commit.
std::unique_ptr<FilingSink> memorySink(journal::Journal& journal, const security::ReceiptSigner& signer,
                                       SinkMessage message, const std::string& body);

// A message spooled to `bodyFile` (`bodySize` bytes): its body and its new cases staged in chunks
// of `chunk` cases; the receipt written to spool files in `spool`.
std::unique_ptr<FilingSink> stagedSink(journal::Journal& journal, const security::ReceiptSigner& signer,
                                       SinkMessage message, std::filesystem::path bodyFile, std::int64_t bodySize,
                                       std::filesystem::path spool, std::size_t chunk = 256);

}  // namespace swhub::intake
