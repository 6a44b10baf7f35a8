// Canonical JSON -> sdk::Consignment with every error as a JSON pointer.
//
// Filings are read with RapidJSON (a DOM in one arena per message: about ten times faster than
// POCO's parser, which was 9 % of the hub's CPU under filing load); plugin notifications, off the
// filing path, with POCO.

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstring>
#include <initializer_list>

#include "model/canonical_json.hpp"
#include "model/json_read.hpp"
#include "model/notification_details.hpp"
#include "model/text_util.hpp"
#include "model/validation_merge.hpp"

namespace swhub::model {

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;
using sdk::Decimal;
using sdk::Errors;
using Value = rapidjson::Value;

std::string typeOf(const Var& v) {
  if (v.isEmpty()) return "null";
  if (v.type() == typeid(Object::Ptr)) return "object";
  if (v.type() == typeid(Array::Ptr)) return "array";
  if (v.isString()) return "string";
  if (v.isBoolean()) return "boolean";
  if (v.isNumeric()) return "number";
  return "unknown";
}

std::string typeOf(const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "boolean";
    case rapidjson::kObjectType: return "object";
    case rapidjson::kArrayType: return "array";
    case rapidjson::kStringType: return "string";
    case rapidjson::kNumberType: return "number";
  }
  return "unknown";
}

// Escapes a member name for a JSON pointer (RFC 6901).
std::string pointerToken(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

// The document's own handler. It refuses, before the parser goes on: nesting deeper than the
// limit (before it recurses); a string or member name that is not UTF-8; a number past a double's
// range. Numbers come as their text (the parser runs with kParseNumbersAsStringsFlag) and are read
// here: RapidJSON 1.1.0's default reading of a number is not always the nearest double past 15
// significant digits (1.3333333333336665 read as ...663), so the shortest text the encoder writes
// for a double did not read back as that double and a consignment changed through its own JSON;
// its full-precision mode is worse (see Parse). std::from_chars gives the nearest double,
// locale-free.
class DepthLimited {
 public:
  // Why the handler stopped the parser (the parser then reports kParseErrorTermination).
  enum class Refusal { None, TooDeep, Surrogate, NumberTooBig, NumberUnread };

  DepthLimited(rapidjson::Document& document, unsigned limit) : d_(document), limit_(limit) {}
  Refusal refusal() const { return refusal_; }

  bool Null() { return d_.Null(); }
  bool Bool(bool b) { return d_.Bool(b); }
  bool Int(int i) { return d_.Int(i); }
  bool Uint(unsigned u) { return d_.Uint(u); }
  bool Int64(std::int64_t i) { return d_.Int64(i); }
  bool Uint64(std::uint64_t u) { return d_.Uint64(u); }
  bool Double(double x) { return d_.Double(x); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) { return number(std::string_view(s, n)); }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return utf8(s, n) && d_.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return utf8(s, n) && d_.Key(s, n, copy); }
  bool StartObject() { return deeper() && d_.StartObject(); }
  bool EndObject(rapidjson::SizeType members) { --depth_; return d_.EndObject(members); }
  bool StartArray() { return deeper() && d_.StartArray(); }
  bool EndArray(rapidjson::SizeType elements) { --depth_; return d_.EndArray(elements); }

 private:
  bool refuse(Refusal why) {
    refusal_ = why;
    return false;
  }
  bool deeper() { return ++depth_ <= limit_ || refuse(Refusal::TooDeep); }
  // The body's own bytes are valid UTF-8 (checked before parsing), so a decoded string that is
  // not was made by an escape: RapidJSON 1.1.0 pairs a high surrogate's \u escape with the low
  // one that must follow, but writes a lone low one (\udc00 to \udfff) out as it is, and text
  // that is not UTF-8 would then reach every encoder, journal column and partner downstream.
  bool utf8(const char* s, rapidjson::SizeType n) {
    return detail::invalidUtf8At(std::string_view(s, n)) == std::string_view::npos || refuse(Refusal::Surrogate);
  }
  // As RapidJSON types numbers: an integer that fits 64 bits is one (signed when negative), any
  // other number a double. The parser has checked the syntax and refused most numbers too big.
  bool number(std::string_view text) {
    const char* first = text.data();
    const char* last = first + text.size();
    if (text.find_first_of(".eE") == std::string_view::npos) {
      if (text.front() == '-') {
        std::int64_t i = 0;
        if (auto [end, ec] = std::from_chars(first, last, i); ec == std::errc() && end == last) return d_.Int64(i);
      } else {
        std::uint64_t u = 0;
        if (auto [end, ec] = std::from_chars(first, last, u); ec == std::errc() && end == last) return d_.Uint64(u);
      }
    }
    double x = 0;
    const auto [end, ec] = std::from_chars(first, last, x);
    if (ec == std::errc::result_out_of_range) {
      // Past a double's range: too big when its exponent is positive (1.9e308; the parser refuses
      // larger ones itself), too small otherwise (1e-400, 0.000...1): zero, as strtod reads it.
      const auto e = text.find_first_of("eE");
      if (e != std::string_view::npos && text[e + 1] != '-') return refuse(Refusal::NumberTooBig);
      x = text.front() == '-' ? -0.0 : 0.0;
    } else if (ec != std::errc() || end != last) {
      return refuse(Refusal::NumberUnread);  // JSON's number syntax, checked by the parser, is from_chars'
    }
    return d_.Double(x);
  }

  rapidjson::Document& d_;
  const unsigned limit_;
  unsigned depth_ = 0;
  Refusal refusal_ = Refusal::None;
};

