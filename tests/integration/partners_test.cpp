// Partner formats through a real hub (issue 4): each partner of the example deployment files in
// its own format with its own content type, the hub decodes it with the partner's plugin, journals
// it, routes it, and tells the partner in its own format. Real `swhub serve`, real plugins, the
// example config (config/hub.yaml) moved to a scratch folder.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <functional>
#include <set>
#include <sstream>

#include "corpus.hpp"
#include "hub_process.hpp"
#include "test_json.hpp"
#include "payment_signature.hpp"
#include "receiver.hpp"

namespace swhub::testing {
namespace {

namespace fs = std::filesystem;
using Poco::JSON::Array;
using Poco::JSON::Object;

// The example config, runnable from a scratch folder: plugins from the build, the broker's DMS
// schemas from the shared corpus (absolute) when it is there; without it DMS filings are off and
// the broker's test skips. Customs is an external system here: these tests decide for it, with the
// duties and taxes a customs system would type (tests/integration/customs_day_test.cpp has the
// in-process customs agency).
std::string configWith() {
  std::string yaml = withExternalCustoms(exampleConfigText());
  replaceOnce(yaml, "  max_queued: 256\n", std::string("  max_queued: 256\n  plugin_dir: ") + SWHUB_PLUGIN_DIR + "\n");
  if (haveDmsCorpus()) replaceOnce(yaml, "schema_dir: dms-schemas", "schema_dir: " + dmsSchemas().string());
  return yaml;
}

// The {path, message} list of a problem JSON, as "path: message" lines (for failure output too).
std::vector<std::pair<std::string, std::string>> problemErrors(const std::string& body) {
  std::vector<std::pair<std::string, std::string>> out;
  auto errors = parse(body)->getArray("errors");
  if (!errors) return out;
  for (std::size_t i = 0; i < errors->size(); ++i) {
    auto e = errors->getObject(i);
    out.emplace_back(e->optValue<std::string>("path", ""), e->optValue<std::string>("message", ""));
  }
  return out;
}

bool anyError(const std::string& body, const std::function<bool(const std::string&, const std::string&)>& match) {
  for (const auto& [path, message] : problemErrors(body)) {
    if (match(path, message)) return true;
  }
  return false;
}

const std::string kPaySecret = "demo-pay-hmac-secret-0123456789";  // config/hub.yaml, demo-pay

std::string paymentSignature(const std::string& body, std::int64_t t, const std::string& secret = kPaySecret) {
  return swhub::testing::paymentSignature(body, t, secret);
}


std::size_t countOf(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

std::string withoutComments(std::string xml) {
  for (auto at = xml.find("<!--"); at != std::string::npos; at = xml.find("<!--", at)) {
    const auto end = xml.find("-->", at);
    xml.erase(at, end == std::string::npos ? std::string::npos : end + 3 - at);
  }
  return xml;
}

// The files of a corpus folder, alphabetically.
std::vector<std::string> filesIn(const fs::path& folder) {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file()) files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string firstFileIn(const fs::path& folder) {
  const auto files = filesIn(folder);
  return files.empty() ? std::string() : files.front();
}

class Partners : public ::testing::Test {
 protected:
  void SetUp() override {
    writeFile(dir_.file("hub.yaml"), configWith());
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{
        "serve", "--config", dir_.file("hub.yaml"), "--listen", "127.0.0.1:0", "--journal",
        "sqlite:" + dir_.file("journal.db")});
  }

  HttpResponse as(const std::string& token, const std::string& method, const std::string& path,
                  const std::string& body = "", const std::string& contentType = "",
                  std::map<std::string, std::string> headers = {}) {
    headers["Authorization"] = "Bearer " + token;
    if (!contentType.empty()) headers["Content-Type"] = contentType;
    return request(hub_->address(), method, path, body, headers);
  }

  HttpResponse file(const std::string& token, const std::string& body, const std::string& contentType,
                    const std::map<std::string, std::string>& headers = {}) {
    return as(token, "POST", "/v1/messages", body, contentType, headers);
  }

  Object::Ptr caseView(const std::string& token, const std::string& caseId) {
    const auto r = as(token, "GET", "/v1/cases/" + caseId);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? parse(r.body) : Object::Ptr(new Object);
  }

  std::string state(const std::string& caseId) {
    return caseView("demo-admin-token", caseId)->optValue<std::string>("state", "");
  }

  HttpResponse decide(const std::string& caseId, const std::string& decision, const std::string& extra = "") {
    return as("demo-customs-token", "POST", "/v1/agency/decisions",
              R"({"case_id":")" + caseId + R"(","decision":")" + decision +
                  R"(","reason":"checked","decided_at":"2026-11-28T09:00:00Z")" + extra + "}",
              "application/json");
  }

  // The notifications `token`'s partner pulled, each as {content_type, body or message text}.
  std::vector<std::pair<std::string, std::string>> notifications(const std::string& token,
                                                                 const std::string& caseId) {
    std::vector<std::pair<std::string, std::string>> out;
    const auto r = as(token, "GET", "/v1/notifications?after=0");
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) return out;
    auto list = parse(r.body)->getArray("notifications");
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto n = list->getObject(i);
      if (n->optValue<std::string>("case_id", "") != caseId) continue;
      std::string text;
      if (n->has("body")) {
        text = n->getValue<std::string>("body");
      } else if (n->has("message")) {
        std::ostringstream s;
        n->get("message").extract<Object::Ptr>()->stringify(s);
        text = s.str();
      }
      out.emplace_back(n->optValue<std::string>("content_type", ""), text);
    }
    return out;
  }

  // Case ids of a 202 receipt, in order, with their references.
  static std::vector<std::pair<std::string, std::string>> receiptCases(const std::string& body) {
    std::vector<std::pair<std::string, std::string>> out;
    auto cases = parse(body)->getArray("cases");
    for (std::size_t i = 0; cases && i < cases->size(); ++i) {
      auto c = cases->getObject(i);
      out.emplace_back(c->getValue<std::string>("case_id"), c->getValue<std::string>("reference"));
    }
    return out;
  }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
};

