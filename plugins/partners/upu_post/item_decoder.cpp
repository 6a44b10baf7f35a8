#include "item_decoder.hpp"

#include <xercesc/framework/MemBufInputSource.hpp>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/framework/XMLPScanToken.hpp>
#include <xercesc/sax/InputSource.hpp>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/sax2/XMLReaderFactory.hpp>
#include <xercesc/util/BinInputStream.hpp>
#include <xercesc/util/OutOfMemoryException.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/SecurityManager.hpp>
#include <xercesc/util/XMLException.hpp>
#include <xercesc/util/XMLUni.hpp>

#include <deque>
#include <exception>
#include <stdexcept>

#include "item_handler.hpp"
#include "xml/message_reader.hpp"
#include "xml/parsing.hpp"
#include "xml/utf.hpp"

namespace swhub::plugins::upu_post {

using xml::GrammarPools;
using xml::StopParsing;
using xml::toUtf8;

namespace {

using namespace xercesc;

// A DOCTYPE is refused, so no document can declare an entity; this is the second line of defence.
constexpr XMLSize_t kEntityExpansionLimit = 100;

// Shared by the grammar loader and the message readers: namespaces on, no DTD, nothing fetched.
void harden(SAX2XMLReader& reader) {
  reader.setFeature(XMLUni::fgSAX2CoreNameSpaces, true);
  reader.setFeature(XMLUni::fgXercesLoadExternalDTD, false);
  reader.setFeature(XMLUni::fgXercesSkipDTDValidation, true);
  reader.setFeature(XMLUni::fgXercesDisableDefaultEntityResolution, true);
  reader.setFeature(XMLUni::fgXercesLoadSchema, false);
  reader.setFeature(XMLUni::fgXercesContinueAfterFatalError, false);
}

// Refuses everything while the XSD itself is loaded (it imports and includes nothing).
class SchemaLoadHandler : public DefaultHandler {
 public:
  std::string problem;
  void error(const SAXParseException& e) override { note(e); }
  void fatalError(const SAXParseException& e) override { note(e); }
  InputSource* resolveEntity(const XMLCh*, const XMLCh* systemId) override {
    problem = "external resource '" + toUtf8(systemId) + "' refused";
    throw StopParsing{};
  }

 private:
  void note(const SAXParseException& e) {
    if (problem.empty())
      problem = toUtf8(e.getMessage()) + position(static_cast<int>(e.getLineNumber()),
                                                  static_cast<int>(e.getColumnNumber()));
  }
};

// Pulls from the hub's ByteSource; past kMaxMessageBytes it reports the end of the input and
// remembers why, so the truncated document's error can be named for what it is.
class ByteSourceStream : public BinInputStream {
 public:
  ByteSourceStream(sdk::ByteSource& input, bool& overflow) : input_(input), overflow_(overflow) {}
  XMLFilePos curPos() const override { return position_; }
  XMLSize_t readBytes(XMLByte* const buffer, const XMLSize_t maxToRead) override {
    if (position_ >= kMaxMessageBytes) {
      char probe = 0;
      if (input_.read(&probe, 1) > 0) overflow_ = true;
      return 0;
    }
    const std::size_t want = std::min<std::size_t>(maxToRead, kMaxMessageBytes - position_);
    const std::size_t n = input_.read(reinterpret_cast<char*>(buffer), want);
    position_ += n;
    return n;
  }
  const XMLCh* getContentType() const override { return nullptr; }

 private:
  sdk::ByteSource& input_;
  bool& overflow_;
  XMLFilePos position_ = 0;
};

class ByteSourceInput : public InputSource {
 public:
  ByteSourceInput(sdk::ByteSource& input, bool& overflow) : input_(input), overflow_(overflow) {
    setSystemId(u"message");
  }
  BinInputStream* makeStream() const override { return new ByteSourceStream(input_, overflow_); }

 private:
  sdk::ByteSource& input_;
  bool& overflow_;
};

class PostalItemsDecoder : public sdk::Decoder {
 public:
  PostalItemsDecoder(const PostalItemsGrammar& grammar, const Settings& settings, sdk::ByteSource& input)
      : grammar_(grammar.lease()),
        handler_(settings, pending_),
        input_(input, overflow_),
        reader_(PostalItemsGrammar::newReader(grammar_)) {
    security_.setEntityExpansionLimit(kEntityExpansionLimit);
    reader_->setProperty(XMLUni::fgXercesSecurityManager, &security_);
    reader_->setContentHandler(&handler_);
    reader_->setErrorHandler(&handler_);
    reader_->setLexicalHandler(&handler_);
    reader_->setEntityResolver(&handler_);
  }

  std::optional<sdk::Decoded> next() noexcept override {
    while (pending_.empty() && !done_) step();
    if (pending_.empty()) return std::nullopt;
    sdk::Decoded next = std::move(pending_.front());
    pending_.pop_front();
    return next;
  }

