#include "declaration_facts.hpp"

#include <cctype>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "xml_support.hpp"

namespace swhub::plugins::wco_dec {
namespace {

bool digits(const std::string& s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!std::isdigit(c)) return false;
  }
  return true;
}

// CDS DE 2/1 dates are yyyymmdd.
bool isDate(const std::string& s) {
  if (s.size() != 8 || !digits(s)) return false;
  const int month = std::stoi(s.substr(4, 2));
  const int day = std::stoi(s.substr(6, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

// "YYYYMM" or "YYYY-MM" -> "YYYY-MM"; "" when neither.
std::string periodOf(const std::string& id) {
  std::string text = id;
  if (text.size() == 7 && text[4] == '-') text.erase(4, 1);
  if (text.size() != 6 || !digits(text)) return "";
  const int month = std::stoi(text.substr(4, 2));
  if (month < 1 || month > 12 || text < "200001") return "";
  return text.substr(0, 4) + "-" + text.substr(4, 2);
}

// Every previous document (DE 2/1), header (GoodsShipment) first, then each goods item's.
std::vector<const XmlNode*> previousDocuments(const XmlNode& declaration) {
  std::vector<const XmlNode*> out;
  const XmlNode* shipment = declaration.child("GoodsShipment");
  if (shipment == nullptr) return out;
  for (const XmlNode* d : shipment->all("PreviousDocument")) out.push_back(d);
  for (const XmlNode* item : shipment->all("GovernmentAgencyGoodsItem")) {
    for (const XmlNode* d : item->all("PreviousDocument")) out.push_back(d);
  }
  return out;
}

sdk::PreviousDocument documentOf(const XmlNode& node) {
  return {node.value("CategoryCode"), node.value("TypeCode"), node.value("ID"), node.path + "/ID"};
}

// The documents of `type` (one per ID: a header document repeated on every item counts once).
std::vector<sdk::PreviousDocument> documentsOfType(const std::vector<const XmlNode*>& nodes, const std::string& type) {
  std::vector<sdk::PreviousDocument> out;
  std::set<std::string> ids;
  for (const XmlNode* n : nodes) {
    if (n->value("TypeCode") != type) continue;
    auto doc = documentOf(*n);
    if (ids.insert(doc.id).second) out.push_back(std::move(doc));
  }
  return out;
}

// Additional information statements (DE 2/2) by code, header first, then each goods item's.
std::vector<const XmlNode*> statements(const XmlNode& declaration, const std::string& code) {
  std::vector<const XmlNode*> out;
  for (const XmlNode* ai : declaration.all("AdditionalInformation")) {
    if (ai->value("StatementCode") == code) out.push_back(ai);
  }
  if (const XmlNode* shipment = declaration.child("GoodsShipment")) {
    for (const XmlNode* item : shipment->all("GovernmentAgencyGoodsItem")) {
      for (const XmlNode* ai : item->all("AdditionalInformation")) {
        if (ai->value("StatementCode") == code) out.push_back(ai);
      }
    }
  }
  return out;
}

class FactsReader {
 public:
  FactsReader(const XmlNode& declaration, std::string defaultCurrency)
      : dec_(declaration), defaultCurrency_(std::move(defaultCurrency)) {}

  sdk::Result<std::optional<sdk::DeclarationFacts>> run() {
    const std::string typeCode = dec_.value("TypeCode");
    const char type = typeCode.size() >= 3 ? typeCode[2] : ' ';
    // An amendment or cancellation request concerns a case already filed: nothing of its own.
    if (dec_.value("FunctionCode") == "13" || typeCode == "INV") return std::optional<sdk::DeclarationFacts>{};
    sdk::DeclarationFacts facts;
    facts.additional_type = std::string(1, type);
    switch (type) {
      case 'B': case 'C': case 'E': case 'F': case 'J': case 'K':
        facts.simplified = true;
        return std::optional(std::move(facts));
      case 'Y': supplementaryToSimplified(facts); break;
      case 'Z': supplementaryToRecords(facts); break;
      case 'Q': finalSupplementary(facts); break;
      default: return std::optional<sdk::DeclarationFacts>{};
    }
    if (!errors_.empty()) return errors_;
    return std::optional(std::move(facts));
  }

 private:
  std::string headerPath() const { return dec_.path + "/GoodsShipment/PreviousDocument"; }

  // Y: the MRN (the hub's case id) or LRN of each simplified declaration it completes, as
  // previous documents Y-SDE (CDS DE 2/1, mandatory on a type Y).
  void supplementaryToSimplified(sdk::DeclarationFacts& facts) {
    facts.completes = documentsOfType(previousDocuments(dec_), "SDE");
    if (facts.completes.empty()) {
      errors_.push_back({headerPath(), "a supplementary declaration (type Y) names the simplified declaration it "
                                       "completes: previous document Y-SDE (DE 2/1) with its MRN (the hub's case "
                                       "id) or LRN"});
    }
  }

  // Z: the date of the entry in the declarant's records (Y-CLE, mandatory) and the declaration it
  // completes: the customs clearance request's MRN or LRN (Y-SDE) when one was made, else the
  // DUCR the entry was filed under (Y-DCR), which the hub matches against its filer's references.
  void supplementaryToRecords(sdk::DeclarationFacts& facts) {
    const auto nodes = previousDocuments(dec_);
    const auto entries = documentsOfType(nodes, "CLE");
    if (entries.empty()) {
      errors_.push_back({headerPath(), "a supplementary declaration of an entry in the declarant's records (type Z) "
                                       "gives the date of the entry: previous document Y-CLE (DE 2/1), yyyymmdd"});
    }
    for (const auto& e : entries) {
      if (!isDate(e.id)) errors_.push_back({e.location, "'" + e.id + "' is not a date yyyymmdd (previous document Y-CLE)"});
    }
    facts.completes = documentsOfType(nodes, "SDE");
    if (facts.completes.empty()) facts.completes = documentsOfType(nodes, "DCR");
    if (facts.completes.empty()) {
      errors_.push_back({headerPath(), "a supplementary declaration (type Z) names the declaration it completes: "
                                       "previous document Y-SDE (its MRN or LRN) or Y-DCR (the DUCR it was filed under)"});
    }
  }

  // Q: the period (previous document FSD at header level, ID yyyymm), what it reports per type
  // (AI FINSY and FINSZ: "finalised/due"; FINSL late declarations: required, not read), the
  // account (the header deferment account DAN, DE 2/6; none: its filer's) and the tax totals
  // (each goods item's DutyTaxFee: type DE 4/3, Payment/TaxAssessedAmount).
  void finalSupplementary(sdk::DeclarationFacts& facts) {
    const XmlNode* shipment = dec_.child("GoodsShipment");
    std::vector<const XmlNode*> header;
    if (shipment != nullptr) header = shipment->all("PreviousDocument");
    const auto fsd = documentsOfType(header, "FSD");
    if (fsd.empty()) {
      errors_.push_back({headerPath(), "a final supplementary declaration (type Q) names the month it closes: "
                                       "previous document FSD (DE 2/1) at header level, ID yyyymm"});
    } else if (fsd.size() > 1) {
      errors_.push_back({fsd[1].location, "a final supplementary declaration closes one month: a second previous "
                                          "document FSD"});
    } else {
      facts.period = periodOf(fsd.front().id);
      if (facts.period.empty()) {
        errors_.push_back({fsd.front().location, "'" + fsd.front().id + "' is not a month yyyymm (previous document FSD)"});
      }
    }
    for (const char* code : {"FINSY", "FINSZ"}) count(facts, code);
    if (statements(dec_, "FINSL").empty()) {
      errors_.push_back({dec_.path + "/AdditionalInformation", "a final supplementary declaration reports its late "
                                                               "declarations: additional information FINSL (DE 2/2), "
                                                               "nil returns too"});
    }
    for (const XmlNode* doc : dec_.all("AdditionalDocument")) {
      if (doc->value("TypeCode") == "DAN") facts.account = doc->value("ID");
    }
    if (shipment != nullptr) totals(facts, *shipment);
  }

  void count(sdk::DeclarationFacts& facts, const std::string& code) {
    const auto found = statements(dec_, code);
    const std::string type = code.substr(4);
    if (found.empty()) {
      errors_.push_back({dec_.path + "/AdditionalInformation",
                         "a final supplementary declaration reports its type " + type +
                             " supplementary declarations: additional information " + code +
                             " (DE 2/2) 'finalised/due', nil returns too (0/0)"});
      return;
    }
    const XmlNode& ai = *found.front();
    const std::string text = ai.value("StatementDescription");
    const auto slash = text.find('/');
    const std::string finalised = slash == std::string::npos ? "" : trim(text.substr(0, slash));
    const std::string due = slash == std::string::npos ? "" : trim(text.substr(slash + 1));
    if (!digits(finalised) || !digits(due) || finalised.size() > 6 || due.size() > 6) {
      errors_.push_back({ai.path + "/StatementDescription",
                         "'" + text + "' is not 'finalised/due' (two counts, e.g. 45/48) for " + code});
      return;
    }
    facts.counts.push_back({type, std::stoi(finalised), std::stoi(due)});
  }

  void totals(sdk::DeclarationFacts& facts, const XmlNode& shipment) {
    std::map<std::pair<std::string, std::string>, std::size_t> at;  // (tax, currency) -> index
    for (const XmlNode* item : shipment.all("GovernmentAgencyGoodsItem")) {
      const XmlNode* commodity = item->child("Commodity");
      if (commodity == nullptr) continue;
      for (const XmlNode* fee : commodity->all("DutyTaxFee")) {
        const std::string code = fee->value("TypeCode");
        const std::string tax = taxOfTypeCode(code);
        if (tax.empty()) {
          errors_.push_back({fee->path + "/TypeCode", "'" + code + "' is no tax type the hub reports (A00 duty, A20, "
                                                      "A30, A40, B00 VAT)"});
          continue;
        }
        const XmlNode* amount = fee->find("Payment/TaxAssessedAmount");
        const auto value = amount ? sdk::Decimal::parse(trim(amount->text)) : std::nullopt;
        if (!value) {
          errors_.push_back({fee->path + "/Payment/TaxAssessedAmount", "the period's total of " + tax +
                                                                           " is required as a decimal amount"});
          continue;
        }
        std::string currency = trim(amount->attribute("currencyID"));
        if (currency.empty()) currency = defaultCurrency_;
        auto [it, fresh] = at.emplace(std::make_pair(tax, currency), facts.totals.size());
        if (fresh) {
          facts.totals.push_back({tax, *value, currency, amount->path});
        } else {
          facts.totals[it->second].amount = facts.totals[it->second].amount + *value;
        }
      }
    }
  }

  const XmlNode& dec_;
  std::string defaultCurrency_;
  sdk::Errors errors_;
};

}  // namespace

std::string taxOfTypeCode(const std::string& code) {
  // The reverse of tax_response.cpp's table (HMRC, "Tax types for data element 4/3 of CDS").
  static const std::map<std::string, std::string> kTaxes{
      {"A00", "duty"}, {"A20", "additional-duty"}, {"A30", "anti-dumping"}, {"A40", "countervailing"}, {"B00", "vat"}};
  auto it = kTaxes.find(code);
  return it == kTaxes.end() ? std::string() : it->second;
}

sdk::Result<std::optional<sdk::DeclarationFacts>> declarationFacts(const XmlNode& declaration,
                                                                   const std::string& defaultCurrency) {
  return FactsReader(declaration, defaultCurrency).run();
}

}  // namespace swhub::plugins::wco_dec
