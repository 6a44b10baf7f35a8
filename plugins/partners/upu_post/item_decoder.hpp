#pragma once
// The postalItems grammar, compiled from the XSD built into the library, and the decoder
// that pulls one postal item at a time from a ByteSource (xerces-c progressive SAX2 parse with
// schema validation), so a message of many items is never held whole.

#include <xercesc/sax2/SAX2XMLReader.hpp>

#include <memory>
#include <string_view>

#include "settings.hpp"
#include "swhub/sdk/plugin.hpp"
#include "xml/grammar_pools.hpp"
#include "xml/xerces_runtime.hpp"

namespace swhub::plugins::upu_post {

/// Immutable after construction; decoders on many threads share it. Each decoder leases a
/// compiled copy of the grammar for its whole message (see xml/grammar_pools.hpp), from pools
/// without a bound: no decoder waits for another, and one thread may hold several decoders open.
class PostalItemsGrammar {
 public:
  /// Throws std::runtime_error when `xsd` is not a valid schema (a build defect). `xsd` must
  /// outlive the grammar: later copies are compiled from it.
  explicit PostalItemsGrammar(std::string_view xsd);
  ~PostalItemsGrammar();

  /// A copy of the grammar for one message. Thread-safe; throws when a new copy cannot be made.
  xml::GrammarPools::Lease lease() const { return pools_.lease(); }

  /// A reader that validates against the leased grammar only: no DTD, nothing fetched, schema
  /// hints in documents ignored. The lease must outlive it.
  static std::unique_ptr<xercesc::SAX2XMLReader> newReader(const xml::GrammarPools::Lease& grammar);

 private:
  std::unique_ptr<xml::XercesRuntime> runtime_;  // first in, last out
  xml::GrammarPools pools_;
};

/// `grammar`, `settings` and `input` must outlive the decoder.
std::unique_ptr<sdk::Decoder> openPostalItems(const PostalItemsGrammar& grammar, const Settings& settings,
                                              sdk::ByteSource& input);

}  // namespace swhub::plugins::upu_post