// ------------------------------------------------------------------------------------ upu_post

const std::string kUpuType = "application/vnd.swhub.upu-post+xml";

// The README's example message: two postal items (valid S10 numbers), one with a food line.
const std::string kPostalItems = R"(<?xml version="1.0" encoding="UTF-8"?>
<postalItems xmlns="urn:swhub:partner:upu-post:1">
  <filing>pre-arrival</filing>
  <item>
    <itemId>RR123456785CH</itemId>
    <category>sale-of-goods</category>
    <currency>CHF</currency>
    <sender>
      <name>Uhren &amp; Mehr AG</name><id>CHE-123.456.789</id>
      <address>Bahnhofstrasse 1</address><postcode>8001</postcode><city>Zurich</city><country>CH</country>
    </sender>
    <addressee>
      <name>Ana Silva</name><address>Rua Augusta 10</address><postcode>1100-053</postcode>
      <city>Lisboa</city><country>PT</country>
    </addressee>
    <content>
      <description>Watch strap, leather</description><quantity>2</quantity><netWeight>0.08</netWeight>
      <value>59.80</value><hsCode>911390</hsCode><originCountry>CH</originCountry>
    </content>
    <content>
      <description>Milk chocolate bars</description><quantity>3</quantity><netWeight>0.3</netWeight>
      <value>12.60</value><hsCode>180632</hsCode><originCountry>CH</originCountry>
    </content>
    <totalValue>72.40</totalValue>
    <postage>18.50</postage>
    <grossWeight>0.55</grossWeight>
    <invoice>INV-2026-0042</invoice>
    <dispatchId>CHZRHAPTLISAAUN60001</dispatchId>
    <receptacleId>CHZRHAPTLISAAUN60001001100075</receptacleId>
    <expectedArrival>2026-11-29T08:00:00Z</expectedArrival>
  </item>
  <item>
    <itemId>EE123456785XX</itemId>
    <category>gift</category>
    <currency>EUR</currency>
    <sender><name>Oma Weber</name><country>DE</country></sender>
    <addressee><name>Tiago Weber</name><city>Porto</city><country>PT</country></addressee>
    <content>
      <description>Knitted scarf</description><quantity>1</quantity><netWeight>0.15</netWeight>
      <value>30</value><hsCode>611710</hsCode><originCountry>DE</originCountry>
    </content>
  </item>
</postalItems>
)";