 private:
  // Scans one more piece of the document (a tag, some text); finishes on the end or an error.
  void step() noexcept {
    bool more = false;
    try {
      more = started_ ? reader_->parseNext(token_) : reader_->parseFirst(input_, token_);
      started_ = true;
    } catch (...) {
      // xerces reset its readers on the way out: the locator must not be asked again.
      handler_.detachLocator();
      record(std::current_exception());
    }
    if (more && !handler_.fatal()) return;
    done_ = true;
    handler_.detachLocator();
    try {
      if (overflow_) handler_.fail("the message exceeds " + std::to_string(kMaxMessageBytes) + " bytes", true);
      handler_.finish();
    } catch (...) {
      pending_.clear();
      pending_.emplace_back(sdk::Errors{{"", "upu_post decoder failed"}});
    }
  }

  void record(std::exception_ptr failure) noexcept {
    try {
      try {
        std::rethrow_exception(failure);
      } catch (const StopParsing&) {
        // the handler recorded why
      } catch (const SAXParseException&) {
        // reported through fatalError()
      } catch (const OutOfMemoryException&) {
        handler_.fail("out of memory while parsing", true);
      } catch (const XMLException& e) {
        handler_.fail(toUtf8(e.getMessage()), true);
      } catch (const SAXException& e) {
        handler_.fail(toUtf8(e.getMessage()), true);
      } catch (const std::exception& e) {
        handler_.fail(std::string("upu_post decoder failed: ") + e.what(), true);
      } catch (...) {
        handler_.fail("upu_post decoder failed", true);
      }
    } catch (...) {
      // out of memory while recording: finish() still reports the item or message as failed
    }
  }

  GrammarPools::Lease grammar_;  // first: the reader below parses with it, and goes before it
  std::deque<sdk::Decoded> pending_;
  bool overflow_ = false;
  PostalItemsHandler handler_;
  ByteSourceInput input_;
  SecurityManager security_;
  std::unique_ptr<SAX2XMLReader> reader_;  // last: it refers to the members above
  XMLPScanToken token_;
  bool started_ = false;
  bool done_ = false;
};

// One locked copy of the grammar. A locked pool is read-only for the readers that use it; it is
// still filled in lazily by them, hence one parse at a time per copy (GrammarPools).
std::unique_ptr<XMLGrammarPool> compileGrammar(std::string_view xsd) {
  auto pool = std::make_unique<XMLGrammarPoolImpl>(XMLPlatformUtils::fgMemoryManager);
  std::unique_ptr<SAX2XMLReader> loader(
      XMLReaderFactory::createXMLReader(XMLPlatformUtils::fgMemoryManager, pool.get()));
  harden(*loader);
  loader->setFeature(XMLUni::fgXercesSchema, true);
  loader->setFeature(XMLUni::fgXercesSchemaFullChecking, true);
  SchemaLoadHandler handler;
  loader->setErrorHandler(&handler);
  loader->setEntityResolver(&handler);
  MemBufInputSource source(reinterpret_cast<const XMLByte*>(xsd.data()), xsd.size(), "embedded:postal-item.xsd",
                           false);
  Grammar* grammar = nullptr;
  try {
    grammar = loader->loadGrammar(source, Grammar::SchemaGrammarType, true);
  } catch (const StopParsing&) {
  } catch (const XMLException& e) {
    handler.problem = toUtf8(e.getMessage());
  } catch (const SAXException& e) {
    handler.problem = toUtf8(e.getMessage());
  }
  if (grammar == nullptr || !handler.problem.empty())
    throw std::runtime_error("embedded postal-item.xsd is not a valid schema: " + handler.problem);
  loader.reset();
  pool->lockPool();
  return pool;
}

}  // namespace

PostalItemsGrammar::PostalItemsGrammar(std::string_view xsd)
    : runtime_(std::make_unique<xml::XercesRuntime>()),
      pools_(compileGrammar(xsd), [xsd] { return compileGrammar(xsd); }, GrammarPools::kUnbounded) {}

PostalItemsGrammar::~PostalItemsGrammar() = default;  // the pools before the runtime

std::unique_ptr<SAX2XMLReader> PostalItemsGrammar::newReader(const GrammarPools::Lease& grammar) {
  // Schema hints are ignored, malformed or not; the reader stops at the first fatal error itself.
  std::unique_ptr<SAX2XMLReader> reader = xml::createMessageReader(grammar.pool());
  harden(*reader);
  reader->setFeature(XMLUni::fgSAX2CoreValidation, true);
  reader->setFeature(XMLUni::fgXercesDynamic, false);  // validate always, even without a schema hint
  reader->setFeature(XMLUni::fgXercesSchema, true);
  reader->setFeature(XMLUni::fgXercesSchemaFullChecking, false);
  reader->setFeature(XMLUni::fgXercesUseCachedGrammarInParse, true);
  reader->setFeature(XMLUni::fgXercesCacheGrammarFromParse, false);
  reader->setFeature(XMLUni::fgXercesIdentityConstraintChecking, false);
  return reader;
}

std::unique_ptr<sdk::Decoder> openPostalItems(const PostalItemsGrammar& grammar, const Settings& settings,
                                              sdk::ByteSource& input) {
  return std::make_unique<PostalItemsDecoder>(grammar, settings, input);
}

}  // namespace swhub::plugins::upu_post
