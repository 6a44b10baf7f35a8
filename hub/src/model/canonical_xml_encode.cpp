// sdk::Consignment -> the canonical XML form (validates against consignment.xsd).

#include "model/canonical_xml.hpp"
#include "model/text_util.hpp"

namespace swhub::model {

namespace {

class XmlWriter {
 public:
  XmlWriter(std::string& out, int depth) : out_(out), depth_(depth) {}

  void open(std::string_view name) { indent(); out_ += '<'; out_ += name; out_ += ">\n"; ++depth_; }
  void close(std::string_view name) { --depth_; indent(); out_ += "</"; out_ += name; out_ += ">\n"; }
  void leaf(std::string_view name, std::string_view text) {
    indent();
    out_ += '<';
    out_ += name;
    out_ += '>';
    detail::appendXmlText(out_, text);
    out_ += "</";
    out_ += name;
    out_ += ">\n";
  }
  // Leaves out empty text: absent and empty read back the same.
  void optional(std::string_view name, const std::string& text) {
    if (!text.empty()) leaf(name, text);
  }
  void optional(std::string_view name, const std::optional<double>& v) {
    if (v) leaf(name, detail::formatDouble(*v));
  }
  void optional(std::string_view name, const std::optional<sdk::Decimal>& v) {
    if (v) leaf(name, v->toString());
  }
  void list(std::string_view container, std::string_view element, const std::vector<std::string>& values) {
    if (values.empty()) return;
    open(container);
    for (const auto& v : values) leaf(element, v);
    close(container);
  }

 private:
  void indent() { out_.append(static_cast<std::size_t>(depth_) * 2, ' '); }
  std::string& out_;
  int depth_;
};

void writeParty(XmlWriter& w, std::string_view role, const std::optional<sdk::Party>& p) {
  if (!p) return;
  w.open(role);
  w.optional("name", p->name);
  w.optional("id", p->id);
  w.optional("registration", p->registration);
  w.optional("platform", p->platform);
  w.optional("address", p->address);
  w.optional("country", p->country);
  w.optional("kind", p->kind);
  w.close(role);
}

void writeItem(XmlWriter& w, const sdk::Item& it) {
  w.open("item");
  w.leaf("sequence", std::to_string(it.sequence));
  w.leaf("description", it.description);
  w.leaf("hs", it.hs);
  w.leaf("quantity", detail::formatDouble(it.quantity));
  w.leaf("unit", it.unit);
  w.optional("net_kg", it.net_kg);
  w.optional("gross_kg", it.gross_kg);
  w.leaf("value", it.value.toString());
  w.leaf("currency", it.currency);
  w.leaf("origin", it.origin);
  w.leaf("nature", sdk::toString(it.nature));
  if (!it.documents.empty()) {
    w.open("documents");
    for (const auto& d : it.documents) {
      w.open("document");
      w.leaf("type", d.type);
      w.optional("id", d.id);
      w.optional("quantity", d.quantity);
      w.close("document");
    }
    w.close("documents");
  }
  w.close("item");
}

}  // namespace

std::string encodeConsignmentXml(const sdk::Consignment& c) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<consignment xmlns=\"";
  out += kConsignmentXmlNamespace;
  out += "\">\n";
  XmlWriter w(out, 1);
  w.optional("case_id", c.case_id);
  w.optional("reference", c.reference);
  w.optional("partner", c.partner);
  w.leaf("filing", sdk::toString(c.filing));
  w.leaf("version", std::to_string(c.version));
  if (c.parties != sdk::Parties{}) {
    w.open("parties");
    writeParty(w, "seller", c.parties.seller);
    writeParty(w, "buyer", c.parties.buyer);
    writeParty(w, "declarant", c.parties.declarant);
    writeParty(w, "carrier", c.parties.carrier);
    w.close("parties");
  }
  if (c.transport != sdk::Transport{}) {
    w.open("transport");
    if (c.transport.mode) w.leaf("mode", sdk::toString(*c.transport.mode));
    w.optional("conveyance", c.transport.conveyance);
    w.optional("master_ref", c.transport.master_ref);
    w.optional("departure", c.transport.departure);
    w.optional("destination", c.transport.destination);
    w.optional("arrival", c.transport.arrival);
    w.close("transport");
  }
  w.open("fiscal");
  w.leaf("model", sdk::toString(c.fiscal.model));
  w.leaf("collected_at_sale", c.fiscal.collected_at_sale ? "true" : "false");
  w.optional("registration", c.fiscal.registration);
  w.optional("tax_collected", c.fiscal.tax_collected);
  w.optional("tax_currency", c.fiscal.tax_currency);
  w.list("payment_refs", "payment_ref", c.fiscal.payment_refs);
  w.close("fiscal");
  if (!c.items.empty()) {
    w.open("items");
    for (const auto& it : c.items) writeItem(w, it);
    w.close("items");
  }
  if (c.derived != sdk::Derived{}) {
    const auto& d = c.derived;
    w.open("derived");
    if (d.category) w.leaf("category", std::to_string(*d.category));
    w.optional("duties", d.duties);
    w.optional("taxes", d.taxes);
    w.optional("revenue_currency", d.revenue_currency);
    if (d.risk_score) w.leaf("risk_score", std::to_string(*d.risk_score));
    w.list("reason_codes", "reason_code", d.reason_codes);
    w.close("derived");
  }
  out += "</consignment>\n";
  return out;
}

}  // namespace swhub::model