// The byte at an offset, as a person reads it.
std::string byteAt(std::string_view body, std::size_t at) {
  const auto c = static_cast<unsigned char>(body[at]);
  if (c >= 0x21 && c < 0x7f) return std::string("'") + static_cast<char>(c) + "'";
  static const char* hex = "0123456789abcdef";
  return std::string("byte 0x") + hex[c >> 4] + hex[c & 15];
}

// What is wrong with a body RapidJSON refused, and where.
std::string syntaxError(const rapidjson::ParseResult& r, std::string_view body) {
  const std::size_t at = r.Offset();
  const std::string where = " at byte " + std::to_string(at);
  if (r.Code() == rapidjson::kParseErrorDocumentEmpty) return "the body holds no JSON value";
  if (at >= body.size()) return "unexpected end of input";
  switch (r.Code()) {
    case rapidjson::kParseErrorDocumentRootNotSingular: return "more than one value at the top: " + byteAt(body, at) + where;
    case rapidjson::kParseErrorValueInvalid: return "unexpected " + byteAt(body, at) + " in value" + where;
    case rapidjson::kParseErrorObjectMissName: return "expected a member name in quotes" + where;
    case rapidjson::kParseErrorObjectMissColon: return "expected ':' after a member name" + where;
    case rapidjson::kParseErrorObjectMissCommaOrCurlyBracket: return "expected ',' or '}' in an object" + where;
    case rapidjson::kParseErrorArrayMissCommaOrSquareBracket: return "expected ',' or ']' in an array" + where;
    case rapidjson::kParseErrorStringEscapeInvalid:
      // RapidJSON says so of a control character written as is, too.
      if (static_cast<unsigned char>(body[at]) < 0x20) return "unescaped control " + byteAt(body, at) + " in a string" + where;
      return "invalid escape in a string" + where;
    case rapidjson::kParseErrorStringUnicodeEscapeInvalidHex:
    case rapidjson::kParseErrorStringUnicodeSurrogateInvalid: return "invalid escape in a string" + where;
    case rapidjson::kParseErrorStringMissQuotationMark: return "unterminated string" + where;
    case rapidjson::kParseErrorStringInvalidEncoding: return "invalid UTF-8" + where;
    case rapidjson::kParseErrorNumberTooBig: return "number too big" + where;
    case rapidjson::kParseErrorNumberMissFraction:
    case rapidjson::kParseErrorNumberMissExponent: return "malformed number" + where;
    default: return std::string(rapidjson::GetParseError_En(r.Code())) + where;
  }
}

