// Access (issue 10, item 7): every endpoint the hub serves, with every identity of the example
// config and with objects owned by others, in one table of (identity, method, path, body) ->
// status. Nothing foreign is read, listed, decided or replayed, and a foreign object's answer reads
// exactly like a missing one's (the same bytes once the id is replaced). Real hub process.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <cctype>
#include <map>
#include <optional>
#include <vector>

#include "hub_process.hpp"
#include "test_json.hpp"
#include "receiver.hpp"

namespace swhub::testing {
namespace {

using Poco::JSON::Object;

void replaceAll(std::string& text, const std::string& what, const std::string& with) {
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

// Replaces `id` where it stands alone (not inside a longer word or number: a dead letter "3" is
// not the 3 of "403").
void replaceId(std::string& text, const std::string& id, const std::string& with) {
  auto isWord = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-'; };
  for (auto at = text.find(id); at != std::string::npos; at = text.find(id, at + 1)) {
    const bool before = at > 0 && isWord(text[at - 1]);
    const bool after = at + id.size() < text.size() && isWord(text[at + id.size()]);
    if (before || after) continue;
    text.replace(at, id.size(), with);
  }
}

// The example config with fast retries, one attempt per delivery, and demo-shop's notifications
// pushed to a closed loopback port: they become dead letters, the admin's objects to replay.
std::string config() {
  std::string yaml = exampleConfigText();
  replaceOnce(yaml, "  max_queued: 256\n",
              "  max_queued: 256\n  delivery: {retry_base_ms: 20, retry_cap_ms: 200, max_attempts: 1}\n  plugin_dir: " +
                  std::string(SWHUB_PLUGIN_DIR) + "\n");
  replaceOnce(yaml, "tokens: [demo-shop-token]          # EXAMPLE: replace before production\n",
              "tokens: [demo-shop-token]\n    push: {adapter: http_webhook, settings: {url: \"http://127.0.0.1:1/\"}}\n");
  return yaml;
}

std::string filing(const std::string& reference, const std::string& hs, const std::string& description) {
  return R"({"reference":")" + reference + R"(","filing":"pre-arrival",)"
         R"("parties":{"seller":{"name":"Shop","country":"CN","id":"CN-S1"},"buyer":{"name":"Ana","country":"PT"}},)"
         R"("items":[{"sequence":1,"description":")" + description + R"(","hs":")" + hs +
         R"(","quantity":1,"unit":"pce","value":20.00,"currency":"EUR","origin":"CN","nature":"sale","documents":[]}]})";
}

// A follow-up naming its case by id (the hub's id, not the partner's reference).
std::string amendment(const std::string& caseKey) {
  std::string body = filing("AMEND-BY-ID", "090121", "Roasted coffee beans");
  replaceAll(body, R"("filing":"pre-arrival")", R"("filing":"amendment","case_id":"{)" + caseKey + "}\"");
  return body;
}

// Who calls: the Authorization header sent (none when absent).
const std::map<std::string, std::optional<std::string>> kIdentities = {
    {"shop", "Bearer demo-shop-token"},
    {"post", "Bearer demo-post-token"},
    {"express", "Bearer demo-express-token"},
    {"market", "Bearer demo-market-token"},
    {"broker", "Bearer demo-broker-token"},
    {"pay", "Bearer demo-pay-token"},
    {"customs", "Bearer demo-customs-token"},
    {"food", "Bearer demo-food-safety-token"},
    {"product", "Bearer demo-product-safety-token"},
    {"admin", "Bearer demo-admin-token"},
    {"none", std::nullopt},
    {"wrong", "Bearer not-a-token-of-this-hub"},
    {"empty", ""},
    {"bearer-only", "Bearer"},
    {"bearer-space", "Bearer "},
    // The scheme is case-insensitive and may be followed by several spaces (RFC 9110, 11.4): the
    // admin's token all the same, never another identity.
    {"two-spaces", "Bearer  demo-admin-token"},
    {"lower-scheme", "bearer demo-admin-token"},
    {"basic", "Basic ZGVtby1hZG1pbjpkZW1vLWFkbWluLXRva2Vu"},  // demo-admin:demo-admin-token
    {"token-plus-word", "Bearer demo-admin-token x"},
    {"token-prefix", "Bearer demo-admin-toke"},
    {"two-tokens", "Bearer demo-shop-token, Bearer demo-admin-token"},
    // HTTP strips a field value's trailing whitespace (RFC 9110, 5.5) before the hub sees it: the
    // same token, never another identity.
    {"trailing-space", "Bearer demo-admin-token "},
    {"trailing-tab", "Bearer demo-admin-token\t"},
};

