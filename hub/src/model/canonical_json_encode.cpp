// sdk::Consignment and notifications -> canonical JSON text (compact, fields in DESIGN.md order).

#include "model/canonical_json.hpp"
#include "model/json_writer.hpp"
#include "model/notification_details.hpp"
#include "model/text_util.hpp"

namespace swhub::model {

namespace {

void writeParty(ObjectWriter& parent, std::string_view role, const std::optional<sdk::Party>& p) {
  if (!p) return;
  ObjectWriter w(parent.key(role));
  w.string("name", p->name);
  w.string("id", p->id);
  w.string("registration", p->registration);
  w.string("platform", p->platform);
  w.string("address", p->address);
  w.string("country", p->country);
  w.string("kind", p->kind);
}

void writeItem(std::string& out, const sdk::Item& it) {
  ObjectWriter w(out);
  w.raw("sequence", std::to_string(it.sequence));
  w.string("description", it.description, true);
  w.string("hs", it.hs, true);
  w.raw("quantity", detail::formatDouble(it.quantity));
  w.string("unit", it.unit, true);
  w.number("net_kg", it.net_kg);
  w.number("gross_kg", it.gross_kg);
  w.raw("value", it.value.toString());
  w.string("currency", it.currency, true);
  w.string("origin", it.origin, true);
  w.string("nature", std::string(sdk::toString(it.nature)));
  std::string& docs = w.key("documents");
  docs += '[';
  for (std::size_t i = 0; i < it.documents.size(); ++i) {
    if (i) docs += ',';
    ObjectWriter d(docs);
    d.string("type", it.documents[i].type, true);
    d.string("id", it.documents[i].id);
    d.number("quantity", it.documents[i].quantity);
  }
  docs += ']';
}

}  // namespace

std::string encodeConsignmentJson(const sdk::Consignment& c) {
  std::string out;
  {
    ObjectWriter w(out);
    w.string("case_id", c.case_id);
    w.string("reference", c.reference, true);
    w.string("partner", c.partner);
    w.string("filing", std::string(sdk::toString(c.filing)));
    w.raw("version", std::to_string(c.version));
    if (c.parties != sdk::Parties{}) {
      ObjectWriter p(w.key("parties"));
      writeParty(p, "seller", c.parties.seller);
      writeParty(p, "buyer", c.parties.buyer);
      writeParty(p, "declarant", c.parties.declarant);
      writeParty(p, "carrier", c.parties.carrier);
    }
    if (c.transport != sdk::Transport{}) {
      ObjectWriter t(w.key("transport"));
      if (c.transport.mode) t.string("mode", std::string(sdk::toString(*c.transport.mode)));
      t.string("conveyance", c.transport.conveyance);
      t.string("master_ref", c.transport.master_ref);
      t.string("departure", c.transport.departure);
      t.string("destination", c.transport.destination);
      t.string("arrival", c.transport.arrival);
    }
    {
      ObjectWriter f(w.key("fiscal"));
      f.string("model", std::string(sdk::toString(c.fiscal.model)));
      f.raw("collected_at_sale", c.fiscal.collected_at_sale ? "true" : "false");
      if (c.fiscal.registration.empty()) f.raw("registration", "null");
      else f.string("registration", c.fiscal.registration);
      f.decimal("tax_collected", c.fiscal.tax_collected);
      f.string("tax_currency", c.fiscal.tax_currency);
      if (!c.fiscal.payment_refs.empty()) f.strings("payment_refs", c.fiscal.payment_refs);
    }
    std::string& items = w.key("items");
    items += '[';
    for (std::size_t i = 0; i < c.items.size(); ++i) {
      if (i) items += ',';
      writeItem(items, c.items[i]);
    }
    items += ']';
    if (c.derived != sdk::Derived{}) {
      ObjectWriter d(w.key("derived"));
      if (c.derived.category) d.raw("category", std::to_string(*c.derived.category));
      d.decimal("duties", c.derived.duties);
      d.decimal("taxes", c.derived.taxes);
      d.string("revenue_currency", c.derived.revenue_currency);
      if (c.derived.risk_score) d.raw("risk_score", std::to_string(*c.derived.risk_score));
      if (!c.derived.reason_codes.empty()) d.strings("reason_codes", c.derived.reason_codes);
    }
  }
  return out;
}

std::string encodeNotificationsJson(const std::vector<sdk::Notification>& notifications) {
  std::string out = "{\"notifications\":[";
  for (std::size_t i = 0; i < notifications.size(); ++i) {
    const auto& n = notifications[i];
    if (i) out += ',';
    ObjectWriter w(out);
    w.string("id", n.id, true);
    w.string("case_id", n.case_id, true);
    w.string("reference", n.reference, true);
    w.string("event", n.event, true);
    w.string("state", n.state, true);
    w.string("reason", n.reason, true);
    w.string("at", n.at, true);
    appendNotificationDetails(w.key("details"), n.details);
  }
  out += "]}";
  return out;
}

}  // namespace swhub::model