class Reader;

// The members of one JSON object: unknown names are reported on construction, known ones read on
// request, a missing required one reported at its own pointer.
class Fields {
 public:
  Fields(Reader& reader, const Value& object, std::string path, std::initializer_list<std::string_view> known);

  std::string at(std::string_view name) const { return path_ + "/" + std::string(name); }
  // The member's value, or nullptr when absent or null (a missing required one is reported).
  const Value* get(std::string_view name, bool required);

  void string(std::string_view name, std::string& out, bool required = false);
  void integer(std::string_view name, int& out, int min, bool required = false);
  void number(std::string_view name, double& out, bool required = false);
  void number(std::string_view name, std::optional<double>& out);
  void decimal(std::string_view name, Decimal& out, bool required = false);
  void decimal(std::string_view name, std::optional<Decimal>& out);
  void boolean(std::string_view name, bool& out);
  void strings(std::string_view name, std::vector<std::string>& out);
  template <class E, class Parse>
  void enumeration(std::string_view name, E& out, Parse parse, const std::string& allowed, bool required);

 private:
  Reader& reader_;
  const Value& object_;
  std::string path_;
};

class Reader {
 public:
  explicit Reader(const DecodeOptions& options) : options_(options) {}

  Errors& errors() { return errors_; }
  void add(std::string path, std::string message) { errors_.push_back({std::move(path), std::move(message)}); }
  void wrongType(const std::string& path, std::string_view expected, const Value& v) {
    add(path, "expected " + std::string(expected) + ", got " + typeOf(v));
  }
  const Value* object(const Value& v, const std::string& path) {
    if (v.IsObject()) return &v;
    wrongType(path, "object", v);
    return nullptr;
  }
  const Value* array(const Value& v, const std::string& path) {
    if (v.IsArray()) return &v;
    wrongType(path, "array", v);
    return nullptr;
  }

  void consignment(const Value& obj, const std::string& path, sdk::Consignment& c) {
    Fields f(*this, obj, path,
             {"case_id", "reference", "partner", "filing", "version", "parties", "transport", "fiscal", "items",
              "derived"});
    f.string("case_id", c.case_id);
    f.string("reference", c.reference);
    if (f.get("partner", false)) {
      if (options_.allow_hub_fields) f.string("partner", c.partner);
      else add(f.at("partner"), "'partner' is set by the hub, not by a filing");
    }
    f.enumeration("filing", c.filing, sdk::parseFilingKind, sdk::allowedFilingKinds(), true);
    f.integer("version", c.version, INT_MIN);
    if (const Value* v = f.get("parties", false)) parties(*v, f.at("parties"), c.parties);
    if (const Value* v = f.get("transport", false)) transport(*v, f.at("transport"), c.transport);
    if (const Value* v = f.get("fiscal", false)) fiscal(*v, f.at("fiscal"), c.fiscal);
    if (const Value* v = f.get("items", false)) items(*v, f.at("items"), c.items);
    if (const Value* v = f.get("derived", false)) {
      if (options_.allow_hub_fields) derived(*v, f.at("derived"), c.derived);
      else add(f.at("derived"), "'derived' is set by the hub, not by a filing");
    }
  }

 private:
  void parties(const Value& v, const std::string& path, sdk::Parties& p) {
    const Value* obj = object(v, path);
    if (!obj) return;
    Fields f(*this, *obj, path, {"seller", "buyer", "declarant", "carrier"});
    const std::pair<std::string_view, std::optional<sdk::Party>*> roles[] = {
        {"seller", &p.seller}, {"buyer", &p.buyer}, {"declarant", &p.declarant}, {"carrier", &p.carrier}};
    for (const auto& [role, slot] : roles) {
      const Value* pv = f.get(role, false);
      if (!pv) continue;
      const std::string at = f.at(role);
      const Value* po = object(*pv, at);
      if (!po) continue;
      sdk::Party& party = slot->emplace();
      Fields pf(*this, *po, at, {"name", "id", "registration", "platform", "address", "country", "kind"});
      pf.string("name", party.name);
      pf.string("id", party.id);
      pf.string("registration", party.registration);
      pf.string("platform", party.platform);
      pf.string("address", party.address);
      pf.string("country", party.country);
      pf.string("kind", party.kind);
      if (!party.kind.empty() && party.kind != "person" && party.kind != "business")
        add(pf.at("kind"), "'" + party.kind + "' is not one of: person, business");
    }
  }