// One line of the table. `{name}` in path or body is an object made before the walk:
//   {shop-coffee} shop's case routed to customs + food-safety; {shop-toy} shop's case routed to
//   customs + product-safety; {post-case} post's case (coffee); {dead} a dead letter (shop's);
//   {broker-account} demo-broker's account; {missing-case} / {missing-dead} / {missing-account}
//   ids of nothing.
// `foreign` names the object owned by another: the same line with that object replaced by a
// missing one must answer the same bytes (the id aside). `hidden` lists objects whose ids must
// not appear in the answer.
struct Line {
  std::string who;
  std::string method;
  std::string path;
  std::string body;
  int status;
  std::string foreign = {};
  std::vector<std::string> hidden = {};
  std::map<std::string, std::string> headers = {};
};

const std::string kDecide = R"({"case_id":"{CASE}","decision":"clear","reason":"t","decided_at":"2026-11-28T09:00:00Z"})";
std::string decision(const std::string& caseKey) {
  std::string body = kDecide;
  replaceAll(body, "{CASE}", "{" + caseKey + "}");
  return body;
}

const std::string kLicence =
    R"({"agency":"food-safety","id":"VET-ACCESS-1","type":"C640","holder":"PT-IMP-1","valid_from":"2026-01-01",)"
    R"("valid_to":"2026-12-31","quantity":"2"})";

const std::vector<std::string> kPartners = {"shop", "post", "express", "market", "broker", "pay"};
const std::vector<std::string> kAgencies = {"customs", "food", "product"};
const std::vector<std::string> kStrangers = {"none",  "wrong",           "empty",        "bearer-only", "bearer-space",
                                             "basic", "token-plus-word", "token-prefix", "two-tokens"};

