#pragma once
// The postalItems grammar, loaded once from the XSD compiled into the library, and the decoder
// that pulls one postal item at a time from a ByteSource (xerces-c progressive SAX2 parse with
// schema validation), so a message of many items is never held whole.

#include <xercesc/framework/XMLGrammarPool.hpp>
#include <xercesc/sax2/SAX2XMLReader.hpp>

#include <memory>
#include <mutex>
#include <string_view>

#include "settings.hpp"
#include "swhub/sdk/plugin.hpp"
#include "xerces_support.hpp"

namespace swhub::plugins::upu_post {

/// Immutable after construction; readers on many threads share its locked grammar pool.
class PostalItemsGrammar {
 public:
  /// Throws std::runtime_error when `xsd` is not a valid schema (a build defect).
  explicit PostalItemsGrammar(std::string_view xsd);
  ~PostalItemsGrammar();

  /// A reader that validates against this grammar only: no DTD, nothing fetched, schema hints
  /// in documents ignored. The grammar must outlive it.
  std::unique_ptr<xercesc::SAX2XMLReader> newReader() const;

  /// Held by a decoder while it parses: xerces initialises parts of a shared grammar lazily on
  /// first use, and concurrent parses over one pool were seen to fail or crash (tests:
  /// canonicalXml.DecodesFromManyThreadsAtOnce). One parse at a time per grammar.
  std::mutex& parseMutex() const { return parseMutex_; }

 private:
  mutable std::mutex parseMutex_;
  std::unique_ptr<XercesRuntime> runtime_;  // first in, last out
  std::unique_ptr<xercesc::XMLGrammarPool> pool_;
};

/// `grammar`, `settings` and `input` must outlive the decoder.
std::unique_ptr<sdk::Decoder> openPostalItems(const PostalItemsGrammar& grammar, const Settings& settings,
                                              sdk::ByteSource& input);

}  // namespace swhub::plugins::upu_post
