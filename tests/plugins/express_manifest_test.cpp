// Loads the built express_manifest plugin as the hub does and drives it through the SDK only.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>

#include "plugin_test_support.hpp"
#include "revenue_notifications.hpp"
#include "swhub/sdk/plugin.hpp"

using namespace swhub::sdk;
using namespace swhub::testing;

namespace {

constexpr const char* kCsv = "text/csv";
constexpr const char* kJson = "application/json";

const std::string kHeader =
    "master_waybill,house_waybill,shipper_name,shipper_country,consignee_name,consignee_address,"
    "consignee_country,description,hs_code,quantity,unit,net_kg,gross_kg,value,currency,origin,nature,"
    "flight,departure,destination,arrival\n";

// One valid line of kHeader's columns for house waybill `hwb`; `hs` and `origin` may be varied.
std::string line(const std::string& hwb, const std::string& hs = "851830", const std::string& origin = "CN") {
  return "999-12345675," + hwb + ",Shenzhen Gadget Co,CN,Ana Silva,\"Rua Augusta 10, Lisboa\",PT,"
         "Bluetooth headphones," + hs + ",1,pce,0.25,0.4,45.00,EUR," + origin + ",,TP1234,CN,PT,2026-11-29T08:00:00Z\n";
}

// Generates a manifest on the fly, part by part: nothing of it is ever held whole.
class GeneratedSource : public ByteSource {
 public:
  GeneratedSource(std::string head, std::size_t count, std::function<std::string(std::size_t)> part, std::string tail)
      : pending_(std::move(head)), count_(count), part_(std::move(part)), tail_(std::move(tail)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    std::size_t written = 0;
    while (written < size) {
      if (pos_ == pending_.size()) {
        if (next_ < count_) {
          pending_ = part_(next_++);
        } else if (!tailDone_) {
          pending_ = tail_;
          tailDone_ = true;
        } else {
          break;
        }
        pos_ = 0;
      }
      const std::size_t n = std::min(size - written, pending_.size() - pos_);
      std::memcpy(buffer + written, pending_.data() + pos_, n);
      pos_ += n;
      written += n;
      total_ += n;
    }
    return written;
  }
  std::size_t total() const { return total_; }

 private:
  std::string pending_;
  std::size_t pos_ = 0;
  std::size_t count_;
  std::size_t next_ = 0;
  std::function<std::string(std::size_t)> part_;
  std::string tail_;
  bool tailDone_ = false;
  std::size_t total_ = 0;
};

// kB of a "VmRSS:" or "VmHWM:" line of /proc/self/status.
long statusKb(const char* key) {
  std::ifstream status("/proc/self/status");
  std::string name;
  long kb = -1;
  while (status >> name) {
    if (name == key) {
      status >> kb;
      return kb;
    }
    status.ignore(4096, '\n');
  }
  return -1;
}

// Resets the peak RSS (Linux 4.0+); false when the kernel does not let us.
bool resetPeakRss() {
  std::FILE* f = std::fopen("/proc/self/clear_refs", "w");
  if (f == nullptr) return false;
  const bool ok = std::fputs("5", f) >= 0;
  return std::fclose(f) == 0 && ok;
}

Errors allErrors(const std::vector<Decoded>& out) {
  Errors errors;
  for (const auto& d : out)
    if (auto* e = std::get_if<Errors>(&d)) errors.insert(errors.end(), e->begin(), e->end());
  return errors;
}

std::vector<DecodedFiling> filings(const std::vector<Decoded>& out) {
  std::vector<DecodedFiling> result;
  for (const auto& d : out)
    if (auto* f = std::get_if<DecodedFiling>(&d)) result.push_back(*f);
  return result;
}

class expressManifest : public PluginTest {
 protected:
  expressManifest() : PluginTest("express_manifest") {}

  Result<std::unique_ptr<PartnerPlugin>> build(std::vector<Value::Entry> entries) {
    Value settings = Value::map();
    for (auto& [k, v] : entries) settings.set(k, std::move(v));
    return buildPartner(*descriptor_, "demo-express", std::move(settings));
  }

  std::unique_ptr<PartnerPlugin> make(std::vector<Value::Entry> entries = {}) { return made(build(std::move(entries))); }

  static std::vector<Decoded> decodeAll(const PartnerPlugin& plugin, const std::string& type, const std::string& body) {
    return swhub::testing::decodeAll(plugin, MessageContext{"demo-express", type, {}, kReceivedAt}, body);
  }

  std::vector<Decoded> csv(const std::string& body, std::vector<Value::Entry> settings = {}) {
    return decodeAll(*make(std::move(settings)), kCsv, body);
  }
  std::vector<Decoded> json(const std::string& body, std::vector<Value::Entry> settings = {}) {
    return decodeAll(*make(std::move(settings)), kJson, body);
  }
};

}  // namespace

// ---------------------------------------------------------------- descriptor and settings

