#include "dec_mapping.hpp"

#include <charconv>
#include <map>
#include <optional>

#include "swhub/sdk/validate.hpp"
#include "xml_support.hpp"

namespace swhub::plugins::wco_dec {

namespace {

std::optional<double> toDouble(const std::string& s) {
  std::string t = trim(s);
  if (!t.empty() && t.front() == '+') t.erase(0, 1);
  double v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v, std::chars_format::fixed);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return v;
}

std::optional<int> toInt(const std::string& s) {
  const std::string t = trim(s);
  int v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return v;
}

// Type codes whose third letter is J or K: simplified declarations (C21 customs clearance request).
bool isSimplified(const std::string& typeCode) {
  return typeCode.size() >= 3 && (typeCode[2] == 'J' || typeCode[2] == 'K');
}

// Builds one consignment and remembers, for each canonical XPath, the DMS path it came from.
class Mapper {
 public:
  Mapper(const XmlNode& declaration, const MappingOptions& options)
      : dec_(declaration), options_(options), shipment_(declaration.child("GoodsShipment")) {}

  sdk::Result<sdk::Consignment> run() {
    sdk::Consignment c;
    c.reference = dec_.value("FunctionalReferenceID");
    note("/consignment/reference", dec_.path + "/FunctionalReferenceID");
    c.filing = filingKindOf(dec_.value("TypeCode"), dec_.value("FunctionCode"));
    mapParties(c.parties);
    mapTransport(c.transport);
    mapFiscal(c.fiscal);
    // A final supplementary declaration's goods items only carry its reports (read as its facts):
    // it has no goods of its own.
    if (c.filing == sdk::FilingKind::FinalSupplementary) {
      note("/consignment/items", dec_.path + "/GoodsShipment");
    } else if (shipment_ != nullptr) {
      note("/consignment/items", shipment_->path);
      const auto items = shipment_->all("GovernmentAgencyGoodsItem");
      const Amounts header = headerAmounts(items.size());
      for (std::size_t i = 0; i < items.size(); ++i) c.items.push_back(mapItem(*items[i], i, header));
    } else {
      note("/consignment/items", dec_.path + "/GoodsShipment");
    }
    sdk::Errors errors = sdk::validateConsignment(c, sdk::PathStyle::XPath, options_.max_items);
    if (isSimplified(dec_.value("TypeCode"))) {
      // A C21 simplified declaration (types J and K) may lawfully leave out the commodity code,
      // the goods description and the origin: they are mapped as absent, not made up.
      std::erase_if(errors, [](const sdk::Error& e) {
        const bool empty = e.message == "must not be empty";
        return empty && (e.path.ends_with("/hs") || e.path.ends_with("/description") || e.path.ends_with("/origin"));
      });
    }
    if (errors.empty()) return c;
    for (auto& e : errors) translate(e);
    return errors;
  }

 private:
  struct Amounts {
    std::optional<sdk::Decimal> first;  // the share of item 1 (it takes the remainder)
    std::optional<sdk::Decimal> other;
    std::string currency;
    std::string path;
  };

  void note(const std::string& canonical, const std::string& dms) { source_[canonical] = dms; }

  // "/consignment/items/item[2]/hs: ..." -> "/MetaData/.../GovernmentAgencyGoodsItem[2]/Commodity/Classification[1]"
  void translate(sdk::Error& error) const {
    std::string key = error.path;
    while (!key.empty()) {
      if (auto it = source_.find(key); it != source_.end()) {
        error.message += " (canonical " + error.path + ")";
        error.path = it->second + error.path.substr(key.size());
        return;
      }
      key.erase(key.rfind('/') == std::string::npos ? 0 : key.rfind('/'));
    }
  }

  std::string currencyOf(const XmlNode& amount) const {
    const std::string id = trim(amount.attribute("currencyID"));
    return id.empty() ? options_.default_currency : id;
  }

  // Declaration/InvoiceAmount (DE 4/11) split evenly over the items, exact to 1/10000: the
  // fallback for items that declare no amount of their own.
  Amounts headerAmounts(std::size_t count) const {
    Amounts out;
    const XmlNode* invoice = dec_.child("InvoiceAmount");
    if (invoice == nullptr || count == 0) return out;
    const auto total = sdk::Decimal::parse(trim(invoice->text));
    if (!total) return out;
    const auto n = static_cast<std::int64_t>(count);
    out.other = sdk::Decimal::fromUnits(total->units() / n);
    out.first = sdk::Decimal::fromUnits(total->units() - out.other->units() * (n - 1));
    out.currency = currencyOf(*invoice);
    out.path = invoice->path;
    return out;
  }

