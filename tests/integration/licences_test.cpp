// OGA licences through a real hub (issue 12, item 3): a veterinary agency (the rules plugin) on
// HS 0201/0202 with a registry of one certificate of quantity 1, seeded from CSV. Two beef
// consignments: the first is cleared and writes the certificate down, the second is held
// "licence exhausted"; cancelling the first gives the unit back and a new filing is cleared.
// Every write-down and give-back is in the case's trace; the registry is managed through the
// admin endpoints.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "hub_process.hpp"
#include "receiver.hpp"
#include "test_json.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

std::string config() {
  return std::string("hub:\n  listen: \"127.0.0.1:0\"\n  journal: \"sqlite:journal.db\"\n  plugin_dir: ") +
         SWHUB_PLUGIN_DIR + R"(
plugins:
  rules: {library: swhub_rules.so}
partners:
  demo-shop:
    kind: other
    plugin: canonical
    credentials: {tokens: [shop-token]}
agencies:
  veterinary:
    name: Veterinary Authority
    plugin: rules
    settings:
      rules: []
      default: {decision: clear, reason: "no veterinary concern"}
    licences:
      registry: registry.csv
      require:
        - name: veterinary-certificate
          hs_prefix: ["0201", "0202"]
          document_types: [C640]
admins:
  ops: {credentials: {tokens: [admin-token]}}
routes:
  - name: beef-to-veterinary
    match: {hs_prefix: ["0201", "0202"]}
    require: [veterinary]
)";
}

const char* kRegistry =
    "id,type,holder,valid_from,valid_to,quantity\n"
    "VET-2026-0001,C640,PT-IMP-1,2020-01-01,2099-12-31,1\n";

std::string beef(const std::string& reference, const std::string& certificate) {
  return R"({"reference":")" + reference +
         R"(","filing":"pre-arrival","parties":{"seller":{"name":"Estancia","country":"AR","id":"AR-S1"},)"
         R"("buyer":{"name":"Talho Lda","country":"PT","id":"PT-IMP-1"}},"items":[{"sequence":1,)"
         R"("description":"Beef, boneless, chilled","hs":"020130","quantity":1,"unit":"kg","value":80.00,)"
         R"("currency":"EUR","origin":"AR","nature":"sale","documents":[{"type":"C640","id":")" + certificate +
         R"(","quantity":1}]}]})";
}

class Licences : public ::testing::Test {
 protected:
  void SetUp() override {
    writeFile(dir_.file("hub.yaml"), config());
    writeFile(dir_.file("registry.csv"), kRegistry);
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{
        "serve", "--config", dir_.file("hub.yaml"), "--listen", "127.0.0.1:0", "--journal",
        "sqlite:" + dir_.file("journal.db")});
  }

  HttpResponse as(const std::string& token, const std::string& method, const std::string& path,
                  const std::string& body = "") {
    return requestAs(hub_->address(), token, method, path, body);
  }

  std::string file(const std::string& body) {
    const auto r = as("shop-token", "POST", "/v1/messages", body);
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return "";
    return parse(r.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  }

  Object::Ptr caseView(const std::string& caseId) {
    const auto r = as("admin-token", "GET", "/v1/cases/" + caseId);
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body);
  }

  std::string state(const std::string& caseId) { return caseView(caseId)->getValue<std::string>("state"); }

  bool settled(const std::string& caseId) {
    const std::string s = state(caseId);
    return s != "accepted" && s != "under-assessment";
  }

  // The licence events of the case's trace: "action quantity licence".
  std::vector<std::string> licenceTrace(const std::string& caseId) {
    const auto r = as("admin-token", "GET", "/v1/admin/cases/" + caseId + "/trace");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    auto events = parse(r.body)->getArray("events");
    for (std::size_t i = 0; i < events->size(); ++i) {
      auto e = events->getObject(i);
      if (e->getValue<std::string>("kind") != "licence") continue;
      auto d = e->getObject("detail");
      out.push_back(d->getValue<std::string>("action") + " " + d->getValue<std::string>("quantity") + " " +
                    d->getValue<std::string>("licence"));
    }
    return out;
  }

  Object::Ptr licence(const std::string& id) {
    const auto r = as("admin-token", "GET", "/v1/admin/licences/veterinary/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return parse(r.body);
  }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
};