// One item whose S10 number has check digit 4 where 5 is right.
const std::string kBadCheckDigit = R"(<?xml version="1.0" encoding="UTF-8"?>
<postalItems xmlns="urn:swhub:partner:upu-post:1">
  <item>
    <itemId>CP123456784DE</itemId>
    <category>gift</category>
    <currency>EUR</currency>
    <sender><name>Oma Weber</name><country>DE</country></sender>
    <addressee><name>Tiago Weber</name><city>Porto</city><country>PT</country></addressee>
    <content>
      <description>Knitted gloves</description><quantity>1</quantity><netWeight>0.1</netWeight>
      <value>15</value><hsCode>611610</hsCode><originCountry>DE</originCountry>
    </content>
  </item>
</postalItems>
)";

TEST_F(Partners, PostFilesPostalItemsAndGetsItemResponsesInItsOwnFormat) {
  const auto filed = file("demo-post-token", kPostalItems, kUpuType);
  ASSERT_EQ(filed.status, 202) << filed.body;
  const auto cases = receiptCases(filed.body);
  ASSERT_EQ(cases.size(), 2u) << filed.body;
  EXPECT_EQ(cases[0].second, "RR123456785CH");
  EXPECT_EQ(cases[1].second, "EE123456785XX");
  EXPECT_NE(cases[0].first, cases[1].first);

  // A wrong S10 check digit: the whole message is refused, the error names the item's element.
  const auto bad = file("demo-post-token", kBadCheckDigit, kUpuType);
  ASSERT_EQ(bad.status, 400) << bad.body;
  const auto type = bad.headers.find("Content-Type");
  ASSERT_NE(type, bad.headers.end());
  EXPECT_NE(type->second.find("application/problem+json"), std::string::npos) << type->second;
  EXPECT_TRUE(anyError(bad.body, [](const std::string& path, const std::string& message) {
    return path.find("/postalItems/item[1]/itemId") == 0 && message.find("check digit") != std::string::npos;
  })) << bad.body;
  const auto none = as("demo-post-token", "GET", "/v1/cases?reference=CP123456784DE");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(parse(none.body)->getArray("cases")->size(), 0u) << none.body;

  // The scarf (HS 6117) goes to customs alone; customs clears it (pre-arrival: cleared ahead).
  const std::string scarf = cases[1].first;
  ASSERT_EQ(decide(scarf, "clear").status, 200);
  EXPECT_EQ(state(scarf), "cleared");

  // demo-post pulls the clearance as a UPU item response.
  std::pair<std::string, std::string> cleared;
  ASSERT_TRUE(eventually([&] {
    for (const auto& n : notifications("demo-post-token", scarf)) {
      if (n.second.find("<status>cleared</status>") != std::string::npos) {
        cleared = n;
        return true;
      }
    }
    return false;
  })) << as("demo-post-token", "GET", "/v1/notifications?after=0").body;
  EXPECT_EQ(cleared.first, kUpuType);
  EXPECT_NE(cleared.second.find("<itemResponses"), std::string::npos) << cleared.second;
  EXPECT_NE(cleared.second.find("urn:swhub:partner:upu-post:1"), std::string::npos) << cleared.second;
  EXPECT_NE(cleared.second.find("<itemId>EE123456785XX</itemId>"), std::string::npos) << cleared.second;
  EXPECT_NE(cleared.second.find("<caseId>" + scarf + "</caseId>"), std::string::npos) << cleared.second;
}

// ---------------------------------------------------------------------------- express_manifest

const std::string kCsvHeader =
    "master_waybill,house_waybill,shipper_name,shipper_country,consignee_name,consignee_address,"
    "consignee_country,description,hs_code,quantity,unit,net_kg,gross_kg,value,currency,origin,nature,flight,"
    "departure,destination,arrival\n";

std::string csvLine(const std::string& master, const std::string& house, const std::string& description,
                    const std::string& hs, const std::string& value) {
  return master + "," + house + ",Shenzhen Gadget Co,CN,Ana Silva,\"Rua Augusta 10, Lisboa\",PT," + description + "," +
         hs + ",1,pce,0.25,0.4," + value + ",EUR,CN,,TP1234,CN,PT,2026-11-29T08:00:00Z\n";
}