  sdk::Party party(const XmlNode& node, const std::string& canonical) {
    sdk::Party p;
    p.name = node.value("Name");
    p.id = node.value("ID");
    if (const XmlNode* address = node.child("Address")) {
      std::string text;
      for (const char* part : {"Line", "CityName", "PostcodeID"}) {
        const std::string v = address->value(part);
        if (v.empty()) continue;
        if (!text.empty()) text += ", ";
        text += v;
      }
      p.address = text;
      p.country = isoCountry(address->value("CountryCode"));
      note(canonical + "/country", address->path + "/CountryCode");
    }
    if (!p.id.empty() || !p.name.empty()) p.kind = "business";  // DMS parties are traders (EORI)
    note(canonical, node.path);
    return p;
  }

  // The first of `candidates` ("Importer", "GoodsShipment/Consignee", ...) present.
  const XmlNode* firstOf(std::initializer_list<const char*> candidates) const {
    for (const char* c : candidates) {
      std::string_view path(c);
      const XmlNode* node = path.rfind("GoodsShipment/", 0) == 0
                                ? (shipment_ != nullptr ? shipment_->find(path.substr(14)) : nullptr)
                                : dec_.find(path);
      if (node != nullptr) return node;
    }
    return nullptr;
  }

  void mapParties(sdk::Parties& parties) {
    if (const XmlNode* n = firstOf({"GoodsShipment/Importer", "GoodsShipment/Consignee", "GoodsShipment/Buyer"}))
      parties.buyer = party(*n, "/consignment/parties/buyer");
    if (const XmlNode* n = firstOf({"Exporter", "GoodsShipment/Exporter", "GoodsShipment/Consignor",
                                    "GoodsShipment/Consignment/Consignor", "GoodsShipment/Seller"}))
      parties.seller = party(*n, "/consignment/parties/seller");
    if (const XmlNode* n = firstOf({"Declarant"})) parties.declarant = party(*n, "/consignment/parties/declarant");
    if (const XmlNode* n = firstOf({"Carrier", "GoodsShipment/Consignment/Carrier"}))
      parties.carrier = party(*n, "/consignment/parties/carrier");
  }

  void mapTransport(sdk::Transport& t) {
    const XmlNode* border = dec_.child("BorderTransportMeans");
    // DE 7/4 mode of transport at the border: 1 sea, 2 rail, 3 road, 4 air, 5 post, 8 inland
    // waterway; 7 (fixed installation) and 9 (own propulsion) have no canonical mode.
    if (border != nullptr) {
      const std::string mode = border->value("ModeCode");
      if (mode == "1" || mode == "8") t.mode = sdk::TransportMode::Sea;
      else if (mode == "2") t.mode = sdk::TransportMode::Rail;
      else if (mode == "3") t.mode = sdk::TransportMode::Road;
      else if (mode == "4") t.mode = sdk::TransportMode::Air;
      else if (mode == "5") t.mode = sdk::TransportMode::Post;
      t.conveyance = border->value("ID");
    }
    if (shipment_ == nullptr) return;
    if (t.conveyance.empty()) t.conveyance = shipment_->value("Consignment/ArrivalTransportMeans/ID");
    t.master_ref = shipment_->value("Consignment/TransportContractDocument/ID");
    t.departure = isoCountry(shipment_->value("ExportCountry/ID"));
    note("/consignment/transport/departure", shipment_->path + "/ExportCountry/ID");
    t.destination = isoCountry(shipment_->value("Destination/CountryCode"));
    note("/consignment/transport/destination", shipment_->path + "/Destination/CountryCode");
  }

  // A deferment account (header document DAN, DE 2/6) means duties are charged to an account.
  void mapFiscal(sdk::Fiscal& f) {
    for (const XmlNode* doc : dec_.all("AdditionalDocument")) {
      if (doc->value("TypeCode") != "DAN") continue;
      f.model = sdk::CollectionModel::Account;
      f.payment_refs.push_back("DAN " + doc->value("ID"));
    }
  }

