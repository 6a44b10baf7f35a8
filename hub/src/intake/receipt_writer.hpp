#pragma once
// A filing's receipt, written as its cases are planned: {"message_id", "received_at", "digest",
// "cases": [{case_id, reference, state}], "signed", "signature", "signature_alg"} and, for an
// accept-valid partner that had filings refused, "rejected" and "rejected_count". The signed text
// is security/receipt_text.hpp's. In memory for a small message; in spool files for a large one,
// so that 200,000 cases are never held whole.

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/case_state.hpp"
#include "common/instant.hpp"
#include "intake/spool_file.hpp"
#include "security/receipt_signer.hpp"

namespace swhub::intake {

struct ReceiptCase {
  std::string caseId;
  std::string reference;
  common::CaseState state = common::CaseState::Accepted;
};

// A finished receipt: its bytes, or the spool file that holds them.
struct Receipt {
  std::string bytes;
  std::shared_ptr<SpoolFile> file;
  std::int64_t size = 0;
};

class ReceiptWriter {
 public:
  struct Head {
    std::string messageId;
    std::string partner;
    std::string digest;
    common::Instant receivedAt;
  };
  // `spool` empty: in memory; else the receipt's parts are spool files in that folder.
  ReceiptWriter(Head head, const security::ReceiptSigner& signer, std::filesystem::path spool = {});
  ~ReceiptWriter();
  ReceiptWriter(const ReceiptWriter&) = delete;
  ReceiptWriter& operator=(const ReceiptWriter&) = delete;

  // False when a spool file cannot be created (then nothing can be written).
  bool ok() const;
  // A case as planned while the message is decoded.
  void add(const ReceiptCase& entry);
  // The whole receipt: the cases added, then `last` (follow-ups and events, planned at the end),
  // signed, then `rejectedFields`. May be called again (a commit planned again); nullopt when a
  // spool file cannot be written.
  std::optional<Receipt> finish(const std::vector<ReceiptCase>& last, const std::string& rejectedFields) const;
  // Where the receipt's parts are written (for an error message).
  std::string where() const;

 private:
  class Part;
  Head head_;
  const security::ReceiptSigner& signer_;
  std::filesystem::path spool_;
  std::unique_ptr<Part> entries_;  // {"case_id",...},{...}
  std::unique_ptr<Part> ids_;      // C-1,C-2
  std::size_t count_ = 0;
};

}  // namespace swhub::intake