TEST_F(expressManifest, DescribesItself) {
  EXPECT_EQ(descriptor_->abi_major, kAbiMajor);
  EXPECT_STREQ(descriptor_->toolchain, kToolchain);
  EXPECT_EQ(descriptor_->kind, PluginKind::Partner);
  EXPECT_STREQ(descriptor_->name, "express_manifest");
  auto plugin = make();
  ASSERT_TRUE(plugin);
  EXPECT_EQ(plugin->contentTypes(),
            (std::vector<std::string>{"text/csv", "application/vnd.swhub.express-manifest+json", "application/json"}));
}

TEST_F(expressManifest, SettingsSchemaReportsEveryErrorWithItsPath) {
  Value settings = Value::map();
  settings.set("max_errors", Value::integer(0));
  settings.set("max_line_bytes", Value::integer(100));
  settings.set("notify_fromat", Value::string("json"));
  const Errors errors = descriptor_->settings_schema().validate(settings, "partners.demo-express.settings");
  ASSERT_EQ(errors.size(), 3u) << formatErrors(errors);
  EXPECT_EQ(errors[0].path, "partners.demo-express.settings.max_errors");
  EXPECT_EQ(errors[1].path, "partners.demo-express.settings.max_line_bytes");
  EXPECT_EQ(errors[2].path, "partners.demo-express.settings.notify_fromat");
  EXPECT_NE(errors[2].message.find("notify_format"), std::string::npos) << errors[2].message;
}

TEST_F(expressManifest, FactoryRefusesADefaultCurrencyThatIsNotIso4217) {
  auto result = build({{"default_currency", Value::string("EURO")}});
  ASSERT_FALSE(result);
  EXPECT_EQ(result.errors(),
            (Errors{{"partners.demo-express.settings.default_currency", "'EURO' is not an ISO 4217 currency code"}}));
}

// ---------------------------------------------------------------- CSV

TEST_F(expressManifest, DecodesARealisticCsvManifest) {
  // Columns in another order than documented, CRLF line ends, quoted fields with commas,
  // doubled quotes and a line break.
  const std::string body =
      "house_waybill,master_waybill,description,hs_code,quantity,unit,value,currency,origin,consignee_name,"
      "consignee_address,consignee_country,shipper_name,shipper_country,net_kg,gross_kg,nature,flight,departure,"
      "destination,arrival\r\n"
      "HWB-001,999-12345675,Bluetooth headphones,851830,1,pce,45.00,EUR,CN,Ana Silva,\"Rua Augusta 10, Lisboa\","
      "PT,Shenzhen Gadget Co,CN,0.25,0.4,,TP1234,CN,PT,2026-11-29T08:00:00Z\r\n"
      "HWB-002,999-12345675,\"Phone case \"\"slim\"\"\",392690,2,pce,3.5,EUR,VN,\"Silva, Rui\",\"Rua do Ouro 5\r\n"
      "3.º Esq\r\nLisboa\",PT,Hanoi Cases,VN,,,gift,TP1234,CN,PT,2026-11-29T08:00:00Z\r\n"
      "HWB-003,999-12345675,Documents,490199,1,pce,0,EUR,GB,B Co,,PT,,,,,documents,TP1234,CN,PT,\r\n";
  const auto out = csv(body);
  ASSERT_EQ(allErrors(out), Errors{});
  const auto f = filings(out);
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].location, "line 2");
  EXPECT_EQ(f[1].location, "line 3");
  EXPECT_EQ(f[2].location, "line 6");  // HWB-002 spans lines 3 to 5

  const Consignment& c = f[0].consignment;
  EXPECT_EQ(c.reference, "HWB-001");
  EXPECT_EQ(c.filing, FilingKind::PreArrival);
  EXPECT_EQ(c.transport.mode, TransportMode::Air);
  EXPECT_EQ(c.transport.master_ref, "999-12345675");
  EXPECT_EQ(c.transport.conveyance, "TP1234");
  EXPECT_EQ(c.transport.departure, "CN");
  EXPECT_EQ(c.transport.destination, "PT");
  EXPECT_EQ(c.transport.arrival, "2026-11-29T08:00:00Z");
  ASSERT_TRUE(c.parties.seller && c.parties.buyer);
  EXPECT_EQ(c.parties.seller->name, "Shenzhen Gadget Co");
  EXPECT_EQ(c.parties.buyer->address, "Rua Augusta 10, Lisboa");
  ASSERT_EQ(c.items.size(), 1u);
  const Item& item = c.items[0];
  EXPECT_EQ(item.sequence, 1);
  EXPECT_EQ(item.hs, "851830");
  EXPECT_EQ(item.quantity, 1);
  EXPECT_EQ(item.net_kg, 0.25);
  EXPECT_EQ(item.gross_kg, 0.4);
  EXPECT_EQ(item.value.toString(), "45.00");
  EXPECT_EQ(item.nature, Nature::Sale);  // empty: the default

  const Consignment& second = f[1].consignment;
  EXPECT_EQ(second.items[0].description, "Phone case \"slim\"");
  EXPECT_EQ(second.parties.buyer->name, "Silva, Rui");
  EXPECT_EQ(second.parties.buyer->address, "Rua do Ouro 5\r\n3.º Esq\r\nLisboa");
  EXPECT_EQ(second.items[0].nature, Nature::Gift);
  EXPECT_FALSE(second.items[0].net_kg);
  EXPECT_EQ(f[2].consignment.items[0].nature, Nature::Documents);
  EXPECT_FALSE(f[2].consignment.parties.seller);
}

