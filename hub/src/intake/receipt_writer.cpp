#include "intake/receipt_writer.hpp"

#include <functional>

#include "security/receipt_text.hpp"

namespace swhub::intake {

// Text appended piece by piece and read back whole: a string, or a spool file.
class ReceiptWriter::Part {
 public:
  Part() = default;
  explicit Part(std::filesystem::path path)
      : file_(std::make_unique<SpoolFile>(std::move(path))), stream_(std::fopen(file_->path().c_str(), "w+b")) {}
  ~Part() {
    if (stream_) std::fclose(stream_);
  }
  Part(const Part&) = delete;
  Part& operator=(const Part&) = delete;

  bool ok() const { return !file_ || stream_ != nullptr; }
  void append(std::string_view text) {
    if (!file_) {
      text_.append(text);
    } else if (stream_ && std::fwrite(text.data(), 1, text.size(), stream_) != text.size()) {
      failed_ = true;
    }
  }
  bool forEach(const std::function<void(std::string_view)>& out) const {
    if (!file_) {
      out(text_);
      return true;
    }
    if (!stream_ || failed_ || std::fflush(stream_) != 0 || std::fseek(stream_, 0, SEEK_SET) != 0) return false;
    std::string piece(65536, '\0');
    while (const std::size_t n = std::fread(piece.data(), 1, piece.size(), stream_)) out(std::string_view(piece.data(), n));
    const bool read = !std::ferror(stream_);
    std::fseek(stream_, 0, SEEK_END);
    return read;
  }

 private:
  std::string text_;
  std::unique_ptr<SpoolFile> file_;
  std::FILE* stream_ = nullptr;
  bool failed_ = false;
};

namespace {

std::string entryJson(const ReceiptCase& c) {
  return "{\"case_id\":" + jsonQuoted(c.caseId) + ",\"reference\":" + jsonQuoted(c.reference) +
         ",\"state\":" + jsonQuoted(std::string(toString(c.state))) + "}";
}

}  // namespace

ReceiptWriter::ReceiptWriter(Head head, const security::ReceiptSigner& signer, std::filesystem::path spool)
    : head_(std::move(head)), signer_(signer), spool_(std::move(spool)) {
  if (spool_.empty()) {
    entries_ = std::make_unique<Part>();
    ids_ = std::make_unique<Part>();
  } else {
    entries_ = std::make_unique<Part>(spoolPath(spool_, ".entries"));
    ids_ = std::make_unique<Part>(spoolPath(spool_, ".cases"));
  }
}

ReceiptWriter::~ReceiptWriter() = default;

bool ReceiptWriter::ok() const { return entries_->ok() && ids_->ok(); }

std::string ReceiptWriter::where() const { return spool_.empty() ? "memory" : spool_.string(); }

void ReceiptWriter::add(const ReceiptCase& entry) {
  const std::string comma = count_ == 0 ? "" : ",";
  entries_->append(comma + entryJson(entry));
  ids_->append(comma + entry.caseId);
  ++count_;
}

std::optional<Receipt> ReceiptWriter::finish(const std::vector<ReceiptCase>& last,
                                             const std::string& rejectedFields) const {
  Receipt receipt;
  std::FILE* file = nullptr;
  if (!spool_.empty()) {
    receipt.file = std::make_shared<SpoolFile>(spoolPath(spool_, ".receipt"));
    file = std::fopen(receipt.file->path().c_str(), "wb");
    if (!file) return std::nullopt;
  }
  bool written = true;
  auto out = [&](std::string_view text) {
    if (!file) {
      receipt.bytes.append(text);
    } else if (std::fwrite(text.data(), 1, text.size(), file) != text.size()) {
      written = false;
    }
    receipt.size += static_cast<std::int64_t>(text.size());
  };
  out("{\"message_id\":" + jsonQuoted(head_.messageId) + ",\"received_at\":" + jsonQuoted(common::toString(head_.receivedAt)) +
      ",\"digest\":" + jsonQuoted(head_.digest) + ",\"cases\":[");
  bool read = entries_->forEach(out);
  std::size_t count = count_;
  for (const auto& c : last) out((count++ == 0 ? "" : ",") + entryJson(c));
  out("]");
  // The signed text after the cases, signed as it is copied in: hub-made case ids need no JSON
  // escaping, and an ECDSA key hashes them without holding them.
  const std::string head = security::filingReceiptHead(head_.messageId, head_.partner, head_.digest,
                                                        common::toString(head_.receivedAt));
  auto signature = signer_.stream();
  signature.update(head);
  out(",\"signed\":\"" + security::jsonEscaped(head));
  read = ids_->forEach([&](std::string_view ids) {
    signature.update(ids);
    out(ids);
  }) && read;
  count = count_;
  for (const auto& c : last) {
    const std::string id = (count++ == 0 ? "" : ",") + c.caseId;
    signature.update(id);
    out(id);
  }
  signature.update("\n");
  out("\\n" + security::signatureTail(signature.finish(), signer_));
  out(rejectedFields + "}");
  if (file && std::fclose(file) != 0) written = false;
  if (!read || !written) return std::nullopt;
  return receipt;
}

}  // namespace swhub::intake
