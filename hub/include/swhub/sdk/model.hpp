#pragma once
/// @file model.hpp
/// The canonical consignment (../DESIGN.md "Canonical consignment"): what every partner format
/// decodes into and every agency assesses. Plain values: copyable, serialisable, no behaviour
/// beyond conversions, so a plugin may one day run in another process.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace swhub::sdk {

/// A decimal amount with four fraction digits, exact (money is never a double).
class Decimal {
 public:
  static constexpr std::int64_t kScale = 10000;

  constexpr Decimal() = default;
  static constexpr Decimal fromUnits(std::int64_t units) { Decimal d; d.units_ = units; return d; }
  /// "45", "45.5", "-0.0001"; nullopt when not a plain decimal or more than 4 fraction digits.
  static std::optional<Decimal> parse(std::string_view text);
  /// Rounded half away from zero to 4 fraction digits; nullopt when not finite or out of range.
  static std::optional<Decimal> fromDouble(double value);

  std::int64_t units() const { return units_; }
  double toDouble() const { return static_cast<double>(units_) / kScale; }
  /// At least two fraction digits, no trailing zeros beyond: "45.00", "0.125".
  std::string toString() const;

  auto operator<=>(const Decimal&) const = default;
  Decimal operator+(Decimal o) const { return fromUnits(units_ + o.units_); }
  Decimal operator-(Decimal o) const { return fromUnits(units_ - o.units_); }

 private:
  std::int64_t units_ = 0;
};

/// (ABI 3.3 appended Supplementary and FinalSupplementary: a filing of those kinds comes after the
/// DeclarationFacts that say what it completes or closes; see DeclarationFacts.)
enum class FilingKind {
  PreLoading, PreArrival, Declaration, Amendment, Cancellation, Arrival, Return,
  Supplementary,       ///< completes released declarations of its filer (UK CDS additional types Y, Z)
  FinalSupplementary,  ///< closes an account's period of supplementary declarations (type Q); no goods
};
enum class Nature { Sale, Gift, Sample, Return, Documents, Other };
enum class CollectionModel { Vendor, Intermediary, Consumer, Account };
enum class TransportMode { Air, Sea, Road, Rail, Post, Multimodal };

/// Spellings as in DESIGN.md: "pre-arrival", "sale", "consumer", "air", ...
std::string_view toString(FilingKind v);
std::string_view toString(Nature v);
std::string_view toString(CollectionModel v);
std::string_view toString(TransportMode v);
std::optional<FilingKind> parseFilingKind(std::string_view s);
std::optional<Nature> parseNature(std::string_view s);
std::optional<CollectionModel> parseCollectionModel(std::string_view s);
std::optional<TransportMode> parseTransportMode(std::string_view s);
/// The allowed spellings, comma-separated, for error messages.
std::string allowedFilingKinds();
std::string allowedNatures();
std::string allowedCollectionModels();
std::string allowedTransportModes();

/// True when an amendment, cancellation, arrival or return: it concerns an existing case.
bool concernsExistingCase(FilingKind v);

struct Party {
  std::string name;
  std::string id;            ///< EORI, TIN, platform seller id, postal operator code, ...
  std::string registration;  ///< VAT / IOSS-like registration for tax collected at sale
  std::string platform;      ///< marketplace through which a seller sells
  std::string address;
  std::string country;       ///< ISO 3166-1 alpha-2
  std::string kind;          ///< "person" | "business" | "" (unknown)

  bool operator==(const Party&) const = default;
};

struct Parties {
  std::optional<Party> seller;
  std::optional<Party> buyer;
  std::optional<Party> declarant;  ///< declarant or intermediary (broker, marketplace)
  std::optional<Party> carrier;    ///< carrier or postal operator

  bool operator==(const Parties&) const = default;
};

struct Transport {
  std::optional<TransportMode> mode;
  std::string conveyance;   ///< flight, voyage, vehicle
  std::string master_ref;   ///< master waybill or receptacle id
  std::string departure;    ///< ISO 3166-1 alpha-2
  std::string destination;  ///< ISO 3166-1 alpha-2
  std::string arrival;      ///< expected arrival, RFC 3339 UTC ("2026-11-29T08:00:00Z") or ""

  bool operator==(const Transport&) const = default;
};

struct Document {
  std::string type;  ///< licence, certificate: the partner's or the WCO code
  std::string id;
  std::optional<double> quantity;

  bool operator==(const Document&) const = default;
};

struct Item {
  int sequence = 0;  ///< 1-based, unique within the consignment
  std::string description;
  std::string hs;    ///< 6 to 10 digits
  double quantity = 0;
  std::string unit;  ///< "pce", "kg", "l", "pair", ...
  std::optional<double> net_kg;
  std::optional<double> gross_kg;
  Decimal value;
  std::string currency;  ///< ISO 4217
  std::string origin;    ///< ISO 3166-1 alpha-2
  Nature nature = Nature::Sale;
  std::vector<Document> documents;

  bool operator==(const Item&) const = default;
};