TEST_F(expressManifest, ReadsRfc4180QuotingEdgeCases) {
  const std::string body = "\xEF\xBB\xBF" + kHeader +  // a byte order mark before the header
                           "\n" +                       // a blank line is skipped
                           line("H1") +
                           "999-12345675,\"H2\",,,,,,\"a,b\",851830,1,pce,,,1,EUR,CN,,,,,\n"
                           "999-12345675,H3,,,,,,\"\"\"quoted\"\"\",851830,1,pce,,,1,EUR,CN,,,,,\n"
                           "999-12345675,H4,,,,,,\"two\nlines\",851830,1,pce,,,1,EUR,CN,,,,,\n"
                           "999-12345675,H5,,,,,,\"\",851830,1,pce,,,1,EUR,CN,,,,,\n"
                           "999-12345675,H6,,,,,,last,851830,1,pce,,,1,EUR,CN,\"\",,,,";  // no final line break
  const auto out = csv(body);
  const Errors errors = allErrors(out);
  ASSERT_EQ(errors, (Errors{{"line 8, column description", "must not be empty"}}));
  const auto f = filings(out);
  ASSERT_EQ(f.size(), 5u);
  EXPECT_EQ(f[0].location, "line 3");
  EXPECT_EQ(f[1].consignment.reference, "H2");
  EXPECT_EQ(f[1].consignment.items[0].description, "a,b");
  EXPECT_EQ(f[2].consignment.items[0].description, "\"quoted\"");
  EXPECT_EQ(f[3].consignment.items[0].description, "two\nlines");
  EXPECT_EQ(f[4].location, "line 9");
  EXPECT_EQ(f[4].consignment.items[0].description, "last");
}

TEST_F(expressManifest, ReportsQuotingErrorsWithLineAndColumn) {
  const std::string body = kHeader + "999-12345675,H1,,,,,,ab\"c,851830,1,pce,,,1,EUR,CN,,,,,\n" +
                           "999-12345675,H2,,,,,,\"ab\"c,851830,1,pce,,,1,EUR,CN,,,,,\n" + line("H3");
  const auto out = csv(body);
  EXPECT_EQ(allErrors(out),
            (Errors{{"line 2, column description",
                     "a quote inside an unquoted field: quote the whole field and double the quotes inside it"},
                    {"line 3, column description",
                     "unexpected character after a closing quote: a quoted field ends at its closing quote (double "
                     "a quote inside it)"}}));
  EXPECT_EQ(filings(out).size(), 1u);
}

TEST_F(expressManifest, AnUnclosedQuoteRefusesTheWholeManifest) {
  const auto out = csv(kHeader + line("H1") + "999-12345675,H2,,,,,,\"open,851830,1\n" + "999-12345675,H3\n");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<DecodedFiling>(out[0]));
  EXPECT_EQ(std::get<Errors>(out[1]),
            (Errors{{"", "line 3: a quoted field is not closed before the end of the input"}}));
}

TEST_F(expressManifest, RefusesABadHeaderWithEveryProblem) {
  const auto out = csv(
      "master_waybill,house_waybill,house_waybill,shipper_nam,description,hs_code,quantity,unit,value\n" + line("H1"));
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(allErrors(out), (Errors{{"line 1", "column 'house_waybill' appears twice (columns 2 and 3)"},
                                    {"line 1", "unknown column 'shipper_nam'; did you mean 'shipper_name'?"},
                                    {"line 1", "missing required column 'origin'"},
                                    {"line 1", "missing required column 'currency'"}}));
  EXPECT_EQ(allErrors(csv("")), (Errors{{"", "the manifest is empty: a header row naming its columns is required"}}));
}