std::vector<Line> table() {
  std::vector<Line> t = {
      // Cases by id: the owner partner, the agencies it is routed to, the admin; nobody else.
      {"shop", "GET", "/v1/cases/{shop-coffee}", "", 200},
      {"shop", "GET", "/v1/cases/{post-case}", "", 404, "post-case"},
      {"shop", "GET", "/v1/cases/{missing-case}", "", 404},
      {"post", "GET", "/v1/cases/{post-case}", "", 200},
      {"post", "GET", "/v1/cases/{shop-coffee}", "", 404, "shop-coffee"},
      {"post", "GET", "/v1/cases/{shop-toy}", "", 404, "shop-toy"},
      {"market", "GET", "/v1/cases/{shop-coffee}", "", 404, "shop-coffee"},
      {"express", "GET", "/v1/cases/{post-case}", "", 404, "post-case"},
      {"broker", "GET", "/v1/cases/{shop-toy}", "", 404, "shop-toy"},
      {"pay", "GET", "/v1/cases/{shop-toy}", "", 404, "shop-toy"},
      {"customs", "GET", "/v1/cases/{shop-coffee}", "", 200},
      {"customs", "GET", "/v1/cases/{shop-toy}", "", 200},
      {"food", "GET", "/v1/cases/{shop-coffee}", "", 200},
      {"food", "GET", "/v1/cases/{shop-toy}", "", 404, "shop-toy"},
      {"product", "GET", "/v1/cases/{shop-toy}", "", 200},
      {"product", "GET", "/v1/cases/{shop-coffee}", "", 404, "shop-coffee"},
      {"product", "GET", "/v1/cases/{post-case}", "", 404, "post-case"},
      {"product", "GET", "/v1/cases/{missing-case}", "", 404},
      {"admin", "GET", "/v1/cases/{post-case}", "", 200},
      {"admin", "GET", "/v1/cases/{missing-case}", "", 404},
      {"post", "DELETE", "/v1/cases/{shop-coffee}", "", 405, "shop-coffee"},
      {"post", "POST", "/v1/cases/{shop-coffee}", "{}", 405, "shop-coffee"},
      // Cases by reference: a partner sees its own references only, whatever `partner` it names.
      {"shop", "GET", "/v1/cases?reference=SHOP-COFFEE", "", 200},
      {"post", "GET", "/v1/cases?reference=SHOP-COFFEE", "", 200, "ref:SHOP-COFFEE", {"shop-coffee"}},
      {"post", "GET", "/v1/cases?reference=SHOP-COFFEE&partner=demo-shop", "", 200, "ref:SHOP-COFFEE",
       {"shop-coffee"}},
      {"shop", "GET", "/v1/cases?reference=POST-1&partner=demo-post", "", 200, "ref:POST-1", {"post-case"}},
      {"market", "GET", "/v1/cases?reference=POST-1", "", 200, "ref:POST-1", {"post-case"}},
      // The case search (issue 14): an agency finds the cases routed to it, by reference too; an
      // admin every partner's; a partner its own, whatever partner or agency it names.
      {"customs", "GET", "/v1/cases?reference=SHOP-COFFEE", "", 200},
      {"product", "GET", "/v1/cases?reference=SHOP-TOY", "", 200},
      {"product", "GET", "/v1/cases?reference=SHOP-COFFEE", "", 200, "", {"shop-coffee"}},
      {"product", "GET", "/v1/cases", "", 200, "", {"shop-coffee", "post-case"}},
      {"food", "GET", "/v1/cases", "", 200, "", {"shop-toy"}},
      {"food", "GET", "/v1/cases?agency=customs", "", 403},
      {"admin", "GET", "/v1/cases?reference=SHOP-COFFEE", "", 200},
      {"admin", "GET", "/v1/cases?reference=SHOP-COFFEE&partner=demo-shop", "", 200},
      {"shop", "GET", "/v1/cases", "", 200, "", {"post-case"}},
      {"post", "GET", "/v1/cases?partner=demo-shop&state=held", "", 200, "", {"shop-coffee", "shop-toy"}},
      {"post", "GET", "/v1/cases?agency=product-safety", "", 200, "", {"shop-toy"}},
      {"shop", "GET", "/v1/cases?state=nonsense", "", 400},
      {"shop", "GET", "/v1/cases?limit=0", "", 400},
      // Who the caller is, for the console; its static files need no identity.
      {"shop", "GET", "/v1/whoami", "", 200},
      {"food", "GET", "/v1/whoami", "", 200},
      {"admin", "GET", "/v1/whoami", "", 200},
      {"none", "GET", "/console/", "", 200},
      {"shop", "GET", "/console/app.js", "", 200},
      {"none", "GET", "/console/missing.js", "", 404},
      {"admin", "POST", "/v1/admin/routes/dry-run", R"({"case_id":"{shop-toy}"})", 200},
      {"admin", "POST", "/v1/admin/routes/dry-run", R"({"case_id":"{missing-case}"})", 404},
      // Notifications: each partner lists its own only; agencies and the admin have none.
      {"post", "GET", "/v1/notifications?after=0", "", 200, "", {"shop-coffee", "shop-toy"}},
      {"shop", "GET", "/v1/notifications?after=0", "", 200, "", {"post-case"}},
      {"market", "GET", "/v1/notifications?after=0", "", 200, "", {"shop-coffee", "shop-toy", "post-case"}},
      {"express", "GET", "/v1/notifications", "", 200, "", {"shop-coffee", "shop-toy", "post-case"}},
      {"customs", "GET", "/v1/notifications", "", 403},
      {"admin", "GET", "/v1/notifications", "", 403},
      {"post", "POST", "/v1/notifications", "{}", 405},
      // Tasks: each agency lists the cases routed to it only; partners and the admin have none.
      {"product", "GET", "/v1/agency/tasks?after=0", "", 200, "", {"shop-coffee", "post-case"}},
      {"food", "GET", "/v1/agency/tasks?after=0", "", 200, "", {"shop-toy"}},
      {"customs", "GET", "/v1/agency/tasks?after=0", "", 200},
      {"shop", "GET", "/v1/agency/tasks", "", 403},
      {"admin", "GET", "/v1/agency/tasks", "", 403},
      {"customs", "POST", "/v1/agency/tasks", "{}", 405},
      // Decisions: an agency decides on the cases routed to it; a foreign case is a missing one.
      {"product", "POST", "/v1/agency/decisions", decision("shop-coffee"), 404, "shop-coffee"},
      {"product", "POST", "/v1/agency/decisions", decision("post-case"), 404, "post-case"},
      {"food", "POST", "/v1/agency/decisions", decision("shop-toy"), 404, "shop-toy"},
      {"shop", "POST", "/v1/agency/decisions", decision("shop-coffee"), 403},
      {"post", "POST", "/v1/agency/decisions", decision("shop-coffee"), 403},
      {"admin", "POST", "/v1/agency/decisions", decision("shop-coffee"), 403},
      {"product", "GET", "/v1/agency/decisions", "", 405},
      {"product", "POST", "/v1/agency/decisions", decision("shop-toy"), 200},
      // Filing: partners only.
      {"customs", "POST", "/v1/messages", filing("AGENCY-FILES", "090121", "Coffee"), 403},
      {"admin", "POST", "/v1/messages", filing("ADMIN-FILES", "090121", "Coffee"), 403},
      {"shop", "GET", "/v1/messages", "", 405},
      // The admin API: the admin only; dead letters are neither listed nor replayed by anyone else.
      {"admin", "GET", "/v1/admin/routes", "", 200},
      {"admin", "GET", "/v1/admin/stats", "", 200},
      {"admin", "GET", "/v1/admin/dead-letters", "", 200},
      {"admin", "GET", "/v1/admin/cases/{shop-coffee}/trace", "", 200},
      {"admin", "GET", "/v1/admin/cases/{missing-case}/trace", "", 404},
      {"admin", "POST", "/v1/admin/dead-letters/{missing-dead}/replay", "", 404},
      {"admin", "GET", "/v1/admin/reload", "", 405},
      {"admin", "GET", "/v1/admin/nothing-here", "", 404},
      // Licence registries (issue 12, item 3): the admin only.
      {"admin", "GET", "/v1/admin/licences", "", 200},
      {"admin", "GET", "/v1/admin/licences?agency=food-safety", "", 200},
      {"admin", "GET", "/v1/admin/licences?agency=nobody", "", 404},
      {"admin", "POST", "/v1/admin/licences", kLicence, 201},
      {"admin", "POST", "/v1/admin/licences", kLicence, 409},
      {"admin", "POST", "/v1/admin/licences", "{}", 400},
      {"admin", "POST", "/v1/admin/licences", "not json", 400},
      {"admin", "GET", "/v1/admin/licences/food-safety/VET-ACCESS-1", "", 200},
      {"admin", "PUT", "/v1/admin/licences/food-safety/VET-ACCESS-1", R"({"quantity":"3"})", 200},
      {"admin", "PUT", "/v1/admin/licences/food-safety/VET-ACCESS-1", R"({"quantity":"x"})", 400},
      {"admin", "GET", "/v1/admin/licences/food-safety/NOPE", "", 404},
      {"admin", "PUT", "/v1/admin/licences/food-safety/NOPE", R"({"quantity":"1"})", 404},
      {"admin", "GET", "/v1/admin/licences/nobody/VET-ACCESS-1", "", 404},
      {"admin", "GET", "/v1/admin/licences/food-safety", "", 404},
      {"admin", "DELETE", "/v1/admin/licences", "", 405},
      {"admin", "POST", "/v1/admin/licences/food-safety/VET-ACCESS-1", "{}", 405},
      // Account statements (issue 12): the partner that holds the account and the admin; anyone
      // else reads the same 404 as for an account that does not exist, whatever the period.
      {"broker", "GET", "/v1/accounts/{broker-account}/statements/2026-11", "", 200},
      {"broker", "GET", "/v1/accounts/{broker-account}/statements/2026-11?format=csv", "", 200},
      {"admin", "GET", "/v1/accounts/{broker-account}/statements/2026-11", "", 200},
      {"admin", "GET", "/v1/accounts/{missing-account}/statements/2026-11", "", 404},
      {"broker", "GET", "/v1/accounts/{broker-account}/statements/2026-13", "", 400},
      {"broker", "GET", "/v1/accounts/{broker-account}/statements/2026-11?format=xml", "", 400},
      {"shop", "GET", "/v1/accounts/{broker-account}/statements/2026-13", "", 404, "broker-account"},
      {"broker", "POST", "/v1/accounts/{broker-account}/statements/2026-11", "{}", 405, "broker-account"},
      {"broker", "GET", "/v1/accounts/{broker-account}", "", 404},
      // Public: health, readiness and metrics answer anyone (item 5 keeps them answerable).
      {"admin", "GET", "/healthz", "", 200},
      {"admin", "GET", "/readyz", "", 200},
      {"admin", "GET", "/metrics", "", 200},
      {"none", "HEAD", "/healthz", "", 200},
      {"none", "POST", "/healthz", "{}", 405},
      {"none", "DELETE", "/readyz", "", 405},
      {"admin", "POST", "/metrics", "{}", 405},
      // The receipt certificate is public: every caller, known or not, reads the same one.
      {"none", "GET", "/v1/receipts/certificate", "", 200},
      {"wrong", "GET", "/v1/receipts/certificate", "", 200},
      {"post", "GET", "/v1/receipts/certificate", "", 200},
      {"customs", "HEAD", "/v1/receipts/certificate", "", 200},
      {"admin", "POST", "/v1/receipts/certificate", "{}", 405},
      {"shop", "GET", "/v1/nothing-here", "", 404},
      {"trailing-space", "GET", "/v1/admin/routes", "", 200},
      {"trailing-space", "GET", "/v1/notifications", "", 403},
      {"trailing-tab", "GET", "/v1/admin/stats", "", 200},
      {"two-spaces", "GET", "/v1/admin/routes", "", 200},
      {"two-spaces", "GET", "/v1/notifications", "", 403},
      {"lower-scheme", "GET", "/v1/admin/stats", "", 200},
      {"lower-scheme", "GET", "/v1/agency/tasks", "", 403},
      {"shop", "GET", "/nothing-here", "", 404},
  };
  // Every non-admin (partner or agency) is refused every admin endpoint, a foreign dead letter
  // and a missing one alike.
  std::vector<std::string> insiders = kPartners;
  insiders.insert(insiders.end(), kAgencies.begin(), kAgencies.end());
  for (const auto& who : insiders) {
    t.push_back({who, "GET", "/v1/admin/routes", "", 403});
    t.push_back({who, "POST", "/v1/admin/routes/dry-run", R"({"case_id":"{shop-coffee}"})", 403, "shop-coffee"});
    t.push_back({who, "POST", "/v1/admin/reload", "", 403});
    t.push_back({who, "GET", "/v1/admin/stats", "", 403});
    t.push_back({who, "GET", "/v1/admin/dead-letters", "", 403});
    t.push_back({who, "POST", "/v1/admin/dead-letters/{dead}/replay", "", 403, "dead"});
    t.push_back({who, "GET", "/v1/admin/cases/{shop-coffee}/trace", "", 403, "shop-coffee"});
    t.push_back({who, "GET", "/v1/admin/licences", "", 403});
    t.push_back({who, "POST", "/v1/admin/licences", kLicence, 403});
    t.push_back({who, "GET", "/v1/admin/licences/food-safety/VET-ACCESS-1", "", 403});
    t.push_back({who, "PUT", "/v1/admin/licences/food-safety/VET-ACCESS-1", R"({"quantity":"9"})", 403});
  }
  for (const auto& who : insiders) {
    if (who == "broker") continue;
    t.push_back({who, "GET", "/v1/accounts/{broker-account}/statements/2026-11", "", 404, "broker-account"});
  }
  // Anyone without a valid bearer token (and no client certificate: this hub has no TLS) gets
  // 401 on every /v1 endpoint, and the public endpoints still answer.
  for (const auto& who : kStrangers) {
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/v1/cases/{shop-coffee}"},
             {"GET", "/v1/cases?reference=SHOP-COFFEE"},
             {"GET", "/v1/notifications"},
             {"GET", "/v1/agency/tasks"},
             {"GET", "/v1/admin/routes"},
             {"POST", "/v1/admin/routes/dry-run"},
             {"GET", "/v1/whoami"},
             {"POST", "/v1/admin/reload"},
             {"GET", "/v1/admin/stats"},
             {"GET", "/v1/admin/dead-letters"},
             {"POST", "/v1/admin/dead-letters/{dead}/replay"},
             {"GET", "/v1/admin/cases/{shop-coffee}/trace"},
             {"GET", "/v1/admin/licences"},
             {"GET", "/v1/admin/licences/food-safety/VET-ACCESS-1"},
             {"GET", "/v1/accounts/{broker-account}/statements/2026-11"},
             {"GET", "/v1/nothing-here"}}) {
      t.push_back({who, method, path, "", 401});
    }
    t.push_back({who, "POST", "/v1/messages", filing("STRANGER", "090121", "Coffee"), 401});
    t.push_back({who, "POST", "/v1/agency/decisions", decision("shop-coffee"), 401});
    t.push_back({who, "GET", "/healthz", "", 200});
    t.push_back({who, "GET", "/readyz", "", 200});
    t.push_back({who, "GET", "/metrics", "", 200});
  }
  // Filings never reach another partner's case: not by its case id (a foreign id is a missing
  // one), not by reusing its reference or its Idempotency-Key (each partner has its own). Last,
  // since post then owns a SHOP-COFFEE of its own.
  t.push_back({"post", "POST", "/v1/messages", amendment("shop-coffee"), 400, "shop-coffee"});
  t.push_back({"post", "POST", "/v1/messages", filing("SHOP-COFFEE", "090121", "Coffee"), 202, "", {"shop-coffee"}});
  t.push_back({"express", "POST", "/v1/messages", filing("EXPRESS-1", "090121", "Coffee"), 202, "",
               {"shop-coffee", "shop-toy", "post-case"}, {{"Idempotency-Key", "shop-key"}}});
  // The admin replays last: the dead letter goes back to the outbox.
  t.push_back({"admin", "POST", "/v1/admin/dead-letters/{dead}/replay", "", 200});
  return t;
}

