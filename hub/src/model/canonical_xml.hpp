#pragma once
// The canonical consignment as XML (schemas/canonical/consignment.xsd), decoded with xerces-c
// SAX2 and validated against the pinned schema only.
//
// Hardening (DESIGN.md "Security rules"): the body is capped before parsing; a DOCTYPE is an
// error (so no DTD, no internal or external entity is ever read); every entity or schema
// resolution is refused; schema locations in documents are ignored; element depth and entity
// expansion are bounded.
//
// Thread safety: a codec is immutable after construction; decode() may run on many threads at
// once (each call uses its own parser; the grammar pool is locked, hence read-only and shared).

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "model/codec_options.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

#include <xercesc/util/XercesDefs.hpp>

XERCES_CPP_NAMESPACE_BEGIN
class XMLGrammarPool;
XERCES_CPP_NAMESPACE_END

namespace swhub::model {

namespace detail {
class XercesRuntime;
}

/// Where the XSD comes from: a file (the hub's schemas folder) ...
struct SchemaFile {
  std::string path;
};
/// ... or its text, embedded at build time (the canonical plugin: no file lookup at all).
struct SchemaText {
  std::string_view xsd;
};

class CanonicalXmlCodec {
 public:
  /// Loads and compiles the XSD once; throws std::runtime_error naming the schema and xerces'
  /// error when it cannot be read or is not a valid schema.
  explicit CanonicalXmlCodec(const SchemaFile& schema, DecodeOptions options = {});
  explicit CanonicalXmlCodec(const SchemaText& schema, DecodeOptions options = {});
  ~CanonicalXmlCodec();
  CanonicalXmlCodec(const CanonicalXmlCodec&) = delete;
  CanonicalXmlCodec& operator=(const CanonicalXmlCodec&) = delete;

  /// Decodes one <consignment>. Errors carry XPath-like paths ("/consignment/items/item[2]/hs")
  /// and, for parser and schema errors, "(line L, column C)" at the end of the message; then
  /// validateConsignment(XPath) runs, and every error comes back together.
  sdk::Result<sdk::Consignment> decode(std::string_view body) const;

  const DecodeOptions& options() const { return options_; }

 private:
  void load(const void* source, const std::string& where);

  DecodeOptions options_;
  std::unique_ptr<detail::XercesRuntime> runtime_;  // first member: destroyed last
  std::unique_ptr<XERCES_CPP_NAMESPACE::XMLGrammarPool> pool_;
  // xerces initialises parts of a shared grammar lazily on first use: concurrent parses over one
  // pool failed or crashed in ~14% of fresh processes (canonicalXml.DecodesFromManyThreadsAtOnce).
  // One parse at a time per codec (~26 us each: far above the hub's filing rate).
  mutable std::mutex parseMutex_;
};

/// The XML form of a consignment; it validates against consignment.xsd when the consignment
/// passes validateConsignment. Hub fields (case_id, partner, derived) are written when set.
std::string encodeConsignmentXml(const sdk::Consignment& consignment);

}  // namespace swhub::model