TEST_F(expressManifest, ReportsEachBadLineWithItsLineAndColumn) {
  const std::string body =
      kHeader + line("H1") + line("H2", "8518x") + line("H3", "851830", "XX") +
      "999-12345675,H4,,,,,,Case,392690,two,pce,0.5,0.4,12.34567,EUR,CN,gfit,,,,\n" +
      "999-12345675,H5,,,,,,Case,392690,1,pce\n" + line("H1") + "999-12345675,,,,,,,Case,392690,1,pce,,,1,EURO,CN,,,,,\n" +
      "888-00000000,H8,,,,,,Case,392690,1,pce,,,1,EUR,CN,,,ZZ,,2026-13-01T00:00:00Z\n" + line("H9");
  const auto out = csv(body);
  EXPECT_EQ(allErrors(out),
            (Errors{{"line 3, column hs_code", "'8518x' is not an HS code: 6 to 10 digits expected"},
                    {"line 4, column origin", "'XX' is not an ISO 3166-1 alpha-2 country code"},
                    {"line 5, column quantity", "'two' is not a number"},
                    {"line 5, column net_kg", "net weight 0.5 kg exceeds gross weight 0.4 kg"},
                    {"line 5, column value",
                     "'12.34567' is not an amount: a decimal number with at most 4 fraction digits expected"},
                    {"line 5, column nature",
                     "'gfit' is not a nature: one of sale, gift, sample, return, documents, other"},
                    {"line 6", "11 fields, the header has 21"},
                    {"line 7, column house_waybill", "'H1' is already used on line 2: a house waybill is unique "
                                                     "within a manifest"},
                    {"line 8, column house_waybill", "must not be empty"},
                    {"line 8, column currency", "'EURO' is not an ISO 4217 currency code"},
                    {"line 9, column master_waybill", "'888-00000000' differs from the master waybill "
                                                      "'999-12345675' of line 2: a manifest has one master waybill"},
                    {"line 9, column departure", "'ZZ' is not an ISO 3166-1 alpha-2 country code"},
                    {"line 9, column arrival",
                     "'2026-13-01T00:00:00Z' is not an RFC 3339 UTC timestamp like 2026-11-29T08:00:00Z"}}));
  const auto good = filings(out);
  ASSERT_EQ(good.size(), 2u);
  EXPECT_EQ(good[0].consignment.reference, "H1");
  EXPECT_EQ(good[1].consignment.reference, "H9");
}

TEST_F(expressManifest, ALineLongerThanTheLimitIsAnErrorNotABuffer) {
  const std::string longLine =
      "999-12345675,H2,,,,,,\"" + std::string(400, 'x') + "\",851830,1,pce,,,1,EUR,CN,,,,,\n";
  const auto out = csv(kHeader + line("H1") + longLine + line("H3"), {{"max_line_bytes", Value::integer(256)}});
  EXPECT_EQ(allErrors(out), (Errors{{"line 3", "longer than max_line_bytes (256 bytes)"}}));
  EXPECT_EQ(filings(out).size(), 2u);
}

TEST_F(expressManifest, ListsAtMostMaxErrorsThenCountsTheRest) {
  std::string body = kHeader;
  for (int i = 0; i < 6; ++i) body += line("H" + std::to_string(i), i % 2 == 0 ? "12" : "851830");
  const auto out = csv(body, {{"max_errors", Value::integer(2)}});
  const std::string bad = "'12' is not an HS code: 6 to 10 digits expected";
  EXPECT_EQ(allErrors(out), (Errors{{"line 2, column hs_code", bad},
                                    {"line 4, column hs_code", bad},
                                    {"lines", "1 more errors not listed (max_errors 2), the first at line 6"}}));
  EXPECT_EQ(filings(out).size(), 3u);  // good lines are yielded either way
}

TEST_F(expressManifest, ConsecutiveLinesWithALineNumberFormOneHouse) {
  const std::string header = "master_waybill,house_waybill,line_no,consignee_name,description,hs_code,quantity,unit,"
                             "value,currency,origin\n";
  const std::string body = header +
                           "M-1,H1,1,Ana,Headphones,851830,1,pce,45,EUR,CN\n"
                           "M-1,H1,2,Ana,Case,392690,2,pce,3.50,EUR,CN\n"
                           "M-1,H2,1,Rui,Charger,850440,1,pce,9,EUR,CN\n"
                           "M-1,H3,1,Eva,Lamp,940520,1,pce,20,EUR,CN\n"
                           "M-1,H3,1,Eve,Bulb,853952,1,pce,2,EUR,CN\n"
                           "M-1,H1,3,Ana,Cable,854442,1,pce,2,EUR,CN\n";
  const auto out = csv(body);
  EXPECT_EQ(allErrors(out),
            (Errors{{"line 6, column line_no", "line_no 1 is already used on line 5 of the same house waybill"},
                    {"line 6, column consignee_name", "'Eve' differs from 'Eva' on line 5 of the same house waybill"},
                    {"line 7, column house_waybill",
                     "'H1' is already used on line 2: a house waybill is unique within a manifest"}}));
  const auto f = filings(out);
  ASSERT_EQ(f.size(), 2u);
  ASSERT_EQ(f[0].consignment.items.size(), 2u);
  EXPECT_EQ(f[0].consignment.items[1].sequence, 2);
  EXPECT_EQ(f[0].consignment.items[1].hs, "392690");
  EXPECT_EQ(f[1].consignment.reference, "H2");
}

