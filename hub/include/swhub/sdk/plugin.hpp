#pragma once
/// @file plugin.hpp
/// The plugin and adapter contract. A library exports one entry, `swhub_plugin_descriptor`
/// (use SWHUB_PLUGIN below), returning a pointer to a static Descriptor. The hub reads the
/// leading plain fields (ABI version, toolchain) before anything else, then validates the
/// settings of each partner or agency that uses the plugin against settingsSchema() and calls
/// the factory once per such instance. A partner instance is then asked once what it cannot serve
/// (PartnerPlugin::availability(), ABI 3.1: a part of its format switched off, and why).
///
/// Threading: instances are immutable after the factory returns; the hub calls them from many
/// threads at once. A Decoder is used by one thread at a time.
/// Errors: no call throws across the boundary; SWHUB_PLUGIN wraps the factory so that an
/// exception becomes an error naming the plugin.
/// Ownership: the hub owns every object a factory or open() returns and destroys it before
/// unloading the library.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <boost/dll/alias.hpp>

#include "swhub/sdk/model.hpp"
#include "swhub/sdk/schema.hpp"
#include "swhub/sdk/status.hpp"
#include "swhub/sdk/value.hpp"
#include "swhub/sdk/version.hpp"

namespace swhub::sdk {

enum class PluginKind { Partner, Agency, Adapter };
std::string_view toString(PluginKind kind);

// ---------------------------------------------------------------- partner plugins

/// A stream of bytes that a decoder pulls from. read() returns 0 at the end.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// Reads up to `size` bytes into `buffer`; returns how many, 0 at the end of the input.
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
};

/// What the hub knows of a message besides its bytes: who sent it, how, and when. A format that
/// authenticates its messages (a payment provider's HMAC signature header) reads it from here.
struct MessageContext {
  std::string partner;       ///< the caller's partner id
  std::string content_type;  ///< media type, lower case, without parameters
  std::vector<std::pair<std::string, std::string>> headers;  ///< transport headers, names lower case
  std::string received_at;   ///< RFC 3339 UTC with milliseconds, the hub's clock

  /// The first header with this lower-case name, or "".
  std::string header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
      if (key == name) return value;
    }
    return "";
  }
};

/// One consignment decoded from a message, with where it started ("line 12", "/items/0", ...).
struct DecodedFiling {
  Consignment consignment;
  std::string location;
};

/// One piece of a decoded message: a filing, an event (payment, refund), or errors found at one
/// place of the input (the decoder goes on with the next filing where its format allows); (ABI 3.3,
/// appended alternative) the facts of the filing that comes next. Appending an alternative smaller
/// than DecodedFiling keeps the variant's size, alignment and index where 3.2 had them: a 3.2
/// decoder never yields it.
using Decoded = std::variant<DecodedFiling, HubEvent, Errors, DeclarationFacts>;

/// Pulls the filings of one message, one at a time, so that a manifest of 200,000 lines is never
/// held whole. next() returns nullopt at the end.
class Decoder {
 public:
  virtual ~Decoder() = default;
  virtual std::optional<Decoded> next() noexcept = 0;
};

/// (ABI 3.1) What part of its format a partner instance cannot serve, as its factory found it. A
/// plugin may start with a part switched off rather than refuse to start: a broker's DMS
/// declarations while the XSDs they are validated against are not installed. Plain data, so that
/// it serialises when a plugin runs in a process of its own.
struct Availability {
  /// Media types of contentTypes() that this instance cannot read. The hub answers a message in
  /// one of them with 503, problem type "format-unavailable", the reason in its errors, without
  /// opening a decoder and without journaling it. Empty: everything works.
  std::vector<std::string> unavailable_types;
  /// For an operator, in one sentence: what is off, why (naming what is missing) and how to turn
  /// it on. The hub shows it in `swhub check-config`, `swhub plugins` and its start-up log; "" when
  /// nothing is off.
  std::string reason;
};

class PartnerPlugin {
 public:
  virtual ~PartnerPlugin() = default;
  /// Media types this plugin reads, lower case, without parameters.
  virtual std::vector<std::string> contentTypes() const = 0;
  /// Opens a decoder over `input`; `context` and `input` must outlive it. context.content_type
  /// is one of contentTypes().
  virtual std::unique_ptr<Decoder> open(const MessageContext& context, ByteSource& input) const noexcept = 0;
  /// Encodes notifications (one, or a batch for one partner) into this partner's format.
  virtual Result<EncodedMessage> encode(const std::vector<Notification>& batch) const noexcept = 0;
  /// (ABI 3.1) What this instance cannot serve; it must not change after the factory returned.
  /// The hub calls it once, after the factory, and only on a library built for ABI 3.1 or newer
  /// (the vtable of an older library has no such entry). A decoder opened for an unavailable type
  /// anyway yields the reason as its error.
  virtual Availability availability() const noexcept { return {}; }
};

// ---------------------------------------------------------------- agency plugins

