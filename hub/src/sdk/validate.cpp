#include "swhub/sdk/validate.hpp"

#include <charconv>
#include <map>
#include <string>

namespace swhub::sdk {

namespace {

// ISO 3166-1 alpha-2: the 249 officially assigned codes, space-separated, sorted.
constexpr std::string_view kCountries =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR "
    "BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ "
    "EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW "
    "GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY "
    "KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV "
    "MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY "
    "QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG "
    "TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM "
    "ZW";

// ISO 4217 active alphabetic codes (funds and metals included; XTS and XXX left out).
constexpr std::string_view kCurrencies =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN "
    "ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD "
    "JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT "
    "MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG "
    "QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT "
    "TND TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA "
    "XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL";

bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

bool inList(std::string_view list, std::string_view code) {
  for (char c : code)
    if (!isUpper(c)) return false;
  const std::size_t stride = code.size() + 1;
  for (std::size_t pos = 0; pos + code.size() <= list.size(); pos += stride)
    if (list.substr(pos, code.size()) == code) return true;
  return false;
}

int number(std::string_view text, std::size_t pos, std::size_t len) {
  int value = 0;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (!isDigit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::string formatNumber(double v) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::string("?");
}

/// Builds the paths of one style: "/items/0/hs" or "/consignment/items/item[1]/hs".
class Paths {
 public:
  explicit Paths(PathStyle style) : style_(style) {}
  std::string root() const { return style_ == PathStyle::XPath ? "/consignment" : ""; }
  std::string field(const std::string& parent, std::string_view name) const {
    return parent + "/" + std::string(name);
  }
  std::string element(const std::string& container, std::string_view elementName, std::size_t index) const {
    if (style_ == PathStyle::XPath)
      return container + "/" + std::string(elementName) + "[" + std::to_string(index + 1) + "]";
    return container + "/" + std::to_string(index);
  }

 private:
  PathStyle style_;
};

class Checker {
 public:
  Checker(PathStyle style, Errors& errors) : paths_(style), errors_(errors) {}

  void add(std::string path, std::string message) { errors_.push_back({std::move(path), std::move(message)}); }

  void nonEmpty(const std::string& path, const std::string& value) {
    if (value.empty()) add(path, "must not be empty");
  }
  void country(const std::string& path, const std::string& value, bool required) {
    if (value.empty()) {
      if (required) add(path, "must not be empty");
    } else if (!isCountryCode(value)) {
      add(path, "'" + value + "' is not an ISO 3166-1 alpha-2 country code");
    }
  }
  void currency(const std::string& path, const std::string& value, bool required) {
    if (value.empty()) {
      if (required) add(path, "must not be empty");
    } else if (!isCurrencyCode(value)) {
      add(path, "'" + value + "' is not an ISO 4217 currency code");
    }
  }
  void hs(const std::string& path, const std::string& value) {
    if (value.empty()) return add(path, "must not be empty");
    bool digits = value.size() >= 6 && value.size() <= 10;
    for (char c : value) digits = digits && isDigit(c);
    if (!digits) return add(path, "'" + value + "' is not an HS code: 6 to 10 digits expected");
    if (!isHsCode(value))
      add(path, "'" + value + "' is not an HS code: chapter " + value.substr(0, 2) + " does not exist");
  }
  void notNegative(const std::string& path, double value) {
    if (value < 0) add(path, "must not be negative, got " + formatNumber(value));
  }

  void party(const std::string& parent, std::string_view role, const std::optional<Party>& party) {
    if (!party) return;
    const std::string path = paths_.field(parent, role);
    country(paths_.field(path, "country"), party->country, false);
  }

  void item(const std::string& path, const Item& item) {
    if (item.sequence < 1) add(paths_.field(path, "sequence"), "must be at least 1, got " + std::to_string(item.sequence));
    nonEmpty(paths_.field(path, "description"), item.description);
    hs(paths_.field(path, "hs"), item.hs);
    if (!(item.quantity > 0))
      add(paths_.field(path, "quantity"), "must be greater than 0, got " + formatNumber(item.quantity));
    nonEmpty(paths_.field(path, "unit"), item.unit);
    if (item.net_kg) notNegative(paths_.field(path, "net_kg"), *item.net_kg);
    if (item.gross_kg) notNegative(paths_.field(path, "gross_kg"), *item.gross_kg);
    if (item.net_kg && item.gross_kg && *item.net_kg > *item.gross_kg)
      add(paths_.field(path, "net_kg"), "net weight " + formatNumber(*item.net_kg) + " kg exceeds gross weight " +
                                            formatNumber(*item.gross_kg) + " kg");
    if (item.value < Decimal()) add(paths_.field(path, "value"), "must not be negative, got " + item.value.toString());
    currency(paths_.field(path, "currency"), item.currency, true);
    country(paths_.field(path, "origin"), item.origin, true);
    const std::string documents = paths_.field(path, "documents");
    for (std::size_t i = 0; i < item.documents.size(); ++i) {
      const std::string doc = paths_.element(documents, "document", i);
      nonEmpty(paths_.field(doc, "type"), item.documents[i].type);
      if (item.documents[i].quantity) notNegative(paths_.field(doc, "quantity"), *item.documents[i].quantity);
    }
  }

  void consignment(const Consignment& c, std::size_t maxItems) {
    const std::string root = paths_.root();
    const bool followUp = concernsExistingCase(c.filing);
    const std::string reference = paths_.field(root, "reference");
    if (c.reference.size() > kMaxReferenceLength) {
      add(reference, "'" + c.reference.substr(0, kMaxReferenceLength) + "...' is longer than " +
                         std::to_string(kMaxReferenceLength) + " characters");
    } else if (c.reference.empty()) {
      if (!followUp)
        add(reference, "must not be empty");
      else if (c.case_id.empty())
        add(reference, "a filing of kind '" + std::string(toString(c.filing)) +
                           "' names the case it concerns: reference or case_id required");
    }
    if (c.version < 1) add(paths_.field(root, "version"), "must be at least 1, got " + std::to_string(c.version));

    const std::string parties = paths_.field(root, "parties");
    party(parties, "seller", c.parties.seller);
    party(parties, "buyer", c.parties.buyer);
    party(parties, "declarant", c.parties.declarant);
    party(parties, "carrier", c.parties.carrier);

    const std::string transport = paths_.field(root, "transport");
    country(paths_.field(transport, "departure"), c.transport.departure, false);
    country(paths_.field(transport, "destination"), c.transport.destination, false);
    if (!c.transport.arrival.empty() && !isRfc3339Utc(c.transport.arrival))
      add(paths_.field(transport, "arrival"),
          "'" + c.transport.arrival + "' is not an RFC 3339 UTC timestamp like 2026-11-29T08:00:00Z");

    const std::string fiscal = paths_.field(root, "fiscal");
    if (c.fiscal.collected_at_sale && c.fiscal.registration.empty())
      add(paths_.field(fiscal, "registration"), "required when tax was collected at sale");
    if (c.fiscal.tax_collected && *c.fiscal.tax_collected < Decimal())
      add(paths_.field(fiscal, "tax_collected"), "must not be negative, got " + c.fiscal.tax_collected->toString());
    currency(paths_.field(fiscal, "tax_currency"), c.fiscal.tax_currency, false);

    const std::string items = paths_.field(root, "items");
    // A final supplementary declaration reports on other declarations: it has no goods of its own.
    const bool final = c.filing == FilingKind::FinalSupplementary;
    if (c.items.empty() && !followUp && !final) add(items, "at least one item required");
    if (!c.items.empty() && final) add(items, "a final supplementary declaration carries no goods");
    if (c.items.size() > maxItems)
      add(items, std::to_string(c.items.size()) + " items: at most " + std::to_string(maxItems) + " per consignment");
    std::map<int, std::size_t> firstBySequence;
    for (std::size_t i = 0; i < c.items.size(); ++i) {
      const std::string path = paths_.element(items, "item", i);
      item(path, c.items[i]);
      auto [it, inserted] = firstBySequence.emplace(c.items[i].sequence, i);
      if (!inserted)
        add(paths_.field(path, "sequence"), "sequence " + std::to_string(c.items[i].sequence) +
                                                " is already used by " + paths_.element(items, "item", it->second));
    }
  }

 private:
  Paths paths_;
  Errors& errors_;
};

}  // namespace

bool isCountryCode(std::string_view code) { return code.size() == 2 && inList(kCountries, code); }

bool isCurrencyCode(std::string_view code) { return code.size() == 3 && inList(kCurrencies, code); }

bool isHsCode(std::string_view code) {
  if (code.size() < 6 || code.size() > 10) return false;
  for (char c : code)
    if (!isDigit(c)) return false;
  const int chapter = number(code, 0, 2);
  return chapter >= 1 && chapter <= 97 && chapter != 77;
}

bool isRfc3339Utc(std::string_view t) {
  // YYYY-MM-DDTHH:MM:SS[.fraction]Z
  if (t.size() < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':' ||
      t.back() != 'Z')
    return false;
  const int year = number(t, 0, 4), month = number(t, 5, 2), day = number(t, 8, 2);
  const int hour = number(t, 11, 2), minute = number(t, 14, 2), second = number(t, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 60)
    return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] + (month == 2 && leap ? 1 : 0)) return false;
  if (t.size() == 20) return true;
  if (t[19] != '.' || t.size() == 21) return false;
  for (std::size_t i = 20; i + 1 < t.size(); ++i)
    if (!isDigit(t[i])) return false;
  return true;
}

Errors validateConsignment(const Consignment& consignment, PathStyle style, std::size_t maxItems) {
  Errors errors;
  Checker(style, errors).consignment(consignment, maxItems);
  return errors;
}

}  // namespace swhub::sdk