class Access : public ::testing::Test {
 protected:
  void SetUp() override {
    writeFile(dir_.file("hub.yaml"), config());
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{
        "serve", "--config", dir_.file("hub.yaml"), "--listen", "127.0.0.1:0", "--journal",
        "sqlite:" + dir_.file("journal.db")});
  }

  HttpResponse call(const std::string& who, const std::string& method, const std::string& path,
                    const std::string& body, std::map<std::string, std::string> headers = {}) {
    const auto identity = kIdentities.at(who);
    if (identity) headers["Authorization"] = *identity;
    if (!body.empty()) {
      headers["Content-Type"] = path == "/v1/messages" ? "application/vnd.swhub.consignment+json" : "application/json";
    }
    return request(hub_->address(), method, path, body, headers);
  }

  std::string file(const std::string& who, const std::string& body, const std::string& key = "") {
    const auto r = call(who, "POST", "/v1/messages", body, key.empty() ? std::map<std::string, std::string>{}
                                                                        : std::map<std::string, std::string>{{"Idempotency-Key", key}});
    EXPECT_EQ(r.status, 202) << r.body;
    if (r.status != 202) return "";
    return parse(r.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  }

  std::string substitute(std::string text) const {
    for (const auto& [key, value] : objects_) replaceAll(text, "{" + key + "}", value);
    return text;
  }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
  std::map<std::string, std::string> objects_;
};