/// What the hub knows of a party: built from the journal before assess() is called.
struct PartyProfile {
  std::string role;  ///< "seller", "buyer", "declarant", "carrier"
  std::string id;
  std::int64_t cases_seen = 0;
  std::int64_t cases_held = 0;
  bool trusted = false;  ///< an authorised operator or a trusted trader
};

struct AssessmentRequest {
  Consignment consignment;  ///< with case_id and derived fields set
  /// What the journal knows of the consignment's seller and buyer (ABI 3.2: filled by the hub,
  /// one profile per role whose party has an id; absent for a party without an id).
  std::vector<PartyProfile> parties;
  std::string agency;  ///< the id of the agency this instance serves
  /// (ABI 3.2, appended: the hub builds the request, so an older plugin reads the prefix only.)
  /// When the hub received the filing that opened the case, RFC 3339 UTC with milliseconds: the
  /// date duties and taxes are assessed on, and the time a deadline is measured from.
  std::string received_at;
};

/// A decision on the whole case or on some items (by sequence).
struct Decision {
  std::string decision;  ///< clear | hold | inspect | request-info | reject | do-not-load
  std::string reason;
  std::vector<int> items;  ///< empty: the whole case
  std::vector<std::string> reason_codes;
  std::optional<int> risk_score;
  std::optional<Decimal> duties;
  std::optional<Decimal> taxes;
};

/// Either decisions now, or pending: the agency decides later through the hub's decision call.
struct Assessment {
  bool pending = false;
  std::vector<Decision> decisions;
};

/// (ABI 3.2) One reason that moved a case's risk score.
struct RiskReason {
  std::string code;    ///< "RISK-WATCHLIST", "RISK-RANDOM", ...
  int weight = 0;      ///< what it added to the score; negative for a trusted trader
  std::string detail;  ///< for an officer: what was seen ("seller CN-WATCHLIST-1 is on watchlist 'x'")
};

/// (ABI 3.2) One duty, tax or charge of a case, in the jurisdiction's currency.
struct RevenueLine {
  std::string tax;               ///< "duty", "vat", "excise", "charge", ...
  std::optional<int> item;       ///< the item's sequence; none for the whole consignment
  Decimal base;                  ///< what the rate applies to
  std::optional<Decimal> rate;   ///< percent; none for a fixed amount
  Decimal amount;
  std::string currency;          ///< ISO 4217
  std::string why;               ///< the rule that applied, in a sentence
  bool collected_at_sale = false;  ///< the vendor collected it: not due at the border

  bool operator==(const RevenueLine&) const = default;
};

/// (ABI 3.2) What an agency derived for a case besides its decisions: the hub records it on the
/// case (its view's `category`, `risk` and `revenue`, the consignment's `derived` part), routes
/// the case again on the category, and holds the release for payment under the consumer model.
/// Plain data: it serialises when a plugin runs in a process of its own.
struct Findings {
  std::optional<int> category;  ///< WCO Immediate Release Guidelines category 1..4
  std::optional<int> risk_score;
  std::vector<RiskReason> risk_reasons;
  /// Revenue: set when the agency assessed duties and taxes (the fields below are then valid).
  bool revenue_assessed = false;
  CollectionModel model = CollectionModel::Consumer;  ///< the collection model as applied
  std::string model_reason;  ///< why it differs from the model filed; "" otherwise
  std::vector<RevenueLine> revenue;
  Decimal due;               ///< still to collect at the border (lines not collected at sale)
  std::string currency;      ///< of every line and of `due`
};

/// (ABI 3.2) An assessment and the findings that came with it.
struct CaseAssessment {
  Assessment assessment;
  Findings findings;
};

class AgencyPlugin {
 public:
  virtual ~AgencyPlugin() = default;
  virtual Result<Assessment> assess(const AssessmentRequest& request) const noexcept = 0;
  /// (ABI 3.2) The assessment with what the agency derived (category, risk, revenue). The hub
  /// calls it instead of assess() on a library built for ABI 3.2 or newer (an older library's
  /// vtable has no such entry). The default has no findings.
  virtual Result<CaseAssessment> assessCase(const AssessmentRequest& request) const noexcept {
    auto plain = assess(request);
    if (!plain.ok()) return plain.errors();
    return CaseAssessment{plain.take(), {}};
  }
};

// ---------------------------------------------------------------- adapters (transports)

/// A notification or an agency task to deliver to one endpoint.
struct DeliveryItem {
  std::string id;           ///< stable: the same on every attempt
  std::string kind;         ///< "notification" | "task"
  std::string recipient;    ///< partner or agency id
  std::string content_type;
  std::string body;
  int attempt = 1;
};

struct DeliveryOutcome {
  enum class Status { Delivered, RetryLater, FailedForGood };
  Status status = Status::Delivered;
  std::string detail;
  std::optional<std::chrono::milliseconds> retry_after;  ///< when the receiver asked for a delay
};