TEST_F(expressManifest, DefaultCurrencyFillsLinesWithoutOne) {
  const std::string body = "master_waybill,house_waybill,description,hs_code,quantity,unit,value,origin\n"
                           "M-1,H1,Headphones,851830,1,pce,45,CN\n";
  const auto out = csv(body, {{"default_currency", Value::string("GBP")}});
  ASSERT_EQ(filings(out).size(), 1u) << formatErrors(allErrors(out));
  EXPECT_EQ(filings(out)[0].consignment.items[0].currency, "GBP");
}

// ---------------------------------------------------------------- JSON

namespace {

std::string house(const std::string& hwb, const std::string& hs = "851830") {
  return R"({"house_waybill":")" + hwb + R"(","shipper_name":"Shenzhen Gadget Co","shipper_country":"CN",)"
         R"("consignee_name":"Ana Silva","consignee_address":"Rua Augusta 10, Lisboa","consignee_country":"PT",)"
         R"("items":[{"description":"Bluetooth headphones","hs":")" + hs +
         R"(","quantity":1,"unit":"pce","net_kg":0.25,"gross_kg":0.4,"value":45.00,"currency":"EUR","origin":"CN"}]})";
}

const std::string kManifestHead =
    R"({"master_waybill":"999-12345675","flight":"TP1234","departure":"CN","destination":"PT",)"
    R"("arrival":"2026-11-29T08:00:00Z","houses":[)";

}  // namespace

TEST_F(expressManifest, DecodesARealisticJsonManifest) {
  const std::string body = kManifestHead + house("HWB-001") + ",\n" +
                           R"({"house_waybill":"HWB-002","consignee_name":"Rui \"Zé\" \u00c1vila","items":[)"
                           R"({"description":"Case","hs":"392690","quantity":2,"unit":"pce","value":"3.50",)"
                           R"("currency":"EUR","origin":"VN","nature":"gift"},)"
                           R"({"description":"Cable","hs":"854442","quantity":1,"unit":"pce","value":2,)"
                           R"("currency":"EUR","origin":"VN","net_kg":null}]}]})";
  const auto out = json(body);
  ASSERT_EQ(allErrors(out), Errors{});
  const auto f = filings(out);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].location, "/houses/0");
  EXPECT_EQ(f[1].location, "/houses/1");
  const Consignment& c = f[0].consignment;
  EXPECT_EQ(c.reference, "HWB-001");
  EXPECT_EQ(c.transport.master_ref, "999-12345675");
  EXPECT_EQ(c.transport.conveyance, "TP1234");
  EXPECT_EQ(c.transport.mode, TransportMode::Air);
  EXPECT_EQ(c.parties.buyer->address, "Rua Augusta 10, Lisboa");
  EXPECT_EQ(c.items[0].value.toString(), "45.00");
  EXPECT_EQ(c.items[0].gross_kg, 0.4);
  const Consignment& second = f[1].consignment;
  EXPECT_EQ(second.parties.buyer->name, "Rui \"Zé\" Ávila");
  ASSERT_EQ(second.items.size(), 2u);
  EXPECT_EQ(second.items[1].sequence, 2);
  EXPECT_EQ(second.items[0].nature, Nature::Gift);
  EXPECT_EQ(second.items[0].value.toString(), "3.50");
  EXPECT_EQ(second.transport.arrival, "2026-11-29T08:00:00Z");
}

TEST_F(expressManifest, ReportsJsonErrorsWithTheirPointers) {
  std::string body = kManifestHead;
  for (int i = 0; i < 17; ++i) body += house("H" + std::to_string(i)) + ",";
  body += house("H17", "8518x") + "," + house("H0") + "," +
          R"({"house_waybill":"H19","colour":"red","shipper_country":5,"items":[)"
          R"({"description":"Case","hs":"392690","quantity":"2","unit":"pce","value":1.23456,"currency":"EUR",)"
          R"("origin":"CN"}, 7]}, "oops"]})";
  const auto out = json(body);
  const Errors errors = allErrors(out);
  ASSERT_EQ(errors.size(), 8u) << formatErrors(errors);
  EXPECT_EQ(errors[0], (Error{"/houses/17/items/0/hs", "'8518x' is not an HS code: 6 to 10 digits expected"}));
  EXPECT_EQ(errors[1], (Error{"/houses/18/house_waybill",
                              "'H0' is already used by /houses/0: a house waybill is unique within a manifest"}));
  EXPECT_EQ(errors[2].path, "/houses/19/colour");
  EXPECT_EQ(errors[2].message, "unknown field 'colour' (allowed: consignee_address, consignee_country, consignee_name, "
                               "house_waybill, items, shipper_country, shipper_name)");
  EXPECT_EQ(errors[3], (Error{"/houses/19/shipper_country", "a string expected, got number"}));
  EXPECT_EQ(errors[4], (Error{"/houses/19/items/0/quantity", "a number expected, got string"}));
  EXPECT_EQ(errors[5], (Error{"/houses/19/items/0/value",
                              "'1.23456' is not an amount: a decimal number with at most 4 fraction digits expected"}));
  EXPECT_EQ(errors[6], (Error{"/houses/19/items/1", "an item object expected, got number"}));
  // "oops" is not a house: reported at its own pointer after house 19.
  ASSERT_TRUE(std::holds_alternative<Errors>(out.back()));
  EXPECT_EQ(std::get<Errors>(out.back()), (Errors{{"/houses/20", "a house object expected, got string"}}));
  EXPECT_EQ(filings(out).size(), 17u);
}

