// Account statements through a real hub (issue 12, item 1): account-model traffic filed on both
// sides of a month boundary in Tokyo time (UTC+9) with the hub's wall clock moved there by an
// LD_PRELOAD shim (clock_preload.cpp); the HTTP statements and `swhub statement` against totals
// computed by hand from Portugal's 2026 rules; another partner reads the same 404 as a missing
// account; the reconciliation of both months.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "common/ids.hpp"
#include "hub_process.hpp"
#include "receiver.hpp"
#include "scoped_env.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

const std::map<std::string, std::string> kBroker = {{"Authorization", "Bearer broker-token"},
                                                    {"Content-Type", "application/vnd.swhub.consignment+json"}};
const std::map<std::string, std::string> kShop = {{"Authorization", "Bearer shop-token"},
                                                  {"Content-Type", "application/vnd.swhub.consignment+json"}};
const std::map<std::string, std::string> kAdmin = {{"Authorization", "Bearer admin-token"}};

std::string config() {
  return "hub:\n"
         "  listen: 127.0.0.1:0\n"
         "  journal: sqlite:journal.db\n"
         "  plugin_dir: " + std::string(SWHUB_PLUGIN_DIR) + "\n"
         "  accounts: {time_zone: Asia/Tokyo, payment_due_days: 15}\n"
         "plugins:\n"
         "  customs: {library: swhub_customs.so}\n"
         "partners:\n"
         "  demo-broker:\n"
         "    kind: broker\n"
         "    plugin: canonical\n"
         "    account: BRK-1\n"
         "    credentials: {tokens: [broker-token]}\n"
         "  demo-shop:\n"
         "    kind: other\n"
         "    plugin: canonical\n"
         "    account: SHOP-1\n"
         "    credentials: {tokens: [shop-token]}\n"
         "agencies:\n"
         "  customs:\n"
         "    plugin: customs\n"
         "    settings:\n"
         "      revenue: {jurisdiction_file: " + std::string(SWHUB_SOURCE_ROOT) + "/config/jurisdictions/pt-eu-2026.yaml}\n"
         "    credentials: {tokens: [customs-token]}\n"
         "admins:\n"
         "  admin: {credentials: {tokens: [admin-token]}}\n"
         "routes:\n"
         "  - name: every-filing-to-customs\n"
         "    require: [customs]\n";
}

// A declaration (goods presented) of one pair of headphones worth `value` EUR under `model`.
std::string declaration(const std::string& reference, const std::string& value, const std::string& model) {
  std::string body = exampleFiling(reference);
  body.replace(body.find("\"pre-arrival\""), 13, "\"declaration\"");
  body.replace(body.find("\"consumer\""), 10, "\"" + model + "\"");
  body.replace(body.find("\"value\": 45.00"), 14, "\"value\": " + value);
  return body;
}

// Milliseconds from the real clock to `instant`: the shim's offset for a hub living then.
std::string offsetTo(const std::string& instant) {
  const auto target = common::parseRfc3339Utc(instant).value();
  return std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(target - std::chrono::system_clock::now()).count());
}

class Statements : public ::testing::Test {
 protected:
  void SetUp() override { writeFile(dir_.file("hub.yaml"), config()); }

  // A hub whose wall clock reads `instant` now.
  std::unique_ptr<HubProcess> hubAt(const std::string& instant) {
    const ScopedEnv preload("LD_PRELOAD", std::string(SWHUB_CLOCK_PRELOAD));
    const ScopedEnv offset("SWHUB_CLOCK_OFFSET_MS", offsetTo(instant));
    return std::make_unique<HubProcess>(std::vector<std::string>{"serve", "--config", dir_.file("hub.yaml")});
  }

  std::pair<int, std::string> cliAt(const std::string& instant, std::vector<std::string> args) {
    const ScopedEnv preload("LD_PRELOAD", std::string(SWHUB_CLOCK_PRELOAD));
    const ScopedEnv offset("SWHUB_CLOCK_OFFSET_MS", offsetTo(instant));
    args.insert(args.begin(), {"statement", "--config", dir_.file("hub.yaml")});
    return runSwhub(args);
  }