  sdk::Item mapItem(const XmlNode& node, std::size_t index, const Amounts& header) {
    const std::string canonical = "/consignment/items/item[" + std::to_string(index + 1) + "]";
    note(canonical, node.path);
    sdk::Item item;
    const std::string sequence = node.value("SequenceNumeric");
    item.sequence = toInt(sequence).value_or(static_cast<int>(index + 1));
    note(canonical + "/sequence", node.path + "/SequenceNumeric");

    const XmlNode* commodity = node.child("Commodity");
    const std::string commodityPath = node.path + "/Commodity";
    item.description = commodity != nullptr ? commodity->value("Description") : std::string();
    note(canonical + "/description", commodityPath + "/Description");
    item.hs = commodityCode(commodity);
    note(canonical + "/hs", commodityPath + "/Classification");

    const XmlNode* measure = commodity != nullptr ? commodity->child("GoodsMeasure") : nullptr;
    if (measure != nullptr) {
      if (auto v = toDouble(measure->value("NetNetWeightMeasure"))) item.net_kg = *v;
      if (auto v = toDouble(measure->value("GrossMassMeasure"))) item.gross_kg = *v;
      note(canonical + "/net_kg", measure->path + "/NetNetWeightMeasure");
      note(canonical + "/gross_kg", measure->path + "/GrossMassMeasure");
    }
    mapQuantity(node, measure, item);
    note(canonical + "/quantity", commodityPath + "/GoodsMeasure");
    note(canonical + "/unit", commodityPath + "/GoodsMeasure");

    mapAmount(node, commodity, index, header, item, canonical);
    mapOrigin(node, item, canonical);
    item.nature = natureOf(node);

    const auto documents = node.all("AdditionalDocument");
    for (std::size_t d = 0; d < documents.size(); ++d) {
      const XmlNode& doc = *documents[d];
      item.documents.push_back({doc.value("CategoryCode") + doc.value("TypeCode"), doc.value("ID"), std::nullopt});
      note(canonical + "/documents/document[" + std::to_string(d + 1) + "]", doc.path);
    }
    return item;
  }

  // DE 6/14 (TSP: the 8-digit CN code) + DE 6/15 (TRC: the 2-digit TARIC add-on) -> 10 digits;
  // TSP alone -> its digits (8). National additional codes (GN, DE 6/17) and TARIC additional
  // codes (TRA, DE 6/16) are not part of the commodity code.
  static std::string commodityCode(const XmlNode* commodity) {
    if (commodity == nullptr) return {};
    std::string cn, taric;
    for (const XmlNode* c : commodity->all("Classification")) {
      const std::string type = c->value("IdentificationTypeCode");
      if (type == "TSP" && cn.empty()) cn = c->value("ID");
      else if (type == "TRC" && taric.empty()) taric = c->value("ID");
    }
    if (cn.empty()) return {};
    if (cn.size() == 8 && taric.size() == 2) return cn + taric;
    return cn;
  }

  // Supplementary units (DE 6/2, TariffQuantity) when declared, else the packages (DE 6/10), else
  // the net mass, else the gross mass, else one item.
  static void mapQuantity(const XmlNode& node, const XmlNode* measure, sdk::Item& item) {
    if (measure != nullptr) {
      if (const XmlNode* q = measure->child("TariffQuantity"); q != nullptr) {
        if (auto v = toDouble(q->text); v && *v > 0) {
          item.quantity = *v;
          const std::string unit = trim(q->attribute("unitCode"));
          item.unit = unit.empty() ? "su" : unit;
          return;
        }
      }
    }
    double packages = 0;
    for (const XmlNode* p : node.all("Packaging")) packages += toDouble(p->value("QuantityQuantity")).value_or(0);
    if (packages > 0) {
      item.quantity = packages;
      item.unit = "pkg";
    } else if (item.net_kg && *item.net_kg > 0) {
      item.quantity = *item.net_kg;
      item.unit = "kg";
    } else if (item.gross_kg && *item.gross_kg > 0) {
      item.quantity = *item.gross_kg;
      item.unit = "kg";
    } else {
      item.quantity = 1;
      item.unit = "pce";
    }
  }

  // DE 4/14 item price (ItemChargeAmount) when declared; else DE 4/18 (CustomsValueAmount, low
  // value SRDS); else DE 99/6 statistical value; else the header invoice amount (DE 4/11) split
  // evenly; else 0 in the default currency: the value is not declared on this filing.
  void mapAmount(const XmlNode& node, const XmlNode* commodity, std::size_t index, const Amounts& header,
                 sdk::Item& item, const std::string& canonical) {
    const XmlNode* amount = commodity != nullptr ? commodity->find("InvoiceLine/ItemChargeAmount") : nullptr;
    if (amount == nullptr) amount = node.child("CustomsValueAmount");
    if (amount == nullptr) amount = node.child("StatisticalValueAmount");
    if (amount != nullptr) {
      const std::string text = trim(amount->text);
      if (auto v = sdk::Decimal::parse(text)) item.value = *v;
      else errors_.push_back({amount->path, "'" + text + "' is not an amount: at most 4 fraction digits"});
      item.currency = currencyOf(*amount);
      note(canonical + "/value", amount->path);
      note(canonical + "/currency", amount->path + "/@currencyID");
      return;
    }
    if (header.first) {
      item.value = index == 0 ? *header.first : *header.other;
      item.currency = header.currency;
      note(canonical + "/value", header.path);
      note(canonical + "/currency", header.path + "/@currencyID");
      return;
    }
    item.currency = options_.default_currency;
  }