TEST_F(Partners, ExpressCarrierFilesACsvManifestAndABadLineRejectsAllOfIt) {
  const std::string manifest = kCsvHeader + csvLine("999-12345675", "HWB0000001", "Bluetooth headphones", "851830", "45.00") +
                               "999-12345675,HWB0000002,Hanoi Cases,VN,\"Silva, Rui\",Rua do Ouro 5,PT,"
                               "\"Phone case \"\"slim\"\"\",392690,2,pce,,,3.50,EUR,VN,gift,TP1234,CN,PT,"
                               "2026-11-29T08:00:00Z\n" +
                               csvLine("999-12345675", "HWB0000003", "Cotton T-shirt", "610910", "12.00");
  const auto filed = file("demo-express-token", manifest, "text/csv", {{"Idempotency-Key", "MAWB-999-12345675-v1"}});
  ASSERT_EQ(filed.status, 202) << filed.body;
  const auto cases = receiptCases(filed.body);
  ASSERT_EQ(cases.size(), 3u) << filed.body;
  std::set<std::string> references, ids;
  for (const auto& [id, reference] : cases) {
    references.insert(reference);
    ids.insert(id);
  }
  EXPECT_EQ(references, (std::set<std::string>{"HWB0000001", "HWB0000002", "HWB0000003"}));
  EXPECT_EQ(ids.size(), 3u);
  // Each house is its own case, the master waybill carried in the transport.
  auto house2 = caseView("demo-express-token", cases[1].first);
  EXPECT_EQ(house2->getValue<std::string>("reference"), "HWB0000002");
  EXPECT_EQ(house2->getObject("consignment")->getObject("transport")->getValue<std::string>("master_ref"),
            "999-12345675");

  // Another manifest, one bad HS code on its third physical line: reject-all files nothing.
  const std::string badManifest = kCsvHeader + csvLine("999-22222226", "HWB0000011", "Bluetooth headphones", "851830", "45.00") +
                                  csvLine("999-22222226", "HWB0000012", "Bluetooth speaker", "8518x", "25.00") +
                                  csvLine("999-22222226", "HWB0000013", "Cotton T-shirt", "610910", "12.00");
  const auto bad = file("demo-express-token", badManifest, "text/csv");
  ASSERT_EQ(bad.status, 400) << bad.body;
  EXPECT_TRUE(anyError(bad.body, [](const std::string& path, const std::string& message) {
    return path.find("line 3") == 0 && path.find("hs_code") != std::string::npos &&
           message.find("8518x") != std::string::npos;
  })) << bad.body;
  for (const std::string house : {"HWB0000011", "HWB0000013"}) {
    const auto found = as("demo-express-token", "GET", "/v1/cases?reference=" + house);
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_EQ(parse(found.body)->getArray("cases")->size(), 0u) << house << ": " << found.body;
  }
}

// --------------------------------------------------------------------------------- marketplace

const std::string kIossOrder = R"({ "order_id": "DM-2026-11-000417",
  "platform": {"name": "Demo Market", "id": "DEMO-MARKET"},
  "seller": {"name": "Shenzhen Bright Audio Co., Ltd", "platform_seller_id": "S-88213", "country": "CN"},
  "buyer": {"name": "Ana Silva", "address": "Rua Augusta 10, 1100-053 Lisboa", "country": "PT", "kind": "person"},
  "lines": [
    {"sku": "BA-HP-200", "description": "Bluetooth headphones", "hs": "851830", "quantity": 1, "unit": "pce",
     "price_paid": "45.00", "currency": "EUR", "origin": "CN", "net_kg": 0.25},
    {"sku": "BA-CASE-1", "description": "Protective case for headphones", "hs": "420292", "quantity": 2,
     "unit": "pce", "price_paid": "15.80", "currency": "EUR", "origin": "CN"} ],
  "tax_collected_at_sale": {"amount": "13.98", "currency": "EUR", "registration": "IM2760000742"},
  "payment": {"transaction_ref": "PSP-7Q2K9X", "provider": "Demo Pay"},
  "shipping": {"carrier": "Demo Post", "tracking": "LX123456785CN", "departure": "CN", "destination": "PT"} })";