  void transport(const Value& v, const std::string& path, sdk::Transport& t) {
    const Value* obj = object(v, path);
    if (!obj) return;
    Fields f(*this, *obj, path, {"mode", "conveyance", "master_ref", "departure", "destination", "arrival"});
    if (f.get("mode", false)) {
      sdk::TransportMode mode{};
      const std::size_t before = errors_.size();
      f.enumeration("mode", mode, sdk::parseTransportMode, sdk::allowedTransportModes(), false);
      if (errors_.size() == before) t.mode = mode;
    }
    f.string("conveyance", t.conveyance);
    f.string("master_ref", t.master_ref);
    f.string("departure", t.departure);
    f.string("destination", t.destination);
    f.string("arrival", t.arrival);
  }

  void fiscal(const Value& v, const std::string& path, sdk::Fiscal& fi) {
    const Value* obj = object(v, path);
    if (!obj) return;
    Fields f(*this, *obj, path,
             {"model", "collected_at_sale", "registration", "tax_collected", "tax_currency", "payment_refs"});
    f.enumeration("model", fi.model, sdk::parseCollectionModel, sdk::allowedCollectionModels(), false);
    f.boolean("collected_at_sale", fi.collected_at_sale);
    f.string("registration", fi.registration);
    f.decimal("tax_collected", fi.tax_collected);
    f.string("tax_currency", fi.tax_currency);
    f.strings("payment_refs", fi.payment_refs);
  }

  void items(const Value& v, const std::string& path, std::vector<sdk::Item>& out) {
    const Value* arr = array(v, path);
    if (!arr) return;
    if (arr->Size() > options_.max_items)
      return add(path, std::to_string(arr->Size()) + " items: at most " + std::to_string(options_.max_items) +
                           " per consignment");
    out.resize(arr->Size());
    for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
      out[i].sequence = static_cast<int>(i) + 1;
      const std::string at = path + "/" + std::to_string(i);
      const Value* obj = object((*arr)[i], at);
      if (!obj) continue;
      item(*obj, at, out[i]);
    }
  }

  void item(const Value& obj, const std::string& path, sdk::Item& it) {
    Fields f(*this, obj, path,
             {"sequence", "description", "hs", "quantity", "unit", "net_kg", "gross_kg", "value", "currency",
              "origin", "nature", "documents"});
    f.integer("sequence", it.sequence, INT_MIN);
    f.string("description", it.description, true);
    f.string("hs", it.hs, true);
    f.number("quantity", it.quantity, true);
    f.string("unit", it.unit, true);
    f.number("net_kg", it.net_kg);
    f.number("gross_kg", it.gross_kg);
    f.decimal("value", it.value, true);
    f.string("currency", it.currency, true);
    f.string("origin", it.origin, true);
    f.enumeration("nature", it.nature, sdk::parseNature, sdk::allowedNatures(), false);
    const Value* docs = f.get("documents", false);
    if (!docs) return;
    const Value* arr = array(*docs, f.at("documents"));
    if (!arr) return;
    it.documents.resize(arr->Size());
    for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
      const std::string at = f.at("documents") + "/" + std::to_string(i);
      const Value* dobj = object((*arr)[i], at);
      if (!dobj) continue;
      Fields df(*this, *dobj, at, {"type", "id", "quantity"});
      df.string("type", it.documents[i].type, true);
      df.string("id", it.documents[i].id);
      df.number("quantity", it.documents[i].quantity);
    }
  }

  void derived(const Value& v, const std::string& path, sdk::Derived& d) {
    const Value* obj = object(v, path);
    if (!obj) return;
    Fields f(*this, *obj, path, {"category", "duties", "taxes", "revenue_currency", "risk_score", "reason_codes"});
    if (f.get("category", false)) f.integer("category", d.category.emplace(), INT_MIN);
    f.decimal("duties", d.duties);
    f.decimal("taxes", d.taxes);
    f.string("revenue_currency", d.revenue_currency);
    if (f.get("risk_score", false)) f.integer("risk_score", d.risk_score.emplace(), INT_MIN);
    f.strings("reason_codes", d.reason_codes);
  }

  const DecodeOptions& options_;
  Errors errors_;
};