  // DE 5/15 origin (Origin TypeCode 1) first, else DE 5/16 preferential origin; when neither is
  // declared (simplified and low-value declarations), the country of dispatch (DE 5/14, item then
  // header) and then the exporter's country stand in for it.
  void mapOrigin(const XmlNode& node, sdk::Item& item, const std::string& canonical) {
    const XmlNode* chosen = nullptr;
    for (const XmlNode* o : node.all("Origin"))
      if (chosen == nullptr || (o->value("TypeCode") == "1" && chosen->value("TypeCode") != "1")) chosen = o;
    std::string path;
    if (chosen != nullptr) {
      item.origin = chosen->value("CountryCode");
      path = chosen->path + "/CountryCode";
    } else if (const XmlNode* e = node.find("ExportCountry/ID")) {
      item.origin = trim(e->text);
      path = e->path;
    } else if (const XmlNode* h = shipment_ != nullptr ? shipment_->find("ExportCountry/ID") : nullptr) {
      item.origin = trim(h->text);
      path = h->path;
    } else if (const XmlNode* x = firstOf({"Exporter/Address/CountryCode", "GoodsShipment/Exporter/Address/CountryCode",
                                           "GoodsShipment/Consignor/Address/CountryCode"})) {
      item.origin = trim(x->text);
      path = x->path;
    } else {
      path = node.path + "/Origin";
    }
    item.origin = isoCountry(item.origin);
    note(canonical + "/origin", path);
  }

  // DE 8/5 nature of transaction, first digit: 1 sale, 2 return or replacement, 3 free of charge.
  sdk::Nature natureOf(const XmlNode& node) const {
    std::string code = node.value("TransactionNatureCode");
    if (code.empty() && shipment_ != nullptr) code = shipment_->value("TransactionNatureCode");
    if (code.empty() || code[0] == '1') return sdk::Nature::Sale;
    if (code[0] == '2') return sdk::Nature::Return;
    if (code[0] == '3') return sdk::Nature::Gift;
    return sdk::Nature::Other;
  }

 public:
  sdk::Errors errors_;  // conversion errors found while mapping

 private:
  const XmlNode& dec_;
  const MappingOptions& options_;
  const XmlNode* shipment_;
  std::map<std::string, std::string> source_;
};

}  // namespace

sdk::FilingKind filingKindOf(const std::string& typeCode, const std::string& functionCode) {
  if (typeCode == "INV") return sdk::FilingKind::Cancellation;
  if (functionCode == "13") return sdk::FilingKind::Amendment;
  // Y and Z complete released declarations (supplementary to a simplified declaration, or to an
  // entry in the declarant's records); Q reports a period's supplementary declarations (README).
  const char type = typeCode.size() >= 3 ? typeCode[2] : ' ';
  if (type == 'Y' || type == 'Z') return sdk::FilingKind::Supplementary;
  if (type == 'Q') return sdk::FilingKind::FinalSupplementary;
  // DE 1/2 additional declaration type: D, E, F (pre-lodged standard / simplified) and K (pre-lodged
  // C21 EIDR) are lodged before the goods are presented: pre-arrival for imports, pre-loading for
  // exports. Every other type (A, B, C frontier; J C21; X) is a declaration.
  const char additional = typeCode.size() >= 3 ? typeCode[2] : ' ';
  const bool preLodged = additional == 'D' || additional == 'E' || additional == 'F' || additional == 'K';
  if (!preLodged) return sdk::FilingKind::Declaration;
  return typeCode.rfind("EX", 0) == 0 || typeCode.rfind("EU", 0) == 0 ? sdk::FilingKind::PreLoading
                                                                       : sdk::FilingKind::PreArrival;
}

std::string isoCountry(const std::string& code) {
  // UK CDS code list: XI = United Kingdom (Northern Ireland); Z* = continental-shelf sectors.
  static const std::map<std::string, std::string, std::less<>> kSectors = {
      {"XI", "GB"}, {"ZU", "GB"}, {"ZN", "NO"}, {"ZB", "BE"}, {"ZD", "DK"}, {"ZF", "FR"}, {"ZG", "DE"}, {"ZH", "NL"}};
  const std::string t = trim(code);
  const auto it = kSectors.find(t);
  return it == kSectors.end() ? t : it->second;
}

sdk::Result<sdk::Consignment> mapDeclaration(const XmlNode& root, const MappingOptions& options) {
  const XmlNode* declaration = root.child("Declaration");
  if (root.name != "MetaData" || declaration == nullptr)
    return sdk::Errors{{root.path, "a DMS declaration message is md:MetaData with a Declaration: '" + root.name +
                                       "' has none (a RES or another message?)"}};
  Mapper mapper(*declaration, options);
  auto result = mapper.run();
  if (mapper.errors_.empty()) return result;
  sdk::Errors errors = std::move(mapper.errors_);
  if (!result) errors.insert(errors.end(), result.errors().begin(), result.errors().end());
  return errors;
}

}  // namespace swhub::plugins::wco_dec