TEST_F(Licences, OneCertificateOfQuantityOneClearsOneBeefConsignmentUntilTheFirstIsCancelled) {
  const std::string first = file(beef("BEEF-1", "VET-2026-0001"));
  ASSERT_TRUE(eventually([&] { return settled(first); }));
  EXPECT_EQ(state(first), "cleared");  // pre-arrival: cleared ahead, released on arrival
  EXPECT_EQ(licenceTrace(first), (std::vector<std::string>{"written-down 1.00 VET-2026-0001"}));
  EXPECT_EQ(licence("VET-2026-0001")->getValue<std::string>("remaining"), "0.00");

  const std::string second = file(beef("BEEF-2", "VET-2026-0001"));
  ASSERT_TRUE(eventually([&] { return settled(second); }));
  EXPECT_EQ(state(second), "held");
  auto vet = caseView(second)->getObject("decisions")->getObject("veterinary");
  EXPECT_EQ(vet->getValue<std::string>("outcome"), "hold");
  const std::string view = as("admin-token", "GET", "/v1/cases/" + second).body;
  EXPECT_NE(view.find("licence exhausted: 'VET-2026-0001' has 0.00 left, item 1 (HS 020130) needs 1.00"),
            std::string::npos) << view;
  EXPECT_NE(view.find("LICENCE-EXHAUSTED"), std::string::npos) << view;
  EXPECT_TRUE(licenceTrace(second).empty());

  // The registry says who uses it.
  auto used = licence("VET-2026-0001");
  EXPECT_EQ(used->getValue<std::string>("used"), "1.00");
  ASSERT_EQ(used->getArray("uses")->size(), 1u);
  EXPECT_EQ(used->getArray("uses")->getObject(0)->getValue<std::string>("case_id"), first);

  // Cancelling the first gives the unit back; a new filing is cleared.
  ASSERT_EQ(as("shop-token", "POST", "/v1/messages", R"({"reference":"BEEF-1","filing":"cancellation"})").status, 202);
  ASSERT_TRUE(eventually([&] { return state(first) == "cancelled"; }));
  EXPECT_EQ(licenceTrace(first),
            (std::vector<std::string>{"written-down 1.00 VET-2026-0001", "given-back 1.00 VET-2026-0001"}));
  EXPECT_EQ(licence("VET-2026-0001")->getValue<std::string>("remaining"), "1.00");

  const std::string third = file(beef("BEEF-3", "VET-2026-0001"));
  ASSERT_TRUE(eventually([&] { return settled(third); }));
  EXPECT_EQ(state(third), "cleared");
  EXPECT_EQ(licenceTrace(third), (std::vector<std::string>{"written-down 1.00 VET-2026-0001"}));
}

TEST_F(Licences, AnUnknownCertificateIsHeldWithTheReason) {
  const std::string caseId = file(beef("BEEF-X", "VET-NOPE"));
  ASSERT_TRUE(eventually([&] { return settled(caseId); }));
  EXPECT_EQ(state(caseId), "held");
  const std::string view = as("admin-token", "GET", "/v1/cases/" + caseId).body;
  EXPECT_NE(view.find("licence unknown: C640 'VET-NOPE' is not in the registry of agency 'veterinary'"),
            std::string::npos) << view;
}

TEST_F(Licences, AdminEndpointsListAddAndUpdateLicences) {
  auto list = as("admin-token", "GET", "/v1/admin/licences?agency=veterinary");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(parse(list.body)->getArray("licences")->size(), 1u);

  const std::string vet2 =
      R"({"agency":"veterinary","id":"VET-2","type":"C640","holder":"PT-IMP-1","valid_from":"2026-01-01",)"
      R"("valid_to":"2099-12-31","quantity":"2.5"})";
  auto added = as("admin-token", "POST", "/v1/admin/licences", vet2);
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(parse(added.body)->getValue<std::string>("remaining"), "2.50");
  EXPECT_EQ(as("admin-token", "POST", "/v1/admin/licences", vet2).status, 409);

  // Every error with its path.
  auto bad = as("admin-token", "POST", "/v1/admin/licences",
                R"({"agency":"nobody","id":"X","type":"C640","holder":"H","valid_from":"2026-02-30",)"
                R"("valid_to":"2026-12-31","quantity":0,"colour":"red"})");
  ASSERT_EQ(bad.status, 400) << bad.body;
  const std::vector<std::string> errors = {
      R"x({"path":"/valid_from","message":"'2026-02-30' is not a date (YYYY-MM-DD)"})x",
      R"x({"path":"/quantity","message":"'0' is not a decimal above 0 (at most 4 fraction digits)"})x",
      R"x({"path":"/colour","message":"unknown field (agency, id, type, holder, valid_from, valid_to, quantity)"})x",
      R"x({"path":"/agency","message":"no agency 'nobody'"})x"};
  for (const auto& error : errors) EXPECT_NE(bad.body.find(error), std::string::npos) << error << " in " << bad.body;

  // A filing uses 1 of VET-2; an update below that is refused, one above keeps it used.
  const std::string caseId = file(beef("BEEF-V2", "VET-2"));
  ASSERT_TRUE(eventually([&] { return settled(caseId); }));
  ASSERT_EQ(state(caseId), "cleared");
  auto below = as("admin-token", "PUT", "/v1/admin/licences/veterinary/VET-2", R"({"quantity":"0.5"})");
  EXPECT_EQ(below.status, 409) << below.body;
  auto updated = as("admin-token", "PUT", "/v1/admin/licences/veterinary/VET-2", R"({"quantity":"4","holder":"PT-IMP-1"})");
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(parse(updated.body)->getValue<std::string>("remaining"), "3.00");
  EXPECT_EQ(as("admin-token", "PUT", "/v1/admin/licences/veterinary/VET-404", R"({"quantity":"4"})").status, 404);
  EXPECT_EQ(as("admin-token", "GET", "/v1/admin/licences/veterinary/VET-404").status, 404);
  // Only an admin.
  EXPECT_EQ(as("shop-token", "GET", "/v1/admin/licences").status, 403);
}

}  // namespace
}  // namespace swhub::testing