Fields::Fields(Reader& reader, const Value& object, std::string path, std::initializer_list<std::string_view> known)
    : reader_(reader), object_(object), path_(std::move(path)) {
  for (const auto& member : object_.GetObject()) {
    const std::string_view name(member.name.GetString(), member.name.GetStringLength());
    if (std::find(known.begin(), known.end(), name) == known.end())
      reader_.add(path_ + "/" + pointerToken(name), "unknown field '" + std::string(name) + "'");
  }
}

const Value* Fields::get(std::string_view name, bool required) {
  const Value* found = nullptr;
  for (const auto& member : object_.GetObject()) {  // a name given twice: the last one counts
    if (member.name.GetStringLength() == name.size() && std::memcmp(member.name.GetString(), name.data(), name.size()) == 0)
      found = &member.value;
  }
  if (!found) {
    if (required) reader_.add(at(name), "missing required field '" + std::string(name) + "'");
    return nullptr;
  }
  if (found->IsNull() && !required) return nullptr;  // null stands for absent
  return found;
}

void Fields::string(std::string_view name, std::string& out, bool required) {
  const Value* v = get(name, required);
  if (!v) return;
  if (v->IsString()) out = json::text(*v);
  else reader_.wrongType(at(name), "string", *v);
}

void Fields::integer(std::string_view name, int& out, int min, bool required) {
  const Value* v = get(name, required);
  if (!v) return;
  if (!v->IsInt64() && !v->IsUint64()) return reader_.wrongType(at(name), "integer", *v);
  // Past INT64_MAX a number is a Uint64 only: out of range too.
  if (!v->IsInt64() || v->GetInt64() > INT_MAX || v->GetInt64() < min)
    return reader_.add(at(name), json::text(*v) + " is out of range");
  out = static_cast<int>(v->GetInt64());
}

void Fields::number(std::string_view name, double& out, bool required) {
  const Value* v = get(name, required);
  if (!v) return;
  if (v->IsNumber()) out = v->GetDouble();
  else reader_.wrongType(at(name), "number", *v);
}

void Fields::number(std::string_view name, std::optional<double>& out) {
  if (!get(name, false)) return;
  number(name, out.emplace());
}

void Fields::decimal(std::string_view name, Decimal& out, bool required) {
  const Value* v = get(name, required);
  if (!v) return;
  if (!v->IsString() && !v->IsNumber()) return reader_.wrongType(at(name), "number", *v);
  // A string is the exact form ("45.00"). The parser keeps no number text: json::text writes an
  // integer back, and a double as the shortest text that reads back as it, which is the written
  // text whenever it has at most 15 significant digits.
  const std::string text = json::text(*v);
  if (auto d = Decimal::parse(text)) out = *d;
  else reader_.add(at(name), "'" + text + "' is not an amount: a decimal with at most 4 fraction digits expected");
}

void Fields::decimal(std::string_view name, std::optional<Decimal>& out) {
  if (!get(name, false)) return;
  decimal(name, out.emplace());
}

void Fields::boolean(std::string_view name, bool& out) {
  const Value* v = get(name, false);
  if (!v) return;
  if (v->IsBool()) out = v->GetBool();
  else reader_.wrongType(at(name), "boolean", *v);
}