/// A message a source adapter picked up (a file in a drop folder), for a partner plugin.
struct SourceMessage {
  std::string partner;
  std::string content_type;
  std::string name;  ///< where it came from, for the trace
  std::string body;
};

class Adapter {
 public:
  virtual ~Adapter() = default;
  /// Delivers one item; never blocks longer than the adapter's own timeout.
  virtual DeliveryOutcome deliver(const DeliveryItem& item) const noexcept = 0;
  /// A source adapter returns what arrived since the last call; others return nothing.
  virtual std::vector<SourceMessage> poll() noexcept { return {}; }
};

// ---------------------------------------------------------------- descriptor and export

/// What an instance is built for: the id of the partner, agency or endpoint and its settings,
/// already validated against settingsSchema().
struct InstanceContext {
  std::string id;
  std::string path;  ///< dotted config path of the settings, for the errors a factory returns
  Value settings;
  /// (ABI 2.1) the folder of the config file: a relative path in the settings is relative to it.
  std::string config_dir;
};

using PartnerFactory = Result<std::unique_ptr<PartnerPlugin>> (*)(const InstanceContext&);
using AgencyFactory = Result<std::unique_ptr<AgencyPlugin>> (*)(const InstanceContext&);
using AdapterFactory = Result<std::unique_ptr<Adapter>> (*)(const InstanceContext&);

/// Returned by the entry of every library. The first three fields are plain C and never move:
/// the hub reads them before trusting anything else.
struct Descriptor {
  std::uint32_t abi_major;
  std::uint32_t abi_minor;
  const char* toolchain;  ///< kToolchain of the plugin's build
  PluginKind kind;
  const char* name;         ///< registry key: "canonical", "upu_post", "rules", "http_webhook"
  const char* version;      ///< the plugin's own version, "1.0.0"
  const char* description;  ///< one line
  Schema (*settings_schema)();  ///< schema of an instance's settings
  PartnerFactory partner_factory;  ///< set for kind Partner, else nullptr
  AgencyFactory agency_factory;    ///< set for kind Agency, else nullptr
  AdapterFactory adapter_factory;  ///< set for kind Adapter, else nullptr
};

/// The exported symbol's name.
inline constexpr const char* kEntrySymbol = "swhub_plugin_descriptor";
using EntryFunction = const Descriptor* ();

namespace detail {
/// Runs `make` and turns any exception into an error naming `plugin`.
template <class Make>
auto guardFactory(const char* plugin, const InstanceContext& ctx, Make make) noexcept
    -> decltype(make(ctx)) {
  try {
    return make(ctx);
  } catch (const std::exception& e) {
    return Errors{Error{ctx.path, std::string("plugin '") + plugin + "' failed to start: " + e.what()}};
  } catch (...) {
    return Errors{Error{ctx.path, std::string("plugin '") + plugin + "' failed to start: unknown exception"}};
  }
}
}  // namespace detail

}  // namespace swhub::sdk

/// Defines the library's entry, exported with BOOST_DLL_ALIAS under kEntrySymbol. Use once, at
/// global scope. KIND is Partner, Agency or Adapter; SCHEMA a function returning the Schema of an
/// instance's settings; FACTORY a function `Result<std::unique_ptr<PartnerPlugin|AgencyPlugin|
/// Adapter>>(const InstanceContext&)`, wrapped so that an exception becomes an error.
/// Example: SWHUB_PLUGIN(Partner, "canonical", "1.0.0", "Canonical JSON and XML", schema, make)
#define SWHUB_PLUGIN(KIND, NAME, VERSION, DESCRIPTION, SCHEMA, FACTORY)                          \
  namespace swhub_plugin_entry {                                                               \
  inline auto guardedFactory(const ::swhub::sdk::InstanceContext& ctx) noexcept {              \
    return ::swhub::sdk::detail::guardFactory(NAME, ctx, FACTORY);                             \
  }                                                                                            \
  inline const ::swhub::sdk::Descriptor kDescriptor = {                                        \
      ::swhub::sdk::kAbiMajor,                                                                 \
      ::swhub::sdk::kAbiMinor,                                                                 \
      ::swhub::sdk::kToolchain,                                                                \
      ::swhub::sdk::PluginKind::KIND,                                                          \
      NAME,                                                                                    \
      VERSION,                                                                                 \
      DESCRIPTION,                                                                             \
      SCHEMA,                                                                                  \
      SWHUB_PLUGIN_FACTORY_##KIND(guardedFactory)};                                            \
  inline const ::swhub::sdk::Descriptor* entry() { return &kDescriptor; }                      \
  }                                                                                            \
  BOOST_DLL_ALIAS(swhub_plugin_entry::entry, swhub_plugin_descriptor)

#define SWHUB_PLUGIN_FACTORY_Partner(F) F, nullptr, nullptr
#define SWHUB_PLUGIN_FACTORY_Agency(F) nullptr, F, nullptr
#define SWHUB_PLUGIN_FACTORY_Adapter(F) nullptr, nullptr, F