// Every error is problem JSON with an `errors` list and its own status.
void expectProblem(const HttpResponse& r, const std::string& where) {
  EXPECT_EQ(r.headers.count("Content-Type") ? r.headers.at("Content-Type") : "", "application/problem+json") << where;
  Object::Ptr body;
  try {
    body = parse(r.body);
  } catch (const std::exception& e) {
    ADD_FAILURE() << where << ": not JSON: " << r.body;
    return;
  }
  EXPECT_TRUE(body->has("type") && body->has("title") && body->has("detail")) << where << ": " << r.body;
  EXPECT_EQ(body->optValue<int>("status", 0), r.status) << where << ": " << r.body;
  EXPECT_TRUE(body->getArray("errors")) << where << ": no `errors` list: " << r.body;
}

TEST_F(Access, EveryEndpointEveryIdentityNothingForeignAndForeignReadsLikeMissing) {
  objects_["shop-coffee"] = file("shop", filing("SHOP-COFFEE", "090121", "Roasted coffee beans"), "shop-key");
  objects_["shop-toy"] = file("shop", filing("SHOP-TOY", "950300", "Wooden toy train"));
  objects_["post-case"] = file("post", filing("POST-1", "090121", "Roasted coffee beans"));
  ASSERT_FALSE(objects_["shop-coffee"].empty() || objects_["shop-toy"].empty() || objects_["post-case"].empty());
  objects_["missing-case"] = "C-" + std::string(objects_["shop-coffee"].size() - 2, '0');
  objects_["missing-dead"] = "999999999";
  objects_["broker-account"] = "DEMO-BROKER-1";  // the example config's partners.demo-broker.account
  objects_["missing-account"] = "NOSUCH-ACCT-1";

  // The objects the walk needs exist before it starts: tasks queued, notifications listed, and
  // demo-shop's pushed notification dead-lettered.
  ASSERT_TRUE(eventually([&] {
    const auto r = call("product", "GET", "/v1/agency/tasks?after=0", "");
    return r.body.find(objects_["shop-toy"]) != std::string::npos;
  }));
  ASSERT_TRUE(eventually([&] {
    const auto r = call("food", "GET", "/v1/cases/" + objects_["shop-coffee"], "");
    return r.status == 200 && parse(r.body)->getObject("decisions")->getObject("food-safety")->getValue<std::string>(
                                  "outcome") == "clear";
  }));
  ASSERT_TRUE(eventually([&] {
    const auto r = call("post", "GET", "/v1/notifications?after=0", "");
    return r.body.find(objects_["post-case"]) != std::string::npos;
  })) << call("post", "GET", "/v1/notifications?after=0", "").body;
  ASSERT_TRUE(eventually([&] {
    const auto r = call("admin", "GET", "/v1/admin/dead-letters", "");
    auto list = parse(r.body)->getArray("dead_letters");
    if (list->size() == 0) return false;
    objects_["dead"] = std::to_string(list->getObject(0)->getValue<std::int64_t>("seq"));
    return true;
  }));

  for (const Line& line : table()) {
    const std::string path = substitute(line.path);
    const std::string body = substitute(line.body);
    const std::string where = line.who + " " + line.method + " " + line.path;
    const HttpResponse r = call(line.who, line.method, path, body, line.headers);
    EXPECT_EQ(r.status, line.status) << where << ": " << r.body;
    if (r.status >= 400) expectProblem(r, where);
    for (const auto& key : line.hidden) {
      EXPECT_EQ(r.body.find(objects_.at(key)), std::string::npos) << where << " shows " << key << ": " << r.body;
    }
    if (line.foreign.empty()) continue;
    // The same request with the foreign object swapped for a missing one answers the same bytes.
    std::string missingPath = line.path;
    std::string missingBody = line.body;
    std::string foreignId;
    std::string missingId;
    if (line.foreign.rfind("ref:", 0) == 0) {
      foreignId = line.foreign.substr(4);
      missingId = "NO-SUCH-REFERENCE";
      replaceAll(missingPath, foreignId, missingId);
    } else {
      foreignId = objects_.at(line.foreign);
      const std::string missingKey = line.foreign == "dead"             ? "missing-dead"
                                     : line.foreign == "broker-account" ? "missing-account"
                                                                        : "missing-case";
      missingId = objects_.at(missingKey);
      replaceAll(missingPath, "{" + line.foreign + "}", "{" + missingKey + "}");
      replaceAll(missingBody, "{" + line.foreign + "}", "{" + missingKey + "}");
    }
    const HttpResponse missing =
        call(line.who, line.method, substitute(missingPath), substitute(missingBody), line.headers);
    std::string foreignText = r.body;
    std::string missingText = missing.body;
    replaceId(foreignText, foreignId, "{id}");
    replaceId(missingText, missingId, "{id}");
    EXPECT_EQ(missing.status, r.status) << where << " (missing)";
    EXPECT_EQ(missingText, foreignText) << where << ": a foreign object reads unlike a missing one";
    EXPECT_EQ(missing.reason, r.reason) << where;
  }
}

// Nothing foreign was decided or replayed: the decisions refused above left no trace.
TEST_F(Access, RefusedDecisionsLeaveTheCaseUntouched) {
  const std::string coffee = file("shop", filing("SHOP-COFFEE", "090121", "Roasted coffee beans"));
  ASSERT_FALSE(coffee.empty());
  objects_["c"] = coffee;
  for (const std::string who : {"product", "shop", "post", "admin", "none", "wrong"}) {
    const auto r = call(who, "POST", "/v1/agency/decisions", substitute(decision("c")));
    EXPECT_GE(r.status, 400) << who << ": " << r.body;
  }
  const auto view = call("admin", "GET", "/v1/cases/" + coffee, "");
  ASSERT_EQ(view.status, 200);
  EXPECT_FALSE(parse(view.body)->getObject("decisions")->has("product-safety")) << view.body;
  EXPECT_EQ(view.body.find("\"source\":\"api\""), std::string::npos) << view.body;
}

}  // namespace
}  // namespace swhub::testing