TEST_F(Partners, MarketplaceFilesAnIossOrderCollectedAtSale) {
  const auto filed = file("demo-market-token", kIossOrder, "application/vnd.swhub.marketplace.order+json",
                          {{"Idempotency-Key", "DM-2026-11-000417"}});
  ASSERT_EQ(filed.status, 202) << filed.body;
  const auto cases = receiptCases(filed.body);
  ASSERT_EQ(cases.size(), 1u) << filed.body;
  EXPECT_EQ(cases[0].second, "DM-2026-11-000417");

  auto view = caseView("demo-market-token", cases[0].first);
  ASSERT_TRUE(view->has("consignment")) << cases[0].first;
  auto consignment = view->getObject("consignment");
  EXPECT_EQ(consignment->getValue<std::string>("filing"), "pre-arrival");
  auto fiscal = consignment->getObject("fiscal");
  ASSERT_TRUE(fiscal);
  EXPECT_EQ(fiscal->getValue<std::string>("model"), "vendor");
  EXPECT_TRUE(fiscal->getValue<bool>("collected_at_sale"));
  EXPECT_EQ(fiscal->getValue<std::string>("registration"), "IM2760000742");
  EXPECT_EQ(consignment->getArray("items")->size(), 2u);
  // Another partner does not see it.
  EXPECT_EQ(as("demo-post-token", "GET", "/v1/cases/" + cases[0].first).status, 404);
}

// ------------------------------------------------------------------------------------- wco_dec

TEST_F(Partners, BrokerFilesACorpusDeclarationAndGetsADmsResponse) {
  SWHUB_REQUIRE_DMS_CORPUS();
  const fs::path corpus = dmsCorpus();
  // The first declaration (alphabetically) with several goods items, else the first one.
  std::string path, xml, bare;
  std::size_t goodsItems = 0;
  for (const auto& candidate : filesIn(corpus / "declarations")) {
    const std::string text = readFile(candidate);
    const std::string stripped = withoutComments(text);
    const std::size_t n = countOf(stripped, "<GovernmentAgencyGoodsItem>") + countOf(stripped, "<GovernmentAgencyGoodsItem ");
    if (path.empty() || (goodsItems < 2 && n >= 2)) {
      path = candidate, xml = text, bare = stripped, goodsItems = n;
    }
    if (goodsItems >= 2) break;
  }
  ASSERT_FALSE(path.empty()) << "no declaration in " << corpus;
  ASSERT_GT(goodsItems, 0u) << path;
  // The LRN: the declaration's FunctionalReferenceID (the first one in the message).
  const auto lrnAt = bare.find("<FunctionalReferenceID>");
  ASSERT_NE(lrnAt, std::string::npos) << path;
  const auto lrnFrom = lrnAt + std::string("<FunctionalReferenceID>").size();
  const std::string lrn = bare.substr(lrnFrom, bare.find('<', lrnFrom) - lrnFrom);

  const auto filed = file("demo-broker-token", xml, "application/vnd.wco.dms.dec+xml");
  ASSERT_EQ(filed.status, 202) << path << ": " << filed.body;
  const auto cases = receiptCases(filed.body);
  ASSERT_EQ(cases.size(), 1u) << filed.body;
  EXPECT_EQ(cases[0].second, lrn);
  const std::string caseId = cases[0].first;
  auto consignment = caseView("demo-broker-token", caseId)->getObject("consignment");
  ASSERT_TRUE(consignment);
  EXPECT_EQ(consignment->getArray("items")->size(), goodsItems) << path;

  // A declaration that does not validate against the DMS schemas.
  const std::string invalidPath = firstFileIn(corpus / "invalid");
  ASSERT_FALSE(invalidPath.empty());
  const auto invalid = file("demo-broker-token", readFile(invalidPath), "application/vnd.wco.dms.dec+xml");
  ASSERT_EQ(invalid.status, 400) << invalidPath << ": " << invalid.body;
  // Each error names where it is (an XPath-like path) and its line.
  const auto invalidErrors = problemErrors(invalid.body);
  ASSERT_FALSE(invalidErrors.empty()) << invalid.body;
  for (const auto& [where, message] : invalidErrors) {
    EXPECT_EQ(where.rfind('/', 0), 0u) << where << ": " << message;
    EXPECT_NE(message.find("(line "), std::string::npos) << where << ": " << message;
  }
  const std::string invalidBare = withoutComments(readFile(invalidPath));
  const auto invalidLrnAt = invalidBare.find("<FunctionalReferenceID>");
  if (invalidLrnAt != std::string::npos) {  // nothing of it was filed
    const auto from = invalidLrnAt + std::string("<FunctionalReferenceID>").size();
    const std::string invalidLrn = invalidBare.substr(from, invalidBare.find('<', from) - from);
    const auto found = as("demo-broker-token", "GET", "/v1/cases?reference=" + invalidLrn);
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_EQ(parse(found.body)->getArray("cases")->size(), 0u) << found.body;
  }

  // Customs clears (and the in-process food agency, if routed, decides on its own): demo-broker
  // pulls a RES with FunctionCode 09 for its LRN.
  ASSERT_EQ(decide(caseId, "clear").status, 200);
  std::pair<std::string, std::string> res;
  ASSERT_TRUE(eventually([&] {
    for (const auto& n : notifications("demo-broker-token", caseId)) {
      if (n.second.find("<FunctionCode>09</FunctionCode>") != std::string::npos) {
        res = n;
        return true;
      }
    }
    return false;
  })) << "state " << state(caseId) << "; " << as("demo-broker-token", "GET", "/v1/notifications?after=0").body;
  EXPECT_EQ(res.first, "application/xml");
  EXPECT_NE(res.second.find("Response"), std::string::npos) << res.second;
  EXPECT_NE(res.second.find("urn:wco:datamodel:WCO:RES-DMS:2"), std::string::npos) << res.second;
  EXPECT_NE(res.second.find("<FunctionalReferenceID>" + lrn + "</FunctionalReferenceID>"), std::string::npos)
      << res.second;
  EXPECT_NE(res.second.find(caseId), std::string::npos) << res.second;
}