TEST_F(expressManifest, RefusesABadManifestHeadBeforeAnyHouse) {
  const auto out = json(R"({"master_waybill":"","departure":"XX","houses":[)" + house("H1") + "]}");
  EXPECT_EQ(out.size(), 1u);
  EXPECT_EQ(allErrors(out), (Errors{{"/master_waybill", "must not be empty"},
                                    {"/departure", "'XX' is not an ISO 3166-1 alpha-2 country code"}}));
  EXPECT_EQ(allErrors(json(R"({"master_waybill":"M","fligth":"TP1"})")),
            (Errors{{"/fligth", "unknown field 'fligth'; did you mean 'flight'? (allowed: arrival, departure, "
                                "destination, flight, houses, master_waybill)"}}));
}

TEST_F(expressManifest, StructuralJsonErrorsRefuseTheWholeMessage) {
  const std::string broken = R"({"house_waybill":"H2" "items":[]})";  // a comma is missing
  auto out = json(kManifestHead + house("H1") + "," + broken + "]}");
  const std::size_t column = kManifestHead.size() + house("H1").size() + 1 + broken.find("\"items") + 1;
  EXPECT_EQ(std::get<Errors>(out.back()),
            (Errors{{"", "JSON syntax error at line 1, column " + std::to_string(column) +
                             ": expected ',' or '}', got '\"'"}}));
  out = json(kManifestHead + house("H1") + R"(], "flight":"TP2"})");
  EXPECT_EQ(std::get<Errors>(out.back()),
            (Errors{{"", "/flight: a manifest field after \"houses\": manifest fields come first, since houses are "
                         "filed as they stream"}}));
  out = json(kManifestHead + house("H1") + "]} trailing");
  EXPECT_EQ(std::get<Errors>(out.back()),
            (Errors{{"", "JSON syntax error at line 1, column " + std::to_string(kManifestHead.size() + house("H1").size() + 4) +
                             ": unexpected 't' after the end of the document"}}));
  out = json("[]");
  EXPECT_EQ(std::get<Errors>(out.back()), (Errors{{"", "the manifest must be a JSON object, got array"}}));
}

TEST_F(expressManifest, YieldsEachJsonHouseAsSoonAsItIsComplete) {
  std::string body = kManifestHead;
  for (int i = 0; i < 2000; ++i) body += (i ? "," : "") + house("H" + std::to_string(i));
  body += "]}";
  StringSource source(body);
  auto plugin = make();
  const MessageContext context{"demo-express", kJson, {}, kReceivedAt};
  auto decoder = plugin->open(context, source);
  auto first = decoder->next();
  ASSERT_TRUE(first && std::holds_alternative<DecodedFiling>(*first));
  EXPECT_LE(source.consumed(), 16384u) << "the first house came before the first chunk was used up";
  EXPECT_LT(source.consumed(), body.size() / 10);
}

// ---------------------------------------------------------------- streaming

