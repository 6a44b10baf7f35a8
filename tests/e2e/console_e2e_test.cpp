// The operator console end to end (issue 14, item 2): a real swhub on port 0 with the example
// config, headless Chromium (Debian's chromium) driven over the DevTools protocol. A partner
// files through the API; a product-safety officer signs in through the form, finds the case by
// reference, holds it with a reason; the partner's notification then shows the hold with that
// reason. An admin sees the dead-letter and route pages, a partner does not (and the API refuses
// it). The token is never in a URL, and the page logs no error. Skipped, saying why, without
// /usr/bin/chromium.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "devtools.hpp"
#include "hub_process.hpp"
#include "test_json.hpp"
#include "temp_dir.hpp"

namespace swhub::testing {
namespace {

const std::string kShop = "demo-shop-token";
const std::string kOfficer = "demo-product-safety-token";
const std::string kAdmin = "demo-admin-token";
const std::string kReason = "Awaiting the CE declaration of conformity for item 1";

Poco::JSON::Object::Ptr parse(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

class ConsoleE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kChromium)) {
      GTEST_SKIP() << "skipped: " << kChromium
                   << " is absent (Debian's chromium package; deploy/install-deps.sh installs it)";
    }
    std::string yaml = exampleConfigText();
    // The hub draws case ids at random: customs' compliance sampling would inspect (hold) a random
    // 2 % of them before the officer's hold, which then changes no state and tells the partner
    // nothing new.
    replaceOnce(yaml, R"(random: {rate: "0.02")", R"(random: {rate: "0")");
    writeFile(dir_.file("hub.yaml"), yaml);
    hub_ = std::make_unique<HubProcess>(std::vector<std::string>{"serve", "--config", dir_.file("hub.yaml"), "--listen",
                                                                 "127.0.0.1:0", "--journal",
                                                                 "sqlite:" + dir_.file("journal.db")});
    chromium_ = std::make_unique<Chromium>();
    page_ = std::make_unique<DevToolsPage>(chromium_->port());
  }

  void TearDown() override {
    // Chromium first (always killed, also after a failure), then the hub.
    page_.reset();
    chromium_.reset();
    hub_.reset();
  }

  HttpResponse api(const std::string& token, const std::string& method, const std::string& path,
                   const std::string& body = "") {
    std::map<std::string, std::string> headers = {{"Authorization", "Bearer " + token}};
    if (!body.empty()) headers["Content-Type"] = "application/vnd.swhub.consignment+json";
    return request(hub_->address(), method, path, body, headers);
  }

  std::string consoleUrl() const { return "http://" + hub_->address() + "/console/"; }

  // Signs in through the form, as a person does: the token typed, the form submitted.
  void signIn(const std::string& token, const std::string& expected) {
    page_->navigate(consoleUrl() + "#/signin");
    ASSERT_TRUE(page_->waitFor("document.querySelector('#signin-form') && !document.querySelector('#page-signin').hidden"));
    page_->type("#token", token);
    page_->evaluate("document.querySelector('#signin-form').requestSubmit()");
    ASSERT_TRUE(page_->waitFor("document.querySelector('#identity').textContent === " + jsString(expected)))
        << page_->evaluate("document.querySelector('#status').textContent").toString();
    // Kept for the tab only, and the form holds it no more.
    EXPECT_EQ(page_->evaluate("sessionStorage.getItem('swhub.token')").toString(), token);
    EXPECT_EQ(page_->evaluate("localStorage.length").convert<int>(), 0);
    EXPECT_EQ(page_->evaluate("document.querySelector('#token').value").toString(), "");
  }

  void signOut() {
    page_->evaluate("document.querySelector('#signout').click()");
    ASSERT_TRUE(page_->waitFor("sessionStorage.getItem('swhub.token') === null && document.querySelector('#identity').textContent === ''"));
  }

  bool navVisible(const std::string& href) {
    return page_->evaluate("!document.querySelector('#nav a[href=\"" + href + "\"]').hidden").convert<bool>();
  }

  void expectTokenNeverInAUrl(const std::string& token) {
    EXPECT_EQ(page_->evaluate("location.href").toString().find(token), std::string::npos);
    for (const auto& url : page_->requestedUrls()) EXPECT_EQ(url.find(token), std::string::npos) << url;
    const auto history = page_->call("Page.getNavigationHistory");
    const auto entries = history->getArray("entries");
    for (std::size_t i = 0; i < entries->size(); ++i) {
      const std::string url = entries->getObject(static_cast<unsigned>(i))->getValue<std::string>("url");
      EXPECT_EQ(url.find(token), std::string::npos) << url;
    }
  }

  TempDir dir_;
  std::unique_ptr<HubProcess> hub_;
  std::unique_ptr<Chromium> chromium_;
  std::unique_ptr<DevToolsPage> page_;
};