// ------------------------------------------------------------------------------------- payment

const std::string kPayType = "application/vnd.swhub.payment+json";

// A consumer-pays consignment of shirts (HS 6205: neither food nor a toy or an appliance, so
// customs alone decides), in the canonical JSON form.
std::string consumerShirts(const std::string& reference) {
  return R"({"reference":")" + reference + R"(","filing":"pre-arrival",)"
         R"("parties":{"seller":{"name":"Dhaka Shirts Ltd","country":"BD","id":"BD-S1"},"buyer":{"name":"Ana Silva","country":"PT"}},)"
         R"("fiscal":{"model":"consumer","collected_at_sale":false,"registration":null},)"
         R"("items":[{"sequence":1,"description":"Men's cotton shirts","hs":"620520","quantity":3,"unit":"pce",)"
         R"("value":60.00,"currency":"EUR","origin":"BD","nature":"sale","documents":[]}]})";
}

TEST_F(Partners, APaymentSettlesTheDutiesAndReleasesTheCaseOnce) {
  const auto filed = file("demo-shop-token", consumerShirts("PAY-2026-0001"), "application/vnd.swhub.consignment+json");
  ASSERT_EQ(filed.status, 202) << filed.body;
  const auto cases = receiptCases(filed.body);
  ASSERT_EQ(cases.size(), 1u);
  const std::string caseId = cases[0].first;
  auto decisions = caseView("demo-shop-token", caseId)->getObject("decisions");
  const auto names = decisions->getNames();
  const std::set<std::string> agencies(names.begin(), names.end());
  EXPECT_EQ(agencies, (std::set<std::string>{"customs"}));

  // Customs clears and assesses 4.50 duties + 10.35 taxes; the goods arrive, nothing paid yet.
  const auto decided = decide(caseId, "clear", R"(,"duties":"4.50","taxes":"10.35","currency":"EUR")");
  ASSERT_EQ(decided.status, 200) << decided.body;
  EXPECT_EQ(state(caseId), "cleared");
  const auto arrival = file("demo-shop-token", R"({"reference":"PAY-2026-0001","filing":"arrival"})",
                            "application/vnd.swhub.consignment+json");
  ASSERT_EQ(arrival.status, 202) << arrival.body;
  auto view = caseView("demo-admin-token", caseId);
  EXPECT_EQ(view->getValue<std::string>("state"), "cleared");
  EXPECT_TRUE(view->getValue<bool>("arrived"));
  EXPECT_FALSE(view->getValue<bool>("revenue_settled"));

  // demo-pay confirms the payment, signed: released.
  const std::string event = R"({"type":"payment.confirmed","transaction_id":"pi_3QxK2L9mDemo0001","amount":"14.85",)"
                            R"("currency":"EUR","case_id":")" +
                            caseId + R"(","paid_at":"2026-11-28T10:00:00Z"})";
  const std::string signature = paymentSignature(event, nowSeconds());
  const auto paid = file("demo-pay-token", event, kPayType, {{"X-Swhub-Signature", signature}});
  ASSERT_EQ(paid.status, 202) << paid.body;
  view = caseView("demo-admin-token", caseId);
  EXPECT_EQ(view->getValue<std::string>("state"), "released");
  EXPECT_TRUE(view->getValue<bool>("revenue_settled"));

  // The provider delivers the same webhook again: never counted twice.
  const auto again = file("demo-pay-token", event, kPayType, {{"X-Swhub-Signature", signature}});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_NE(again.body.find("pi_3QxK2L9mDemo0001"), std::string::npos) << again.body;
  EXPECT_EQ(state(caseId), "released");

  // A forged signature (another secret) and a stale timestamp are refused at the header.
  const std::string other = R"({"type":"payment.confirmed","transaction_id":"pi_3QxK2L9mDemo0002","amount":"14.85",)"
                            R"("currency":"EUR","case_id":")" +
                            caseId + R"(","paid_at":"2026-11-28T10:05:00Z"})";
  const auto forged = file("demo-pay-token", other, kPayType,
                           {{"X-Swhub-Signature", paymentSignature(other, nowSeconds(), "not-the-shared-secret-000")}});
  EXPECT_EQ(forged.status, 400) << forged.body;
  EXPECT_TRUE(anyError(forged.body, [](const std::string& path, const std::string& message) {
    return path == "x-swhub-signature" && message.find("does not match") != std::string::npos;
  })) << forged.body;
  const auto stale = file("demo-pay-token", other, kPayType,
                          {{"X-Swhub-Signature", paymentSignature(other, nowSeconds() - 3600)}});
  EXPECT_EQ(stale.status, 400) << stale.body;
  EXPECT_TRUE(anyError(stale.body, [](const std::string& path, const std::string& message) {
    return path == "x-swhub-signature" && message.find("before the hub received") != std::string::npos;
  })) << stale.body;

  // Only the one payment is on the case.
  std::size_t payments = 0;
  auto history = caseView("demo-admin-token", caseId)->getArray("history");
  for (std::size_t i = 0; i < history->size(); ++i) {
    if (history->getObject(i)->getValue<std::string>("kind") == "payment") ++payments;
  }
  EXPECT_EQ(payments, 1u);

  // The shop was told what it owed, and the provider gets its acknowledgement in its own format.
  const auto shop = as("demo-shop-token", "GET", "/v1/notifications?after=0");
  EXPECT_NE(shop.body.find("\"revenue_due\":\"14.85\""), std::string::npos) << shop.body;
  const auto provider = as("demo-pay-token", "GET", "/v1/notifications?after=0");
  EXPECT_NE(provider.body.find("application/vnd.swhub.payment.ack+json"), std::string::npos) << provider.body;
  EXPECT_NE(provider.body.find(caseId), std::string::npos) << provider.body;
}

