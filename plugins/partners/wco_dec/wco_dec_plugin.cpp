// Customs broker partner plugin: WCO Data Model 3.6 declarations (DEC) in, responses (RES) out, in
// the UK CDS "DMS" customisation. Validated against the official XSDs found in `schema_dir` (or
// SWHUB_WCO_DEC_SCHEMA_DIR); without them the instance starts with DMS off (schema_folder.hpp).

#include <cstdlib>
#include <deque>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>

#include "dec_mapping.hpp"
#include "declaration_facts.hpp"
#include "dms_reader.hpp"
#include "res_encoder.hpp"
#include "schema_catalog.hpp"
#include "schema_folder.hpp"
#include "swhub/sdk/plugin.hpp"
#include "swhub/sdk/validate.hpp"
#include "xml_support.hpp"

namespace swhub::plugins::wco_dec {

namespace {

namespace fs = std::filesystem;

constexpr const char* kResContentType = "application/xml";

const ExpectedRoot kMetaData{"urn:wco:datamodel:WCO:DocumentMetaData-DMS:2", "MetaData", "md:MetaData"};

sdk::Schema settingsSchema() {
  sdk::Schema schema = sdk::Schema::object("WCO DM 3.6 declarations and responses, UK CDS (DMS) customisation");
  schema.required("schema_dir", sdk::Schema::string("folder of the official DMS XSDs, with declaration/ and notification/ "
                                                    "(SWHUB_WCO_DEC_SCHEMA_DIR overrides it; absent: DMS filings are off)")
                                    .nonEmpty());
  schema.optional("default_currency", sdk::Schema::string("ISO 4217 currency of amounts declared without currencyID (GBP)"));
  schema.optional("max_bytes", sdk::Schema::integer("largest message accepted, in bytes (4194304)", 1024, 67108864));
  schema.optional("max_depth", sdk::Schema::integer("deepest nesting of XML elements (64)", 8, 256));
  schema.optional("max_items", sdk::Schema::integer("most goods items in one declaration (999)", 1, 100000));
  return schema;
}

struct Settings {
  fs::path schema_dir;
  std::string off;  // why DMS is off (no schema folder); "" when the grammars are built
  MappingOptions mapping;
  ReadLimits limits;
};

// What a decoder opened while DMS is off yields: the reason, and nothing else.
class OffDecoder : public sdk::Decoder {
 public:
  explicit OffDecoder(std::string reason) : reason_(std::move(reason)) {}
  std::optional<sdk::Decoded> next() noexcept override {
    if (done_) return std::nullopt;
    done_ = true;
    try {
      return sdk::Decoded(sdk::Errors{{"", reason_}});
    } catch (...) {
      return std::nullopt;
    }
  }

 private:
  std::string reason_;
  bool done_ = false;
};

// Reads the whole message (capped at max_bytes + 1: one byte beyond the limit is enough to know it
// is too large), validates and maps it on the first next(): a DEC carries one declaration.
class DecDecoder : public sdk::Decoder {
 public:
  DecDecoder(sdk::ByteSource& input, const Settings& settings, const GrammarCache& grammar)
      : input_(input), settings_(settings), grammar_(grammar) {}

  std::optional<sdk::Decoded> next() noexcept override {
    try {
      if (!done_) {
        done_ = true;
        decode();
      }
      if (pieces_.empty()) return std::nullopt;
      sdk::Decoded piece = std::move(pieces_.front());
      pieces_.pop_front();
      return piece;
    } catch (const std::exception& e) {
      pieces_.clear();
      return sdk::Decoded(sdk::Errors{{"", std::string("wco_dec decoder failed: ") + e.what()}});
    } catch (...) {
      pieces_.clear();
      return sdk::Decoded(sdk::Errors{{"", "wco_dec decoder failed"}});
    }
  }

 private:
  // The declaration's pieces: its errors; or its facts (a simplified, supplementary or final
  // supplementary declaration) and then the filing they belong to.
  void decode() {
    std::string body;
    char buffer[16384];
    while (body.size() <= settings_.limits.max_bytes) {
      const std::size_t n = input_.read(buffer, sizeof buffer);
      if (n == 0) break;
      body.append(buffer, n);
    }
    ReadResult read;
    {
      GrammarCache::Lease pool = grammar_.lease();  // this parse's own copy of the grammar
      read = readValidated(body, pool.pool(), kMetaData, settings_.limits);
    }
    if (!read.errors.empty()) {
      pieces_.emplace_back(std::move(read.errors));
      return;
    }
    auto mapped = mapDeclaration(*read.root, settings_.mapping);
    const XmlNode* declaration = read.root->child("Declaration");
    auto facts = mapped && declaration ? declarationFacts(*declaration, settings_.mapping.default_currency)
                                       : sdk::Result<std::optional<sdk::DeclarationFacts>>(std::nullopt);
    if (!mapped || !facts) {
      sdk::Errors errors = mapped ? sdk::Errors{} : mapped.errors();
      if (!facts) errors.insert(errors.end(), facts.errors().begin(), facts.errors().end());
      pieces_.emplace_back(std::move(errors));
      return;
    }
    if (facts.value()) pieces_.emplace_back(std::move(*facts.value()));
    pieces_.emplace_back(sdk::DecodedFiling{mapped.take(), "/MetaData/Declaration"});
  }