TEST_F(ConsoleE2e, AnOfficerFindsACaseAndHoldsItAndThePartnersNotificationShowsTheHold) {
  // The partner files headphones (HS 8518): customs and product safety must decide.
  const auto filed = api(kShop, "POST", "/v1/messages", exampleFiling("E2E-HOLD-1"));
  ASSERT_EQ(filed.status, 202) << filed.body;
  const std::string caseId = parse(filed.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");

  signIn(kOfficer, "agency:product-safety");
  // An agency's pages: its work queue, the cases; not the admin's.
  EXPECT_TRUE(navVisible("#/tasks"));
  EXPECT_TRUE(navVisible("#/cases"));
  EXPECT_FALSE(navVisible("#/dead-letters"));
  EXPECT_FALSE(navVisible("#/routes"));
  // The task is in the queue.
  ASSERT_TRUE(page_->waitFor("[...document.querySelectorAll('#task-list a')].some(a => a.textContent === " + jsString(caseId) + ")"))
      << page_->evaluate("document.querySelector('#status').textContent").toString();

  // Finds the case by reference.
  page_->evaluate("location.hash = '#/cases'");
  ASSERT_TRUE(page_->waitFor("!document.querySelector('#page-cases').hidden"));
  page_->type("#search-form input[name=reference]", "E2E-HOLD-1");
  page_->evaluate("document.querySelector('#search-form').requestSubmit()");
  ASSERT_TRUE(page_->waitFor("document.querySelectorAll('#case-list tbody tr').length === 1"))
      << page_->evaluate("document.querySelector('#status').textContent").toString();
  EXPECT_EQ(page_->evaluate("document.querySelector('#case-list tbody a').textContent").toString(), caseId);
  page_->evaluate("document.querySelector('#case-list tbody a').click()");
  ASSERT_TRUE(page_->waitFor("document.querySelector('#decision-form') !== null"))
      << page_->evaluate("document.querySelector('#status').textContent").toString();
  EXPECT_EQ(page_->evaluate("document.querySelector('#case-view h2').textContent.startsWith('Case ' + " + jsString(caseId) + ")")
                .convert<bool>(),
            true);

  // The case page: its summary, its consignment's items, its decisions.
  EXPECT_TRUE(page_->evaluate("document.querySelector('#case-view dl.summary').textContent.includes('ReferenceE2E-HOLD-1')")
                  .convert<bool>());
  EXPECT_TRUE(page_->evaluate("document.querySelector('#case-view').textContent.includes('Bluetooth headphones')").convert<bool>());
  // Holds it with a reason and a reason code.
  page_->evaluate("document.querySelector('#decision-form select[name=decision]').value = 'hold'");
  page_->type("#decision-form input[name=reason]", kReason);
  page_->type("#decision-form input[name=reason_codes]", "PS-CE");
  page_->evaluate("document.querySelector('#decision-form').requestSubmit()");
  ASSERT_TRUE(page_->waitFor("document.querySelector('#status').textContent.startsWith('decision applied')"))
      << page_->evaluate("document.querySelector('#status').textContent").toString();
  // The case page shows the decision with its reason.
  ASSERT_TRUE(page_->waitFor("document.querySelector('#case-view').textContent.includes(" + jsString(kReason) + ")"));

  // The partner's notification shows the hold with that reason.
  std::string notifications;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    notifications = api(kShop, "GET", "/v1/notifications?after=0").body;
    if (notifications.find(kReason) != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_NE(notifications.find(kReason), std::string::npos) << notifications;
  bool holdShown = false;
  const auto list = parse(notifications)->getArray("notifications");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto n = list->getObject(static_cast<unsigned>(i));
    const auto message = n->getObject("message");
    std::ostringstream text;
    (message ? message : n)->stringify(text);
    if (text.str().find(kReason) != std::string::npos && text.str().find("held") != std::string::npos) holdShown = true;
  }
  EXPECT_TRUE(holdShown) << notifications;

  expectTokenNeverInAUrl(kOfficer);
  signOut();
  EXPECT_TRUE(page_->errors().empty()) << page_->errors().front();
}

TEST_F(ConsoleE2e, AnAdminSeesDeadLettersAndRoutesAndAPartnerSeesNeither) {
  const auto filed = api(kShop, "POST", "/v1/messages", exampleFiling("E2E-ADMIN-1"));
  ASSERT_EQ(filed.status, 202) << filed.body;
  const std::string caseId = parse(filed.body)->getArray("cases")->getObject(0)->getValue<std::string>("case_id");
  signIn(kAdmin, "admin:admin");
  EXPECT_TRUE(navVisible("#/dead-letters"));
  EXPECT_TRUE(navVisible("#/routes"));
  EXPECT_FALSE(navVisible("#/tasks"));
  page_->evaluate("location.hash = '#/dead-letters'");
  ASSERT_TRUE(page_->waitFor("!document.querySelector('#page-dead-letters').hidden && "
                             "document.querySelector('#status').textContent.endsWith('dead letters')"));
  page_->evaluate("location.hash = '#/routes'");
  ASSERT_TRUE(page_->waitFor("!document.querySelector('#page-routes').hidden && "
                             "document.querySelectorAll('#route-list tbody tr').length > 0"));
  EXPECT_TRUE(page_->evaluate("document.querySelector('#route-list').textContent.includes('toys-and-electrical-to-product-safety')")
                  .convert<bool>());
  // The dry run of a past filing: headphones go to customs and product safety.
  page_->type("#dry-run-form input[name=case_id]", caseId);
  page_->evaluate("document.querySelector('#dry-run-form').requestSubmit()");
  ASSERT_TRUE(page_->waitFor("document.querySelector('#dry-run-result').textContent.includes('customs, product-safety')"))
      << page_->evaluate("document.querySelector('#status').textContent + ' | ' + document.querySelector('#dry-run-result').textContent").toString()
      << (page_->errors().empty() ? "" : page_->errors().front());
  // A case's page has the whole trace for an admin, and the statistics are drawn.
  page_->evaluate("location.hash = '#/case/" + caseId + "'");
  ASSERT_TRUE(page_->waitFor("document.querySelector('#case-trace') !== null"))
      << page_->evaluate("document.querySelector('#status').textContent").toString();
  page_->evaluate("location.hash = '#/stats'");
  ASSERT_TRUE(page_->waitFor("document.querySelectorAll('#stats-view svg.chart rect').length > 0"))
      << page_->evaluate("document.querySelector('#status').textContent").toString();
  expectTokenNeverInAUrl(kAdmin);
  signOut();

  signIn(kShop, "partner:demo-shop");
  EXPECT_FALSE(navVisible("#/dead-letters"));
  EXPECT_FALSE(navVisible("#/routes"));
  EXPECT_FALSE(navVisible("#/tasks"));
  EXPECT_TRUE(navVisible("#/cases"));
  // Typed into the address bar, the page is not shown either (the home page is).
  page_->evaluate("location.hash = '#/dead-letters'");
  ASSERT_TRUE(page_->waitFor("!document.querySelector('#page-home').hidden"));
  EXPECT_TRUE(page_->evaluate("document.querySelector('#page-dead-letters').hidden").convert<bool>());
  page_->evaluate("location.hash = '#/routes'");
  ASSERT_TRUE(page_->waitFor("!document.querySelector('#page-home').hidden"));
  EXPECT_TRUE(page_->evaluate("document.querySelector('#page-routes').hidden").convert<bool>());
  // And not served: the API refuses the partner.
  EXPECT_EQ(api(kShop, "GET", "/v1/admin/dead-letters").status, 403);
  EXPECT_EQ(api(kShop, "GET", "/v1/admin/routes").status, 403);
  EXPECT_EQ(api(kShop, "POST", "/v1/admin/routes/dry-run", "{}").status, 403);
  expectTokenNeverInAUrl(kShop);
  signOut();
  EXPECT_TRUE(page_->errors().empty()) << page_->errors().front();
}

}  // namespace
}  // namespace swhub::testing
