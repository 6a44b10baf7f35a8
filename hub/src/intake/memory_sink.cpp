// The in-memory sink: a small message's new cases kept in one batch and committed with the
// message, its follow-ups and events, and its receipt in one transaction.

#include <map>

#include "intake/filing_sink.hpp"

namespace swhub::intake {
namespace {

template <class T>
void append(std::vector<T>& to, std::vector<T>&& from) {
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}

class MemorySink : public FilingSink {
 public:
  MemorySink(journal::Journal& journal, const security::ReceiptSigner& signer, SinkMessage message,
             const std::string& body)
      : journal_(journal),
        message_(std::move(message)),
        body_(body),
        receipt_({message_.id, message_.partner, message_.digest, message_.receivedAt}, signer) {}

  std::optional<Outcome> open() override { return std::nullopt; }
  std::string stagingId() const override { return ""; }
  bool holds(const std::string& reference) const override { return locations_.count(reference) > 0; }
  journal::WriteBatch& batch() override { return batch_; }
  void add(const ReceiptCase& entry, const std::string& location) override {
    receipt_.add(entry);
    locations_.emplace(entry.reference, location);
  }
  std::optional<journal::CommitResult> failure() const override { return std::nullopt; }
  void flush() override {}
  std::string locationOf(const std::string& reference) const override {
    auto it = locations_.find(reference);
    return it == locations_.end() ? std::string() : it->second;
  }

  void reject(const Rendered& answer) override {
    journal::WriteBatch batch;
    batch.message = record("", journal::MessageStatus::Rejected, answer.body, answer.status);
    journal_.commit(std::move(batch));
  }

  std::optional<journal::CommitResult> commit(journal::WriteBatch last, const std::vector<ReceiptCase>& lastCases,
                                              const std::string& rejectedFields, const std::string& key,
                                              Outcome& accepted) override {
    auto receipt = receipt_.finish(lastCases, rejectedFields);
    if (!receipt) return std::nullopt;
    // The new cases stay planned as they are for a commit made again (only `last` is planned again).
    journal::WriteBatch batch = batch_;
    append(batch.case_updates, std::move(last.case_updates));
    append(batch.events, std::move(last.events));
    append(batch.outbox, std::move(last.outbox));
    append(batch.new_cases, std::move(last.new_cases));
    append(batch.licence_changes, std::move(last.licence_changes));  // what a follow-up gives back
    append(batch.declaration_links, std::move(last.declaration_links));
    batch.message = record(key, journal::MessageStatus::Accepted, receipt->bytes, 202);
    auto result = journal_.commit(std::move(batch));
    if (result.status == journal::CommitResult::Status::Committed) accepted.body = std::move(receipt->bytes);
    return result;
  }
  void abort() override {}

 private:
  journal::MessageRecord record(const std::string& key, journal::MessageStatus status, const std::string& response,
                                int httpStatus) const {
    return journal::MessageRecord{message_.id, message_.partner, message_.type, key, message_.digest,
                                  message_.receivedAt, body_, status, response, httpStatus};
  }

  journal::Journal& journal_;
  SinkMessage message_;
  const std::string& body_;
  ReceiptWriter receipt_;
  journal::WriteBatch batch_;
  std::map<std::string, std::string> locations_;  // reference -> where in the message
};

}  // namespace

std::unique_ptr<FilingSink> memorySink(journal::Journal& journal, const security::ReceiptSigner& signer,
                                       SinkMessage message, const std::string& body) {
  return std::make_unique<MemorySink>(journal, signer, std::move(message), body);
}

}  // namespace swhub::intake