  std::deque<sdk::Decoded> pieces_;
  sdk::ByteSource& input_;
  const Settings& settings_;
  const GrammarCache& grammar_;
  bool done_ = false;
};

class WcoDecPartner : public sdk::PartnerPlugin {
 public:
  // Without a schema folder (settings.off set) nothing of xerces is started: DMS is off.
  explicit WcoDecPartner(Settings settings) : settings_(std::move(settings)) {
    if (!settings_.off.empty()) return;
    runtime_ = std::make_unique<XercesRuntime>();
    declarations_ = std::make_unique<GrammarCache>(settings_.schema_dir, std::vector<std::string>{kDecMetaData, kDecSchema});
    responses_ = std::make_unique<GrammarCache>(settings_.schema_dir, std::vector<std::string>{kResMetaData, kResSchema});
  }

  ~WcoDecPartner() override {
    // xerces objects before the runtime that holds xerces initialised.
    responses_.reset();
    declarations_.reset();
  }

  std::vector<std::string> contentTypes() const override {
    return {"application/vnd.wco.dms.dec+xml", "application/xml", "text/xml"};
  }

  sdk::Availability availability() const noexcept override {
    if (settings_.off.empty()) return {};
    try {
      return sdk::Availability{contentTypes(), settings_.off};
    } catch (...) {
      return {};
    }
  }

  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext&, sdk::ByteSource& input) const noexcept override {
    try {
      if (!settings_.off.empty()) return std::make_unique<OffDecoder>(settings_.off);
      return std::make_unique<DecDecoder>(input, settings_, *declarations_);
    } catch (...) {
      return nullptr;  // out of memory: the hub records the failure
    }
  }

  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>& batch) const noexcept override {
    try {
      // Every RES is checked against its schema before it leaves: without the schema, none leaves.
      if (!settings_.off.empty()) return sdk::Errors{{"", settings_.off}};
      auto body = encodeResponses(batch);
      if (!body) return body.errors();
      // Never hand out a response that the partner's schema refuses.
      GrammarCache::Lease pool = responses_->lease();
      ReadResult check = readValidated(body.value(), pool.pool(), kMetaData, ReadLimits{64u << 20, 64, 50});
      if (!check.errors.empty()) {
        sdk::Errors errors;
        for (auto& e : check.errors) errors.push_back({e.path, "encoded RES does not validate: " + e.message});
        return errors;
      }
      return sdk::EncodedMessage{kResContentType, body.take()};
    } catch (const std::exception& e) {
      return sdk::Errors{{"", std::string("wco_dec encoder failed: ") + e.what()}};
    }
  }

 private:
  Settings settings_;
  std::unique_ptr<XercesRuntime> runtime_;
  std::unique_ptr<GrammarCache> declarations_;
  std::unique_ptr<GrammarCache> responses_;
};

sdk::Result<std::unique_ptr<sdk::PartnerPlugin>> make(const sdk::InstanceContext& ctx) {
  sdk::Errors errors;
  Settings settings;
  const std::string at = ctx.path.empty() ? std::string() : ctx.path + ".";
  const sdk::Value* dir = ctx.settings.find("schema_dir");
  if (dir == nullptr || dir->asString().empty()) {
    errors.push_back({at + "schema_dir", "required: the folder of the official DMS XSDs"});
  } else {
    // Read once, here: the instance never looks at the environment again.
    SchemaFolder folder = findSchemaFolder(dir->asString(), ctx.config_dir, std::getenv(kSchemaDirVariable),
                                           at + "schema_dir");
    settings.schema_dir = std::move(folder.path);
    settings.off = std::move(folder.off);
    errors.insert(errors.end(), folder.errors.begin(), folder.errors.end());
  }
  if (const sdk::Value* v = ctx.settings.find("default_currency")) {
    if (!sdk::isCurrencyCode(v->asString()))
      errors.push_back({at + "default_currency", "'" + v->asString() + "' is not an ISO 4217 currency code"});
    else settings.mapping.default_currency = v->asString();
  }
  if (const sdk::Value* v = ctx.settings.find("max_bytes")) settings.limits.max_bytes = static_cast<std::size_t>(v->asInt());
  if (const sdk::Value* v = ctx.settings.find("max_depth")) settings.limits.max_depth = static_cast<std::size_t>(v->asInt());
  if (const sdk::Value* v = ctx.settings.find("max_items")) settings.mapping.max_items = static_cast<std::size_t>(v->asInt());
  if (!errors.empty()) return errors;
  try {
    return std::unique_ptr<sdk::PartnerPlugin>(std::make_unique<WcoDecPartner>(std::move(settings)));
  } catch (const std::exception& e) {
    return sdk::Errors{{at + "schema_dir", e.what()}};
  }
}

}  // namespace
}  // namespace swhub::plugins::wco_dec

SWHUB_PLUGIN(Partner, "wco_dec", "1.0.0", "WCO DM 3.6 declarations and responses (UK CDS DMS customisation)",
             swhub::plugins::wco_dec::settingsSchema, swhub::plugins::wco_dec::make)