namespace {

struct StreamRun {
  std::size_t filings = 0;
  std::size_t errors = 0;
  std::string firstError;
  std::size_t bytes = 0;
  long rssGrowthKb = 0;
  double seconds = 0;
  double cpuSeconds = 0;
};

// Decodes a generated manifest and measures the peak RSS above what the process held before:
// sampled every 1,000 houses, and from VmHWM when the kernel lets the peak be reset.
StreamRun run(const PartnerPlugin& plugin, const std::string& type, GeneratedSource& source) {
  StreamRun r;
  const bool hwm = resetPeakRss();
  const long before = statusKb("VmRSS:");
  long peak = before;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpuStart = std::clock();
  const MessageContext context{"demo-express", type, {}, kReceivedAt};
  auto decoder = plugin.open(context, source);
  while (auto next = decoder->next()) {
    if (std::holds_alternative<DecodedFiling>(*next)) {
      if (++r.filings % 1000 == 0) peak = std::max(peak, statusKb("VmRSS:"));
    } else {
      if (r.errors == 0) r.firstError = formatErrors(std::get<Errors>(*next));
      r.errors += std::get<Errors>(*next).size();
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.cpuSeconds = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;
  if (hwm) peak = std::max(peak, statusKb("VmHWM:"));
  r.rssGrowthKb = peak - before;
  r.bytes = source.total();
  return r;
}

}  // namespace

TEST_F(expressManifest, StreamsA200000LineCsvManifestInBoundedMemory) {
  constexpr std::size_t kLines = 200000;
  GeneratedSource source(kHeader, kLines, [](std::size_t i) {
    char hwb[16];
    std::snprintf(hwb, sizeof hwb, "HWB%07zu", i);
    return line(hwb, i % 50000 == 7 ? "8518x" : "851830");
  }, "");
  auto plugin = make();
  const StreamRun r = run(*plugin, kCsv, source);
  std::printf("[ measured ] CSV %zu lines, %.1f MB streamed in %.2f s (%.2f s CPU); peak RSS growth %ld kB\n",
              kLines, r.bytes / 1e6, r.seconds, r.cpuSeconds, r.rssGrowthKb);
  EXPECT_EQ(r.filings, kLines - 4);
  EXPECT_EQ(r.errors, 4u);
  EXPECT_GT(r.bytes, 30u * 1000 * 1000);
  // The manifest is over 30 MB; the decoder holds one 16 KiB chunk, one line, and the house
  // waybill index (12 bytes a slot: 3 MB at 200,000 houses, 4.5 MB while it grows).
  EXPECT_LT(r.rssGrowthKb, 8 * 1024);
}

TEST_F(expressManifest, StreamsA200000HouseJsonManifestInBoundedMemory) {
  constexpr std::size_t kHouses = 200000;
  GeneratedSource source(kManifestHead, kHouses, [](std::size_t i) {
    char hwb[16];
    std::snprintf(hwb, sizeof hwb, "HWB%07zu", i);
    return (i ? "," : "") + house(hwb);
  }, "]}");
  auto plugin = make();
  const StreamRun r = run(*plugin, kJson, source);
  std::printf("[ measured ] JSON %zu houses, %.1f MB streamed in %.2f s (%.2f s CPU); peak RSS growth %ld kB\n",
              kHouses, r.bytes / 1e6, r.seconds, r.cpuSeconds, r.rssGrowthKb);
  EXPECT_EQ(r.filings, kHouses);
  EXPECT_EQ(r.errors, 0u) << r.firstError;
  EXPECT_GT(r.bytes, 60u * 1000 * 1000);
  EXPECT_LT(r.rssGrowthKb, 8 * 1024);
}

// ---------------------------------------------------------------- notifications

namespace {

std::vector<Notification> batch() {
  return {Notification{"N-1", "C-1", "HWB-001", "released", "released", "", "2026-11-29T08:00:00Z", {}},
          Notification{"N-2", "C-2", "HWB-002", "held", "held", "needs an invoice, \"commercial\"",
                       "2026-11-29T08:01:00Z", {{"agency", "customs"}, {"reason_codes", "CU-INV,CU-VAL"}}}};
}

}  // namespace

TEST_F(expressManifest, EncodesANotificationBatchAsCsv) {
  auto encoded = make()->encode(batch());
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded.value().content_type, "text/csv");
  EXPECT_EQ(encoded.value().body,
            "house_waybill,case_id,event,state,reason,at,delivery_id,reason_codes,revenue_due,revenue_currency,"
            "revenue_why\r\n"
            "HWB-001,C-1,released,released,,2026-11-29T08:00:00Z,N-1,,,,\r\n"
            "HWB-002,C-2,held,held,\"needs an invoice, \"\"commercial\"\"\",2026-11-29T08:01:00Z,N-2,\"CU-INV,CU-VAL\",,,\r\n");
}

// A carrier whose reader takes the last column for reason_codes keeps the eight columns of before.
TEST_F(expressManifest, EncodesTheEightColumnsOfBeforeWhenRevenueColumnsAreOff) {
  std::vector<Notification> notes = batch();
  notes.push_back(consumerFallback("N-3", "HWB-003"));
  auto encoded = make({{"csv_revenue_columns", Value::boolean(false)}})->encode(notes);
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded.value().body,
            "house_waybill,case_id,event,state,reason,at,delivery_id,reason_codes\r\n"
            "HWB-001,C-1,released,released,,2026-11-29T08:00:00Z,N-1,\r\n"
            "HWB-002,C-2,held,held,\"needs an invoice, \"\"commercial\"\"\",2026-11-29T08:01:00Z,N-2,\"CU-INV,CU-VAL\"\r\n"
            "HWB-003,C-2026-000777,cleared,cleared,,2026-11-29T08:10:00Z,N-3,\r\n");
}

