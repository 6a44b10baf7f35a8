#include "plugin/wire_codec.hpp"

#include <cstring>

namespace swhub::plugin::wire {

void Writer::u32(std::uint32_t v) {
  char b[4];
  for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out_.append(b, 4);
}

void Writer::u64(std::uint64_t v) {
  char b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
  out_.append(b, 8);
}

void Writer::f64(double v) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  u64(bits);
}

void Writer::bytes(std::string_view v) {
  u32(static_cast<std::uint32_t>(v.size()));
  out_.append(v.data(), v.size());
}

const char* Reader::take(std::size_t n) {
  if (in_.size() - at_ < n) throw WireError("the payload ends too early");
  const char* p = in_.data() + at_;
  at_ += n;
  return p;
}

std::uint8_t Reader::u8() { return static_cast<std::uint8_t>(*take(1)); }

std::uint32_t Reader::u32() {
  const char* p = take(4);
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

std::uint64_t Reader::u64() {
  const char* p = take(8);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

double Reader::f64() {
  const std::uint64_t bits = u64();
  double v = 0;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

std::string Reader::bytes() {
  const std::uint32_t n = u32();
  const char* p = take(n);
  return std::string(p, n);
}

std::uint32_t Reader::count(std::size_t minItemBytes) {
  const std::uint32_t n = u32();
  if (minItemBytes > 0 && n > (in_.size() - at_) / minItemBytes) throw WireError("a list longer than its payload");
  return n;
}

void get(Reader& r, bool& v) {
  const auto b = r.u8();
  if (b > 1) throw WireError("a boolean that is neither 0 nor 1");
  v = b == 1;
}

void get(Reader& r, int& v) {
  const auto wide = static_cast<std::int64_t>(r.u64());
  if (wide < INT32_MIN || wide > INT32_MAX) throw WireError("an int out of range");
  v = static_cast<int>(wide);
}

void get(Reader& r, std::int64_t& v) { v = static_cast<std::int64_t>(r.u64()); }

namespace {

template <class E>
void putEnum(Writer& w, E v) {
  w.u8(static_cast<std::uint8_t>(v));
}

// Reads an enum whose values are 0..last; anything else is not a value the hub can use.
template <class E>
void getEnum(Reader& r, E& v, E last, const char* what) {
  const auto raw = r.u8();
  if (raw > static_cast<std::uint8_t>(last)) {
    throw WireError(std::string("an unknown ") + what + " (" + std::to_string(raw) + ")");
  }
  v = static_cast<E>(raw);
}

// An enum read from the plugin's own memory may hold any bits: keep them whole (u8 255 when not a
// byte) so that the hub's reader refuses them rather than a truncation making them valid.
template <class E>
void putChecked(Writer& w, E v) {
  const auto raw = static_cast<long long>(v);
  w.u8(raw < 0 || raw > 254 ? 255 : static_cast<std::uint8_t>(raw));
}

}  // namespace

void put(Writer& w, const sdk::Decimal& v) { put(w, v.units()); }
void get(Reader& r, sdk::Decimal& v) {
  std::int64_t units = 0;
  get(r, units);
  v = sdk::Decimal::fromUnits(units);
}

void put(Writer& w, const sdk::FilingKind& v) { putChecked(w, v); }
void get(Reader& r, sdk::FilingKind& v) { getEnum(r, v, sdk::FilingKind::FinalSupplementary, "filing kind"); }
void put(Writer& w, const sdk::Nature& v) { putChecked(w, v); }
void get(Reader& r, sdk::Nature& v) { getEnum(r, v, sdk::Nature::Other, "nature"); }
void put(Writer& w, const sdk::CollectionModel& v) { putChecked(w, v); }
void get(Reader& r, sdk::CollectionModel& v) { getEnum(r, v, sdk::CollectionModel::Account, "collection model"); }
void put(Writer& w, const sdk::TransportMode& v) { putChecked(w, v); }
void get(Reader& r, sdk::TransportMode& v) { getEnum(r, v, sdk::TransportMode::Multimodal, "transport mode"); }
void put(Writer& w, const sdk::PluginKind& v) { putEnum(w, v); }
void get(Reader& r, sdk::PluginKind& v) { getEnum(r, v, sdk::PluginKind::Adapter, "plugin kind"); }

// A Value keeps its type and its text as written (an HS code "0101" read as an integer stays
// "0101"), its line and column, and its children.
void put(Writer& w, const sdk::Value& v) {
  putEnum(w, v.type());
  put(w, v.asString());
  put(w, v.type() == sdk::ValueType::Bool && v.asBool());
  put(w, v.type() == sdk::ValueType::Int ? v.asInt() : std::int64_t{0});
  put(w, v.type() == sdk::ValueType::Double ? v.asDouble() : 0.0);
  put(w, v.items());
  w.u32(static_cast<std::uint32_t>(v.entries().size()));
  for (const auto& [key, child] : v.entries()) {
    put(w, key);
    put(w, child);
  }
  put(w, v.line);
  put(w, v.column);
}

void get(Reader& r, sdk::Value& v) {
  sdk::ValueType type = sdk::ValueType::Null;
  getEnum(r, type, sdk::ValueType::Map, "value type");
  std::string text;
  bool b = false;
  std::int64_t i = 0;
  double d = 0;
  get(r, text);
  get(r, b);
  get(r, i);
  get(r, d);
  std::vector<sdk::Value> items;
  get(r, items);
  const std::uint32_t n = r.count();
  std::vector<sdk::Value::Entry> entries;
  for (std::uint32_t k = 0; k < n; ++k) {
    // Built from its parts: clang cannot default-construct the pair of a type still incomplete
    // where the pair was named (Value::Entry inside Value).
    std::string key;
    sdk::Value value;
    get(r, key);
    get(r, value);
    entries.emplace_back(std::move(key), std::move(value));
  }
  switch (type) {
    case sdk::ValueType::Null: v = sdk::Value(); break;
    case sdk::ValueType::List: v = sdk::Value::list(std::move(items)); break;
    case sdk::ValueType::Map: v = sdk::Value::map(std::move(entries)); break;
    case sdk::ValueType::String: v = sdk::Value::string(std::move(text)); break;
    default: {
      // A plain scalar keeps its text when the YAML reading of it gives the same value back.
      sdk::Value plain = sdk::Value::plain(text);
      const bool same = plain.type() == type &&
                        (type == sdk::ValueType::Bool ? plain.asBool() == b
                         : type == sdk::ValueType::Int ? plain.asInt() == i
                                                       : plain.asDouble() == d || (d != d && plain.asDouble() != plain.asDouble()));
      if (same) {
        v = std::move(plain);
      } else {
        v = type == sdk::ValueType::Bool ? sdk::Value::boolean(b)
            : type == sdk::ValueType::Int ? sdk::Value::integer(i)
                                          : sdk::Value::number(d);
      }
    }
  }
  get(r, v.line);
  get(r, v.column);
}

void put(Writer& w, const sdk::Error& v) { put(w, v.path); put(w, v.message); }
void get(Reader& r, sdk::Error& v) { get(r, v.path); get(r, v.message); }

void put(Writer& w, const sdk::Party& v) {
  put(w, v.name); put(w, v.id); put(w, v.registration); put(w, v.platform); put(w, v.address); put(w, v.country);
  put(w, v.kind);
}
void get(Reader& r, sdk::Party& v) {
  get(r, v.name); get(r, v.id); get(r, v.registration); get(r, v.platform); get(r, v.address); get(r, v.country);
  get(r, v.kind);
}

void put(Writer& w, const sdk::Parties& v) { put(w, v.seller); put(w, v.buyer); put(w, v.declarant); put(w, v.carrier); }
void get(Reader& r, sdk::Parties& v) { get(r, v.seller); get(r, v.buyer); get(r, v.declarant); get(r, v.carrier); }

void put(Writer& w, const sdk::Transport& v) {
  put(w, v.mode); put(w, v.conveyance); put(w, v.master_ref); put(w, v.departure); put(w, v.destination);
  put(w, v.arrival);
}
void get(Reader& r, sdk::Transport& v) {
  get(r, v.mode); get(r, v.conveyance); get(r, v.master_ref); get(r, v.departure); get(r, v.destination);
  get(r, v.arrival);
}

void put(Writer& w, const sdk::Document& v) { put(w, v.type); put(w, v.id); put(w, v.quantity); }
void get(Reader& r, sdk::Document& v) { get(r, v.type); get(r, v.id); get(r, v.quantity); }

void put(Writer& w, const sdk::Item& v) {
  put(w, v.sequence); put(w, v.description); put(w, v.hs); put(w, v.quantity); put(w, v.unit); put(w, v.net_kg);
  put(w, v.gross_kg); put(w, v.value); put(w, v.currency); put(w, v.origin); put(w, v.nature); put(w, v.documents);
}
void get(Reader& r, sdk::Item& v) {
  get(r, v.sequence); get(r, v.description); get(r, v.hs); get(r, v.quantity); get(r, v.unit); get(r, v.net_kg);
  get(r, v.gross_kg); get(r, v.value); get(r, v.currency); get(r, v.origin); get(r, v.nature); get(r, v.documents);
}

void put(Writer& w, const sdk::Fiscal& v) {
  put(w, v.model); put(w, v.collected_at_sale); put(w, v.registration); put(w, v.tax_collected);
  put(w, v.tax_currency); put(w, v.payment_refs);
}
void get(Reader& r, sdk::Fiscal& v) {
  get(r, v.model); get(r, v.collected_at_sale); get(r, v.registration); get(r, v.tax_collected);
  get(r, v.tax_currency); get(r, v.payment_refs);
}

void put(Writer& w, const sdk::Derived& v) {
  put(w, v.category); put(w, v.duties); put(w, v.taxes); put(w, v.revenue_currency); put(w, v.risk_score);
  put(w, v.reason_codes);
}
void get(Reader& r, sdk::Derived& v) {
  get(r, v.category); get(r, v.duties); get(r, v.taxes); get(r, v.revenue_currency); get(r, v.risk_score);
  get(r, v.reason_codes);
}

void put(Writer& w, const sdk::Consignment& v) {
  put(w, v.case_id); put(w, v.reference); put(w, v.partner); put(w, v.filing); put(w, v.version);
  put(w, v.parties); put(w, v.transport); put(w, v.items); put(w, v.fiscal); put(w, v.derived);
}
void get(Reader& r, sdk::Consignment& v) {
  get(r, v.case_id); get(r, v.reference); get(r, v.partner); get(r, v.filing); get(r, v.version);
  get(r, v.parties); get(r, v.transport); get(r, v.items); get(r, v.fiscal); get(r, v.derived);
}

void put(Writer& w, const sdk::HubEvent& v) {
  putChecked(w, v.kind); put(w, v.case_id); put(w, v.reference); put(w, v.transaction_id); put(w, v.amount);
  put(w, v.currency); put(w, v.at); put(w, v.refunded_transaction_id);
}
void get(Reader& r, sdk::HubEvent& v) {
  getEnum(r, v.kind, sdk::HubEvent::Kind::RefundExecuted, "event kind");
  get(r, v.case_id); get(r, v.reference); get(r, v.transaction_id); get(r, v.amount);
  get(r, v.currency); get(r, v.at); get(r, v.refunded_transaction_id);
}

void put(Writer& w, const sdk::Notification& v) {
  put(w, v.id); put(w, v.case_id); put(w, v.reference); put(w, v.event); put(w, v.state); put(w, v.reason);
  put(w, v.at); put(w, v.details);
}
void get(Reader& r, sdk::Notification& v) {
  get(r, v.id); get(r, v.case_id); get(r, v.reference); get(r, v.event); get(r, v.state); get(r, v.reason);
  get(r, v.at); get(r, v.details);
}

void put(Writer& w, const sdk::EncodedMessage& v) { put(w, v.content_type); put(w, v.body); }
void get(Reader& r, sdk::EncodedMessage& v) { get(r, v.content_type); get(r, v.body); }

void put(Writer& w, const sdk::MessageContext& v) {
  put(w, v.partner); put(w, v.content_type); put(w, v.headers); put(w, v.received_at);
}
void get(Reader& r, sdk::MessageContext& v) {
  get(r, v.partner); get(r, v.content_type); get(r, v.headers); get(r, v.received_at);
}

void put(Writer& w, const sdk::DecodedFiling& v) { put(w, v.consignment); put(w, v.location); }
void get(Reader& r, sdk::DecodedFiling& v) { get(r, v.consignment); get(r, v.location); }

void put(Writer& w, const sdk::PreviousDocument& v) {
  put(w, v.category); put(w, v.type); put(w, v.id); put(w, v.location);
}
void get(Reader& r, sdk::PreviousDocument& v) {
  get(r, v.category); get(r, v.type); get(r, v.id); get(r, v.location);
}
void put(Writer& w, const sdk::SupplementaryCount& v) { put(w, v.type); put(w, v.finalised); put(w, v.due); }
void get(Reader& r, sdk::SupplementaryCount& v) { get(r, v.type); get(r, v.finalised); get(r, v.due); }
void put(Writer& w, const sdk::ReportedTotal& v) {
  put(w, v.tax); put(w, v.amount); put(w, v.currency); put(w, v.location);
}
void get(Reader& r, sdk::ReportedTotal& v) {
  get(r, v.tax); get(r, v.amount); get(r, v.currency); get(r, v.location);
}
void put(Writer& w, const sdk::DeclarationFacts& v) {
  put(w, v.additional_type); put(w, v.simplified); put(w, v.completes); put(w, v.account); put(w, v.period);
  put(w, v.counts); put(w, v.totals);
}
void get(Reader& r, sdk::DeclarationFacts& v) {
  get(r, v.additional_type); get(r, v.simplified); get(r, v.completes); get(r, v.account); get(r, v.period);
  get(r, v.counts); get(r, v.totals);
}

void put(Writer& w, const sdk::Decoded& v) {
  w.u8(static_cast<std::uint8_t>(v.index()));
  std::visit([&](const auto& alternative) { put(w, alternative); }, v);
}
void get(Reader& r, sdk::Decoded& v) {
  switch (r.u8()) {
    case 0: { sdk::DecodedFiling f; get(r, f); v = std::move(f); break; }
    case 1: { sdk::HubEvent e; get(r, e); v = std::move(e); break; }
    case 2: { sdk::Errors e; get(r, e); v = std::move(e); break; }
    case 3: { sdk::DeclarationFacts f; get(r, f); v = std::move(f); break; }
    default: throw WireError("an unknown kind of decoded piece");
  }
}

void put(Writer& w, const sdk::Availability& v) { put(w, v.unavailable_types); put(w, v.reason); }
void get(Reader& r, sdk::Availability& v) { get(r, v.unavailable_types); get(r, v.reason); }

void put(Writer& w, const sdk::PartyProfile& v) {
  put(w, v.role); put(w, v.id); put(w, v.cases_seen); put(w, v.cases_held); put(w, v.trusted);
}
void get(Reader& r, sdk::PartyProfile& v) {
  get(r, v.role); get(r, v.id); get(r, v.cases_seen); get(r, v.cases_held); get(r, v.trusted);
}

void put(Writer& w, const sdk::AssessmentRequest& v) {
  put(w, v.consignment); put(w, v.parties); put(w, v.agency); put(w, v.received_at);
}
void get(Reader& r, sdk::AssessmentRequest& v) {
  get(r, v.consignment); get(r, v.parties); get(r, v.agency); get(r, v.received_at);
}

void put(Writer& w, const sdk::Decision& v) {
  put(w, v.decision); put(w, v.reason); put(w, v.items); put(w, v.reason_codes); put(w, v.risk_score);
  put(w, v.duties); put(w, v.taxes);
}
void get(Reader& r, sdk::Decision& v) {
  get(r, v.decision); get(r, v.reason); get(r, v.items); get(r, v.reason_codes); get(r, v.risk_score);
  get(r, v.duties); get(r, v.taxes);
}

void put(Writer& w, const sdk::Assessment& v) { put(w, v.pending); put(w, v.decisions); }
void get(Reader& r, sdk::Assessment& v) { get(r, v.pending); get(r, v.decisions); }

void put(Writer& w, const sdk::RiskReason& v) { put(w, v.code); put(w, v.weight); put(w, v.detail); }
void get(Reader& r, sdk::RiskReason& v) { get(r, v.code); get(r, v.weight); get(r, v.detail); }

void put(Writer& w, const sdk::RevenueLine& v) {
  put(w, v.tax); put(w, v.item); put(w, v.base); put(w, v.rate); put(w, v.amount); put(w, v.currency);
  put(w, v.why); put(w, v.collected_at_sale);
}
void get(Reader& r, sdk::RevenueLine& v) {
  get(r, v.tax); get(r, v.item); get(r, v.base); get(r, v.rate); get(r, v.amount); get(r, v.currency);
  get(r, v.why); get(r, v.collected_at_sale);
}

void put(Writer& w, const sdk::Findings& v) {
  put(w, v.category); put(w, v.risk_score); put(w, v.risk_reasons); put(w, v.revenue_assessed); put(w, v.model);
  put(w, v.model_reason); put(w, v.revenue); put(w, v.due); put(w, v.currency);
}
void get(Reader& r, sdk::Findings& v) {
  get(r, v.category); get(r, v.risk_score); get(r, v.risk_reasons); get(r, v.revenue_assessed); get(r, v.model);
  get(r, v.model_reason); get(r, v.revenue); get(r, v.due); get(r, v.currency);
}

void put(Writer& w, const sdk::CaseAssessment& v) { put(w, v.assessment); put(w, v.findings); }
void get(Reader& r, sdk::CaseAssessment& v) { get(r, v.assessment); get(r, v.findings); }

void put(Writer& w, const sdk::DeliveryItem& v) {
  put(w, v.id); put(w, v.kind); put(w, v.recipient); put(w, v.content_type); put(w, v.body); put(w, v.attempt);
}
void get(Reader& r, sdk::DeliveryItem& v) {
  get(r, v.id); get(r, v.kind); get(r, v.recipient); get(r, v.content_type); get(r, v.body); get(r, v.attempt);
}

void put(Writer& w, const sdk::DeliveryOutcome& v) {
  putChecked(w, v.status);
  put(w, v.detail);
  std::optional<std::int64_t> after;
  if (v.retry_after) after = static_cast<std::int64_t>(v.retry_after->count());
  put(w, after);
}
void get(Reader& r, sdk::DeliveryOutcome& v) {
  getEnum(r, v.status, sdk::DeliveryOutcome::Status::FailedForGood, "delivery status");
  get(r, v.detail);
  std::optional<std::int64_t> after;
  get(r, after);
  v.retry_after.reset();
  if (after) v.retry_after = std::chrono::milliseconds(*after);
}

void put(Writer& w, const sdk::InstanceContext& v) { put(w, v.id); put(w, v.path); put(w, v.settings); put(w, v.config_dir); }
void get(Reader& r, sdk::InstanceContext& v) { get(r, v.id); get(r, v.path); get(r, v.settings); get(r, v.config_dir); }

}  // namespace swhub::plugin::wire