// A refund gives back a settled payment of a released case, in its currency, never more than the
// payment has left; anything else is refused with the reason and changes nothing.
TEST_F(Partners, ARefundMustGiveBackASettledPaymentOfAReleasedCase) {
  auto consumerCase = [&](const std::string& reference) {
    const auto filed = file("demo-shop-token", consumerShirts(reference), "application/vnd.swhub.consignment+json");
    EXPECT_EQ(filed.status, 202) << filed.body;
    const auto cases = receiptCases(filed.body);
    return cases.empty() ? std::string() : cases[0].first;
  };
  auto event = [](const std::string& type, const std::string& txn, const std::string& amount,
                  const std::string& currency, const std::string& caseId, const std::string& refunds = "") {
    return R"({"type":")" + type + R"(","transaction_id":")" + txn + R"(","amount":")" + amount +
           R"(","currency":")" + currency + R"(","case_id":")" + caseId + R"(",)" +
           (refunds.empty() ? "" : R"("refunded_transaction_id":")" + refunds + R"(",)") +
           R"("paid_at":"2026-11-28T10:00:00Z"})";
  };
  auto send = [&](const std::string& body) {
    return file("demo-pay-token", body, kPayType, {{"X-Swhub-Signature", paymentSignature(body, nowSeconds())}});
  };
  auto refusedAt = [](const HttpResponse& r, const std::string& path, const std::string& words) {
    return r.status == 400 && anyError(r.body, [&](const std::string& p, const std::string& m) {
             return p == path && m.find(words) != std::string::npos;
           });
  };

  // A case still under assessment, never paid: a refund is refused and the case stays as it was.
  const std::string pending = consumerCase("REF-2026-0001");
  ASSERT_FALSE(pending.empty());
  ASSERT_EQ(state(pending), "under-assessment");
  auto early = send(event("refund.executed", "re_early_1", "10.00", "EUR", pending, "pi_never_paid"));
  EXPECT_TRUE(refusedAt(early, "/refunded_transaction_id", "only a released, returned or refunded case")) << early.body;
  EXPECT_EQ(state(pending), "under-assessment");

  // A released case that paid 14.85 EUR.
  const std::string caseId = consumerCase("REF-2026-0002");
  ASSERT_EQ(decide(caseId, "clear", R"(,"duties":"4.50","taxes":"10.35","currency":"EUR")").status, 200);
  ASSERT_EQ(file("demo-shop-token", R"({"reference":"REF-2026-0002","filing":"arrival"})",
                 "application/vnd.swhub.consignment+json").status, 202);
  // Cleared and arrived but not paid: nothing to refund yet.
  auto unpaid = send(event("refund.executed", "re_unpaid_1", "1.00", "EUR", caseId, "pi_ref_0002"));
  EXPECT_TRUE(refusedAt(unpaid, "/refunded_transaction_id", "is cleared")) << unpaid.body;
  ASSERT_EQ(send(event("payment.confirmed", "pi_ref_0002", "14.85", "EUR", caseId)).status, 202);
  ASSERT_EQ(state(caseId), "released");

  auto unknown = send(event("refund.executed", "re_1", "1.00", "EUR", caseId, "pi_someone_else"));
  EXPECT_TRUE(refusedAt(unknown, "/refunded_transaction_id", "has no settled payment 'pi_someone_else'")) << unknown.body;
  auto dollars = send(event("refund.executed", "re_2", "9999.00", "USD", caseId, "pi_ref_0002"));
  EXPECT_TRUE(refusedAt(dollars, "/currency", "refund in USD of payment 'pi_ref_0002' that was made in EUR"))
      << dollars.body;
  auto tooMuch = send(event("refund.executed", "re_3", "9999.00", "EUR", caseId, "pi_ref_0002"));
  EXPECT_TRUE(refusedAt(tooMuch, "/amount", "exceeds the 14.85 EUR that payment 'pi_ref_0002' has left unrefunded"))
      << tooMuch.body;
  auto noRefundId = send(event("refund.executed", "re_4", "1.00", "EUR", caseId));
  EXPECT_TRUE(refusedAt(noRefundId, "/refunded_transaction_id", "missing required field")) << noRefundId.body;
  EXPECT_EQ(state(caseId), "released");

  // Part of it, then the rest: refunded; one cent more is refused.
  ASSERT_EQ(send(event("refund.executed", "re_5", "10.00", "EUR", caseId, "pi_ref_0002")).status, 202);
  EXPECT_EQ(state(caseId), "refunded");
  ASSERT_EQ(send(event("refund.executed", "re_6", "4.85", "EUR", caseId, "pi_ref_0002")).status, 202);
  auto over = send(event("refund.executed", "re_7", "0.01", "EUR", caseId, "pi_ref_0002"));
  EXPECT_TRUE(refusedAt(over, "/amount", "exceeds the 0.00 EUR")) << over.body;
  std::size_t refunds = 0;
  auto history = caseView("demo-admin-token", caseId)->getArray("history");
  for (std::size_t i = 0; i < history->size(); ++i) {
    if (history->getObject(i)->getValue<std::string>("kind") == "refund") ++refunds;
  }
  EXPECT_EQ(refunds, 2u);
}

}  // namespace
}  // namespace swhub::testing