void Fields::strings(std::string_view name, std::vector<std::string>& out) {
  const Value* v = get(name, false);
  if (!v) return;
  const Value* arr = reader_.array(*v, at(name));
  if (!arr) return;
  for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
    const Value& e = (*arr)[i];
    if (e.IsString()) out.push_back(json::text(e));
    else reader_.wrongType(at(name) + "/" + std::to_string(i), "string", e);
  }
}

template <class E, class Parse>
void Fields::enumeration(std::string_view name, E& out, Parse parse, const std::string& allowed, bool required) {
  const Value* v = get(name, required);
  if (!v) return;
  if (!v->IsString()) return reader_.wrongType(at(name), "string", *v);
  const std::string text = json::text(*v);
  if (auto e = parse(text)) out = *e;
  else reader_.add(at(name), "'" + text + "' is not one of: " + allowed);
}

sdk::Result<sdk::Consignment> decodeOne(const Value& obj, const std::string& prefix,
                                        const DecodeOptions& options) {
  Reader reader(options);
  sdk::Consignment c;
  reader.consignment(obj, prefix, c);
  Errors errors = options.validate ? mergeValidation(std::move(reader.errors()),
                                                     sdk::validateConsignment(c, sdk::PathStyle::JsonPointer, options.max_items),
                                                     prefix)
                                   : std::move(reader.errors());
  if (!errors.empty()) return errors;
  return c;
}

std::string parseMessage(const Poco::Exception& e) {
  std::string message = e.message();
  if (message.find('\xff') != std::string::npos) return "unexpected end of input";
  if (message == "Maximum depth exceeded") return "nesting deeper than the limit";
  // POCO 1.11 refuses a scalar at the top level with this message.
  if (message == "Attempt to set value on an empty stack") return "expected object or array of objects at the top";
  for (char& c : message)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x80) c = '?';
  return message;
}

}  // namespace

sdk::Result<std::vector<DecodedConsignment>> decodeConsignmentsJson(std::string_view body,
                                                                    const DecodeOptions& options) {
  using R = sdk::Result<std::vector<DecodedConsignment>>;
  if (body.size() > options.max_bytes)
    return R::failure("", "body of " + std::to_string(body.size()) + " bytes exceeds the limit of " +
                              std::to_string(options.max_bytes));
  if (const auto bad = detail::invalidUtf8At(body); bad != std::string_view::npos)
    return R::failure("", "not valid JSON: invalid UTF-8 at byte " + std::to_string(bad));
  rapidjson::Document root;
  DepthLimited handler(root, static_cast<unsigned>(std::min<std::size_t>(options.max_depth, UINT_MAX)));
  rapidjson::ParseResult parsed;
  auto parse = [&](rapidjson::Document&) {
    rapidjson::MemoryStream in(body.data(), body.size());
    rapidjson::Reader reader;
    // Numbers as text, read by the handler (DepthLimited::number). Not kParseFullPrecisionFlag:
    // in Debian's RapidJSON 1.1.0 it reads 0e60 as 2e-115 and 1e-325 written with many zeros as
    // a huge negative number (clz of 0 in DiyFp::Normalize); the default reading agrees with
    // strtod only up to 15 significant digits (2,000,000 tried), and the encoder writes 17.
    parsed = reader.Parse<rapidjson::kParseNumbersAsStringsFlag>(in, handler);
    return !parsed.IsError();
  };
  root.Populate(parse);
  switch (handler.refusal()) {
    case DepthLimited::Refusal::None: break;
    case DepthLimited::Refusal::TooDeep:
      return R::failure("", "not valid JSON: nesting deeper than " + std::to_string(options.max_depth) + " levels");
    case DepthLimited::Refusal::Surrogate:  // RapidJSON stops just after the string's closing quote
      return R::failure("", "not valid JSON: a \\u escape of a lone UTF-16 surrogate (\\ud800 to \\udfff without its "
                            "pair) in the string that ends at byte " + std::to_string(parsed.Offset() - 1));
    case DepthLimited::Refusal::NumberTooBig:  // RapidJSON stops at the number's first byte
      return R::failure("", "not valid JSON: number too big at byte " + std::to_string(parsed.Offset()));
    case DepthLimited::Refusal::NumberUnread:
      return R::failure("", "not valid JSON: a number that cannot be read at byte " + std::to_string(parsed.Offset()));
  }
  if (parsed.IsError()) return R::failure("", "not valid JSON: " + syntaxError(parsed, body));
  std::vector<DecodedConsignment> out;
  if (root.IsObject()) {
    out.push_back({"", decodeOne(root, "", options)});
    return out;
  }
  if (!root.IsArray()) return R::failure("", "expected object or array of objects, got " + typeOf(root));
  const auto batch = root.GetArray();
  if (batch.Size() == 0) return R::failure("", "a batch holds at least one consignment");
  if (batch.Size() > options.max_batch)
    return R::failure("", "batch of " + std::to_string(batch.Size()) + " consignments: at most " +
                              std::to_string(options.max_batch));
  for (rapidjson::SizeType i = 0; i < batch.Size(); ++i) {
    const std::string prefix = "/" + std::to_string(i);
    const Value& element = batch[i];
    if (element.IsObject()) {
      out.push_back({prefix, decodeOne(element, prefix, options)});
    } else {
      out.push_back({prefix, sdk::Result<sdk::Consignment>::failure(prefix, "expected object, got " + typeOf(element))});
    }
  }
  return out;
}

