#pragma once
// The DESIGN.md example in both forms, and the consignment it decodes to.

#include <ostream>
#include <string>

#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::sdk {
// Readable failures in gtest output.
inline void PrintTo(const Error& e, std::ostream* os) { *os << "{\"" << e.path << "\", \"" << e.message << "\"}"; }
}  // namespace swhub::sdk

namespace swhub::test {

inline const std::string kDesignJson = R"({ "reference": "LRN-2026-000123", "filing": "pre-arrival",
  "parties": { "seller": {"name": "Gadget Export Ltd", "country": "CN", "id": "CN91440300MA5"},
               "buyer":  {"name": "Ana Silva", "country": "PT", "address": "Rua Augusta 10, Lisboa"},
               "carrier": {"name": "Demo Post", "id": "PT-POST"} },
  "transport": { "mode": "air", "conveyance": "TP1234", "master_ref": "999-12345675",
                 "departure": "CN", "destination": "PT", "arrival": "2026-11-29T08:00:00Z" },
  "fiscal": { "model": "consumer", "collected_at_sale": false, "registration": null },
  "items": [ { "description": "Bluetooth headphones", "hs": "851830", "quantity": 1,
               "unit": "pce", "net_kg": 0.25, "gross_kg": 0.4, "value": 45.00,
               "currency": "EUR", "origin": "CN", "nature": "sale", "documents": [] } ] })";

inline const std::string kDesignXml = R"(<?xml version="1.0" encoding="UTF-8"?>
<consignment xmlns="urn:swhub:canonical:consignment:1">
  <reference>LRN-2026-000123</reference>
  <filing>pre-arrival</filing>
  <parties>
    <seller><name>Gadget Export Ltd</name><id>CN91440300MA5</id><country>CN</country></seller>
    <buyer><name>Ana Silva</name><address>Rua Augusta 10, Lisboa</address><country>PT</country></buyer>
    <carrier><name>Demo Post</name><id>PT-POST</id></carrier>
  </parties>
  <transport>
    <mode>air</mode><conveyance>TP1234</conveyance><master_ref>999-12345675</master_ref>
    <departure>CN</departure><destination>PT</destination><arrival>2026-11-29T08:00:00Z</arrival>
  </transport>
  <fiscal><model>consumer</model><collected_at_sale>false</collected_at_sale></fiscal>
  <items>
    <item>
      <description>Bluetooth headphones</description><hs>851830</hs><quantity>1</quantity>
      <unit>pce</unit><net_kg>0.25</net_kg><gross_kg>0.4</gross_kg><value>45.00</value>
      <currency>EUR</currency><origin>CN</origin><nature>sale</nature>
    </item>
  </items>
</consignment>
)";

inline sdk::Party party(std::string name, std::string id, std::string address, std::string country) {
  sdk::Party p;
  p.name = std::move(name);
  p.id = std::move(id);
  p.address = std::move(address);
  p.country = std::move(country);
  return p;
}

inline sdk::Consignment designConsignment() {
  sdk::Consignment c;
  c.reference = "LRN-2026-000123";
  c.filing = sdk::FilingKind::PreArrival;
  c.parties.seller = party("Gadget Export Ltd", "CN91440300MA5", "", "CN");
  c.parties.buyer = party("Ana Silva", "", "Rua Augusta 10, Lisboa", "PT");
  c.parties.carrier = party("Demo Post", "PT-POST", "", "");
  c.transport = {sdk::TransportMode::Air, "TP1234", "999-12345675", "CN", "PT", "2026-11-29T08:00:00Z"};
  c.fiscal.model = sdk::CollectionModel::Consumer;
  sdk::Item item;
  item.sequence = 1;
  item.description = "Bluetooth headphones";
  item.hs = "851830";
  item.quantity = 1;
  item.unit = "pce";
  item.net_kg = 0.25;
  item.gross_kg = 0.4;
  item.value = sdk::Decimal::fromUnits(450000);
  item.currency = "EUR";
  item.origin = "CN";
  item.nature = sdk::Nature::Sale;
  c.items.push_back(item);
  return c;
}

/// Every field set, hub fields included: for round trips.
inline sdk::Consignment fullConsignment() {
  sdk::Consignment c = designConsignment();
  c.case_id = "C-2026-0000042";
  c.partner = "demo-post";
  c.filing = sdk::FilingKind::Declaration;
  c.version = 3;
  c.parties.seller->registration = "IM2760000001";
  c.parties.seller->platform = "DemoMarket";
  c.parties.seller->kind = "business";
  c.parties.buyer->kind = "person";
  c.parties.declarant = party("Broker & Sons <Lda>", "PT123", "", "PT");
  c.fiscal = {sdk::CollectionModel::Vendor, true, "IM2760000001", sdk::Decimal::fromUnits(103500), "EUR",
              {"PAY-1", "PAY-\"2\""}};
  sdk::Item second = c.items.front();
  second.sequence = 7;
  second.description = "Phone case \xC3\xA9 \"quoted\"";
  second.hs = "3926909790";
  second.quantity = 2.5;
  second.net_kg.reset();
  second.gross_kg.reset();
  second.value = sdk::Decimal::fromUnits(12345);
  second.nature = sdk::Nature::Gift;
  second.documents = {{"C644", "CERT-1", 2.0}, {"Y900", "", std::nullopt}};
  c.items.push_back(second);
  c.derived.category = 3;
  c.derived.duties = sdk::Decimal::fromUnits(0);
  c.derived.taxes = sdk::Decimal::fromUnits(103500);
  c.derived.revenue_currency = "EUR";
  c.derived.risk_score = 17;
  c.derived.reason_codes = {"R01", "R07"};
  return c;
}

}  // namespace swhub::test