// What is due and why (issue 9): revenue_due, revenue_currency and a one-line revenue_why after
// reason_codes; empty on a notification without revenue.
TEST_F(expressManifest, EncodesWhatIsDueAndWhyInTheLastCsvColumns) {
  auto encoded = make()->encode({consumerFallback("N-3", "HWB-003"), vendorCollected("N-4", "HWB-004"), batch()[0]});
  ASSERT_TRUE(encoded) << formatErrors(encoded.errors());
  EXPECT_EQ(encoded.value().body,
            "house_waybill,case_id,event,state,reason,at,delivery_id,reason_codes,revenue_due,revenue_currency,"
            "revenue_why\r\n"
            "HWB-003,C-2026-000777,cleared,cleared,,2026-11-29T08:10:00Z,N-3,,16.34,EUR,\"duty 3.00 EUR (EU temporary "
            "low-value duty, 1 classification); vat 11.04 EUR on item 1 (23 % of 48.00); vat 2.30 EUR on item 2 "
            "(23 % of 10.00); vendor model refused: registration 'x' is malformed (expected ^IM[0-9]{10}$); the "
            "consumer pays\"\r\n"
            "HWB-004,C-2026-000778,released,released,,2026-11-29T08:11:00Z,N-4,,0.00,EUR,\"vat 10.35 EUR on item 1 "
            "(23 % of 45.00, collected at sale)\"\r\n"
            "HWB-001,C-1,released,released,,2026-11-29T08:00:00Z,N-1,,,,\r\n");
}

TEST_F(expressManifest, EncodesTheRevenueObjectInJson) {
  auto encoded = make({{"notify_format", Value::string("json")}})->encode({vendorCollected("N-4", "HWB-004")});
  ASSERT_TRUE(encoded) << formatErrors(encoded.errors());
  EXPECT_EQ(encoded.value().body,
            R"({"notifications":[{"house_waybill":"HWB-004","case_id":"C-2026-000778","event":"released",)"
            R"("state":"released","reason":"","at":"2026-11-29T08:11:00Z","delivery_id":"N-4",)"
            R"("details":{"previous_state":"cleared","revenue_due":"0.00","revenue_currency":"EUR",)"
            R"("revenue_settled":"true","revenue_model":"vendor","revenue_paid":"0.00"},)"
            R"("revenue":{"model":"vendor","due":"0.00","paid":"0.00","currency":"EUR","settled":true,"lines":[)" +
                kVatCollectedLine + "]}}]}");
  auto fallback = make({{"notify_format", Value::string("json")}})->encode({consumerFallback("N-3", "HWB-003")});
  ASSERT_TRUE(fallback);
  EXPECT_NE(fallback.value().body.find(R"("revenue":{"model":"consumer","model_reason":"vendor model refused: )"
                                       R"(registration 'x' is malformed (expected ^IM[0-9]{10}$); the consumer pays",)"
                                       R"("due":"16.34","paid":"0.00","currency":"EUR","settled":false,"lines":[)" +
                                       kFixedDutyLine + "," + kVatItem1Line + "," + kVatItem2Line + "]}}]}"),
            std::string::npos)
      << fallback.value().body;
}

TEST_F(expressManifest, RefusesANotificationWhoseRevenueLineItCannotRead) {
  Notification n = batch()[0];
  n.details.push_back({"revenue_line", R"({"tax":"vat","item":0,"amount":"1.00","currency":"EUR"})"});
  auto encoded = make()->encode({batch()[1], n});
  ASSERT_FALSE(encoded);
  EXPECT_EQ(encoded.errors(), (Errors{{"/1/details/0", "revenue_line: item: expected an item sequence (a whole "
                                                       "number from 1) or null, got '0'"}}));
}

TEST_F(expressManifest, EncodesANotificationBatchAsJsonWhenSet) {
  auto encoded = make({{"notify_format", Value::string("json")}})->encode(batch());
  ASSERT_TRUE(encoded);
  EXPECT_EQ(encoded.value().content_type, "application/json");
  EXPECT_EQ(encoded.value().body,
            R"({"notifications":[{"house_waybill":"HWB-001","case_id":"C-1","event":"released","state":"released",)"
            R"("reason":"","at":"2026-11-29T08:00:00Z","delivery_id":"N-1","details":{}},)"
            R"({"house_waybill":"HWB-002","case_id":"C-2","event":"held","state":"held",)"
            R"("reason":"needs an invoice, \"commercial\"","at":"2026-11-29T08:01:00Z","delivery_id":"N-2",)"
            R"("details":{"agency":"customs","reason_codes":"CU-INV,CU-VAL"}}]})");
}

// ---------------------------------------------------------------- samples

// The JSON manifests that tests/schemas checks against manifest.schema.json: the plugin judges
// each one as the schema does (default settings: no default currency).
TEST_F(expressManifest, JudgesEverySampleManifestAsTheSchemaDoes) {
  auto plugin = make();
  for (const Sample& sample : samples("express_manifest", "manifest"))
    EXPECT_EQ(misjudged(sample, decodeAll(*plugin, kJson, readFile(sample.file))), "");
}