  // Files and waits until the case is released (or, under the consumer model, assessed).
  std::string file(const HubProcess& hub, const std::map<std::string, std::string>& who, const std::string& body,
                   const std::string& until) {
    const auto r = request(hub.address(), "POST", "/v1/messages", body, who);
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return "";
    const std::string id = parse(r.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
    EXPECT_TRUE(eventually([&] {
      const auto view = request(hub.address(), "GET", "/v1/cases/" + id, "", {{"Authorization", who.at("Authorization")}});
      return view.status == 200 && parse(view.body)->getValue<std::string>("state") == until;
    })) << id << " never became " << until << ": "
        << request(hub.address(), "GET", "/v1/cases/" + id, "", {{"Authorization", who.at("Authorization")}}).body;
    return id;
  }

  static std::string totals(const Object::Ptr& statement) {
    std::string out;
    auto list = statement->getArray("totals");
    for (std::size_t i = 0; i < list->size(); ++i) {
      auto t = list->getObject(static_cast<unsigned>(i));
      out += t->getValue<std::string>("tax") + " " + t->getValue<std::string>("amount") + " " +
             t->getValue<std::string>("currency") + "; ";
    }
    auto due = statement->getArray("due");
    for (std::size_t i = 0; i < due->size(); ++i) {
      auto d = due->getObject(static_cast<unsigned>(i));
      out += "due " + d->getValue<std::string>("amount") + " " + d->getValue<std::string>("currency");
    }
    return out;
  }

  static std::vector<std::string> items(const Object::Ptr& statement) {
    std::vector<std::string> ids;
    auto list = statement->getArray("items");
    for (std::size_t i = 0; i < list->size(); ++i) {
      ids.push_back(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("case_id"));
    }
    return ids;
  }

  TempDir dir_;
};

TEST_F(Statements, AMonthBoundaryInTokyoThroughTheHubAndTheCli) {
  // pt-eu-2026.yaml in November/December 2026: a flat 3 EUR duty per tariff classification up to
  // 150 EUR, VAT 23 % of value + duty. Released under the account model: nothing waits for payment.
  std::string a, b, c, e;
  {
    // 23:00 on 30 November in Tokyo (14:00 UTC).
    auto hub = hubAt("2026-11-30T14:00:00Z");
    a = file(*hub, kBroker, declaration("BRK-A", "45.00", "account"), "released");    // 3.00 + 11.04
    b = file(*hub, kBroker, declaration("BRK-B", "120.00", "account"), "released");   // 3.00 + 28.29
    c = file(*hub, kShop, declaration("SHOP-C", "45.00", "account"), "released");     // the shop's account
    file(*hub, kBroker, declaration("BRK-D", "45.00", "consumer"), "cleared");        // waits for payment
    // November has not ended in Tokyo: a draft, stored nowhere.
    const auto draft = request(hub->address(), "GET", "/v1/accounts/BRK-1/statements/2026-11", "",
                               {{"Authorization", "Bearer broker-token"}});
    ASSERT_EQ(draft.status, 200) << draft.body;
    EXPECT_EQ(parse(draft.body)->getValue<std::string>("status"), "draft");
    EXPECT_EQ(items(parse(draft.body)), (std::vector<std::string>{a, b}));
    hub->terminate();
  }
  {
    // 00:00:30 on 1 December in Tokyo: still 30 November in UTC.
    auto hub = hubAt("2026-11-30T15:00:30Z");
    e = file(*hub, kBroker, declaration("BRK-E", "80.00", "account"), "released");  // 3.00 + 19.09
    const auto nov = request(hub->address(), "GET", "/v1/accounts/BRK-1/statements/2026-11", "",
                             {{"Authorization", "Bearer broker-token"}});
    ASSERT_EQ(nov.status, 200) << nov.body;
    const auto s = parse(nov.body);
    EXPECT_EQ(s->getValue<std::string>("status"), "issued");
    EXPECT_EQ(s->getValue<std::string>("statement_id"), "ST-BRK-1-2026-11");
    EXPECT_EQ(s->getValue<std::string>("holder"), "demo-broker");
    EXPECT_EQ(s->getValue<std::string>("time_zone"), "Asia/Tokyo");
    EXPECT_EQ(s->getValue<std::string>("from"), "2026-10-31T15:00:00.000Z");
    EXPECT_EQ(s->getValue<std::string>("to"), "2026-11-30T15:00:00.000Z");
    EXPECT_EQ(s->getValue<std::string>("payment_due"), "2026-12-15");
    EXPECT_EQ(items(s), (std::vector<std::string>{a, b}));
    EXPECT_EQ(totals(s), "duty 6.00 EUR; vat 39.33 EUR; due 45.33 EUR");
    // The admin reads the same statement; the shop, customs and a missing account read 404 alike.
    EXPECT_EQ(request(hub->address(), "GET", "/v1/accounts/BRK-1/statements/2026-11", "", kAdmin).body, nov.body);
    const auto foreign = request(hub->address(), "GET", "/v1/accounts/BRK-1/statements/2026-11", "",
                                 {{"Authorization", "Bearer shop-token"}});
    const auto missing = request(hub->address(), "GET", "/v1/accounts/NO-SUCH/statements/2026-11", "",
                                 {{"Authorization", "Bearer shop-token"}});
    EXPECT_EQ(foreign.status, 404);
    EXPECT_EQ(missing.status, 404);
    std::string foreignText = foreign.body;
    foreignText.replace(foreignText.find("BRK-1"), 5, "NO-SUCH");
    EXPECT_EQ(foreignText, missing.body);
    EXPECT_EQ(request(hub->address(), "GET", "/v1/accounts/BRK-1/statements/2026-11", "",
                      {{"Authorization", "Bearer customs-token"}})
                  .status,
              404);
    // The shop's own account holds its own case only.
    const auto shop = request(hub->address(), "GET", "/v1/accounts/SHOP-1/statements/2026-11", "",
                              {{"Authorization", "Bearer shop-token"}});
    ASSERT_EQ(shop.status, 200) << shop.body;
    EXPECT_EQ(items(parse(shop.body)), (std::vector<std::string>{c}));
    // December (Tokyo) holds E, released on 30 November in UTC: a draft for now.
    const auto dec = request(hub->address(), "GET", "/v1/accounts/BRK-1/statements/2026-12", "",
                             {{"Authorization", "Bearer broker-token"}});
    ASSERT_EQ(dec.status, 200) << dec.body;
    EXPECT_EQ(parse(dec.body)->getValue<std::string>("status"), "draft");
    EXPECT_EQ(items(parse(dec.body)), (std::vector<std::string>{e}));
    const auto bad = request(hub->address(), "GET", "/v1/accounts/BRK-1/statements/2026-13", "",
                             {{"Authorization", "Bearer broker-token"}});
    EXPECT_EQ(bad.status, 400) << bad.body;
    EXPECT_NE(bad.body.find(R"("path":"period")"), std::string::npos) << bad.body;
    hub->terminate();
  }
  // January 2027: the CLI issues December, then reconciles both months.
  const auto [code, out] = cliAt("2027-01-05T00:00:00Z", {"--account", "BRK-1", "--period", "2026-12"});
  ASSERT_EQ(code, 0) << out;
  const auto dec = parse(out);
  EXPECT_EQ(dec->getValue<std::string>("status"), "issued");
  EXPECT_EQ(items(dec), (std::vector<std::string>{e}));
  EXPECT_EQ(totals(dec), "duty 3.00 EUR; vat 19.09 EUR; due 22.09 EUR");
  EXPECT_EQ(dec->getValue<std::string>("payment_due"), "2027-01-15");
  const auto [csvCode, csv] = cliAt("2027-01-05T00:00:00Z", {"--account", "BRK-1", "--period", "2026-12", "--format", "csv"});
  ASSERT_EQ(csvCode, 0) << csv;
  EXPECT_NE(csv.find("ST-BRK-1-2026-12,2026-12,issued,due,,,,,,,,22.09,EUR,,payment due 2027-01-15\n"), std::string::npos)
      << csv;
  for (const char* period : {"2026-11", "2026-12"}) {
    const auto [rc, report] = cliAt("2027-01-05T00:00:00Z", {"--account", "BRK-1", "--period", period, "--reconcile"});
    EXPECT_EQ(rc, 0) << report;
    EXPECT_NE(report.find(R"("status":"reconciled")"), std::string::npos) << report;
  }
  // The hub serves December as the CLI issued it.
  auto hub = hubAt("2027-01-05T00:01:00Z");
  const auto served = request(hub->address(), "GET", "/v1/accounts/BRK-1/statements/2026-12", "", kAdmin);
  EXPECT_EQ(served.body + "\n", out);
  const auto [missingCode, missingOut] = cliAt("2027-01-05T00:00:00Z", {"--account", "NOPE", "--period", "2026-12"});
  EXPECT_EQ(missingCode, 1);
  EXPECT_NE(missingOut.find("swhub: no account 'NOPE'"), std::string::npos) << missingOut;
}

}  // namespace
}  // namespace swhub::testing