struct Fiscal {
  CollectionModel model = CollectionModel::Consumer;
  bool collected_at_sale = false;
  std::string registration;          ///< the registration under which tax was collected at sale
  std::optional<Decimal> tax_collected;
  std::string tax_currency;
  std::vector<std::string> payment_refs;

  bool operator==(const Fiscal&) const = default;
};

/// Derived by the hub; absent in a filing.
struct Derived {
  std::optional<int> category;  ///< WCO Immediate Release Guidelines category 1..4
  std::optional<Decimal> duties;
  std::optional<Decimal> taxes;
  std::string revenue_currency;
  std::optional<int> risk_score;
  std::vector<std::string> reason_codes;

  bool operator==(const Derived&) const = default;
};

struct Consignment {
  std::string case_id;    ///< assigned by the hub; in a follow-up filing, the case it concerns
  std::string reference;  ///< the partner's: LRN, order id, S10 number, house waybill
  std::string partner;    ///< set by the hub from the caller's identity
  FilingKind filing = FilingKind::PreArrival;
  int version = 1;
  Parties parties;
  Transport transport;
  std::vector<Item> items;
  Fiscal fiscal;
  Derived derived;

  bool operator==(const Consignment&) const = default;
};

/// (ABI 3.3) A document a declaration refers to (WCO DE 2/1, "previous document").
struct PreviousDocument {
  std::string category;  ///< the class: "Y", "Z", "X"
  std::string type;      ///< "SDE" (simplified declaration), "CLE" (entry in records), "DCR", "FSD", ...
  std::string id;        ///< as filed: a hub case id or the filer's own reference; a date for CLE, ...
  std::string location;  ///< where it is in the message, for errors ("/MetaData/.../PreviousDocument[2]/ID")

  bool operator==(const PreviousDocument&) const = default;
};

/// (ABI 3.3) What a final supplementary declaration reports of one type of supplementary
/// declaration for its period.
struct SupplementaryCount {
  std::string type;   ///< additional declaration type: "Y" or "Z"
  int finalised = 0;  ///< filed and finalised in the period
  int due = 0;        ///< due for the period

  bool operator==(const SupplementaryCount&) const = default;
};

/// (ABI 3.3) A tax total that a final supplementary declaration reports for its period.
struct ReportedTotal {
  std::string tax;  ///< the hub's tax name: "duty", "vat", ...
  Decimal amount;
  std::string currency;  ///< ISO 4217
  std::string location;  ///< where it is in the message

  bool operator==(const ReportedTotal&) const = default;
};

/// (ABI 3.3) What a declaration declares beyond its consignment. A decoder yields it immediately
/// before the DecodedFiling it belongs to (one Decoded each, in that order); the hub refuses a
/// filing of kind Supplementary or FinalSupplementary without it, and facts that no filing follows.
/// Plain data: it serialises when a plugin runs in a process of its own.
struct DeclarationFacts {
  /// The additional declaration type as filed (UK CDS DE 1/2: "A", "C", "Y", "Z", "Q", ...).
  std::string additional_type;
  /// A simplified declaration (CDS types B, C, E, F, J, K): a supplementary declaration must
  /// complete it; a final supplementary counts it as due.
  bool simplified = false;
  /// Supplementary: the declarations it completes (at least one), each a released or cleared case
  /// of its filer named by the hub's case id or the filer's reference.
  std::vector<PreviousDocument> completes;
  /// FinalSupplementary: the account it closes ("" = its filer's) and the period, "YYYY-MM".
  std::string account;
  std::string period;
  /// FinalSupplementary: the supplementary declarations it reports, per type, and the totals.
  std::vector<SupplementaryCount> counts;
  std::vector<ReportedTotal> totals;

  bool operator==(const DeclarationFacts&) const = default;
};

/// A non-consignment message that names a case: a payment confirmed, a refund executed.
struct HubEvent {
  enum class Kind { PaymentConfirmed, RefundExecuted };
  Kind kind = Kind::PaymentConfirmed;
  std::string case_id;    ///< either the hub's case id ...
  std::string reference;  ///< ... or the partner reference of the case
  std::string transaction_id;
  Decimal amount;
  std::string currency;
  std::string at;  ///< RFC 3339 UTC
  /// (ABI 3.0) A refund: the transaction_id of the payment of this case that it gives back
  /// (required; the hub refuses a refund of no settled payment, in another currency, or of more
  /// than what that payment left unrefunded). Empty for a payment.
  std::string refunded_transaction_id;

  bool operator==(const HubEvent&) const = default;
};

/// What a partner is told about one of its cases, encoded by its plugin.
struct Notification {
  std::string id;         ///< stable delivery id: receivers drop duplicates by it
  std::string case_id;
  std::string reference;
  std::string event;      ///< "accepted", "released", "held", "do-not-load", ...
  std::string state;      ///< the case state after the event, as the API spells it
  std::string reason;
  std::string at;         ///< RFC 3339 UTC
  std::vector<std::pair<std::string, std::string>> details;  ///< extra facts, in order

  bool operator==(const Notification&) const = default;
};

/// Bytes in a partner's format with their content type.
struct EncodedMessage {
  std::string content_type;
  std::string body;
};

}  // namespace swhub::sdk