sdk::Result<sdk::Consignment> decodeConsignmentJson(std::string_view body, const DecodeOptions& options) {
  auto decoded = decodeConsignmentsJson(body, options);
  if (!decoded) return decoded.errors();
  if (decoded.value().size() != 1 || !decoded.value().front().location.empty())
    return sdk::Result<sdk::Consignment>::failure("", "expected one consignment (an object), got a batch");
  return std::move(decoded.value().front().result);
}

sdk::Result<std::vector<sdk::Notification>> decodeNotificationsJson(std::string_view body) {
  using R = sdk::Result<std::vector<sdk::Notification>>;
  Var root;
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(/*preserveObjectOrder=*/true));
    root = parser.parse(std::string(body));
  } catch (const Poco::Exception& e) {
    return R::failure("", "not valid JSON: " + parseMessage(e));
  }
  if (root.type() != typeid(Object::Ptr)) return R::failure("", "expected an object, got " + typeOf(root));
  const auto top = root.extract<Object::Ptr>();
  if (!top->has("notifications") || top->get("notifications").type() != typeid(Array::Ptr))
    return R::failure("/notifications", "expected an array of notifications");
  const auto list = top->getArray("notifications");
  std::vector<sdk::Notification> out;
  Errors errors;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string prefix = "/notifications/" + std::to_string(i);
    const Var element = list->get(static_cast<unsigned>(i));
    if (element.type() != typeid(Object::Ptr)) {
      errors.push_back({prefix, "expected object, got " + typeOf(element)});
      continue;
    }
    const auto o = element.extract<Object::Ptr>();
    sdk::Notification n;
    auto text = [&](const char* key, std::string& into) {
      if (!o->has(key) || !o->get(key).isString()) {
        errors.push_back({prefix + "/" + key, "expected string"});
        return;
      }
      into = o->getValue<std::string>(key);
    };
    text("id", n.id);
    text("case_id", n.case_id);
    text("reference", n.reference);
    text("event", n.event);
    text("state", n.state);
    text("reason", n.reason);
    text("at", n.at);
    if (o->has("details")) {
      const Var d = o->get("details");
      if (d.type() != typeid(Object::Ptr)) {
        errors.push_back({prefix + "/details", "expected object, got " + typeOf(d)});
      } else {
        const auto details = d.extract<Object::Ptr>();
        for (const auto& name : details->getNames()) {  // insertion order: the parser preserves it
          readNotificationDetail(name, details->get(name), prefix + "/details/" + pointerToken(name), n.details,
                                 errors);
        }
      }
    }
    out.push_back(std::move(n));
  }
  if (!errors.empty()) return errors;
  return out;
}

}  // namespace swhub::model
