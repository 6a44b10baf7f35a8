// Writes what the partner plugins encode for realistic notification batches into
// SWHUB_SCHEMA_OUTPUT_DIR/<plugin>/<document>/<batch>.json, where the schema_*_outputs tests
// check them against the published JSON Schemas (this program is their CTest fixture).

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "plugin_test_support.hpp"
#include "revenue_notifications.hpp"
#include "swhub/sdk/plugin.hpp"

using namespace swhub::sdk;
using namespace swhub::testing;

namespace {

using Batches = std::vector<std::pair<std::string, std::vector<Notification>>>;

// Encodes each batch with an instance of `library` and writes it to <plugin>/<document>/<name>.json,
// after emptying that folder so that no file of an earlier run is checked.
void writeEncoded(const std::string& library, Value settings, const std::string& document, const Batches& batches) {
  PluginLibrary plugin(library);
  auto instance = made(buildPartner(plugin.descriptor(), "demo-" + library, std::move(settings)));
  ASSERT_TRUE(instance);
  const std::filesystem::path folder = std::filesystem::path(SWHUB_SCHEMA_OUTPUT_DIR) / library / document;
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  for (const auto& [name, batch] : batches) {
    auto encoded = instance->encode(batch);
    ASSERT_TRUE(encoded) << name << ": " << formatErrors(encoded.errors());
    std::ofstream out(folder / (name + ".json"), std::ios::binary);
    out << encoded.value().body;
    out.flush();
    ASSERT_TRUE(out.good()) << "cannot write " << folder / (name + ".json");
  }
  instance.reset();  // before the library is unloaded
}

// What a filer is told of its returns (issue 12): held, awaiting proof, returned, refunded.
std::vector<Notification> returnNotifications(const std::string& reference) {
  return {Notification{"N-51", "C-2026-000123", reference, "return-held", "released",
                       "return held, no refund: item 1 hs: filed 620520, inbound 610910", "2026-12-06T10:00:00Z",
                       {{"reason_codes", "RET-MISMATCH"}, {"return_id", "R-1"}}},
          Notification{"N-52", "C-2026-000123", reference, "return-awaiting-proof", "released",
                       "proof of export awaited", "2026-12-06T10:01:00Z",
                       {{"reason_codes", "RET-PROOF-AWAITED"}, {"return_id", "R-2"}}},
          Notification{"N-53", "C-2026-000123", reference, "returned", "returned", "returned with proof of export",
                       "2026-12-06T10:02:00Z", {{"previous_state", "released"}, {"return_id", "R-2"}}},
          Notification{"N-54", "C-2026-000123", reference, "refunded", "refunded", "refund of 7.55 EUR instructed",
                       "2026-12-06T10:02:00Z",
                       {{"previous_state", "returned"},
                        {"return_id", "R-2"},
                        {"refund_amount", "7.55"},
                        {"refund_currency", "EUR"},
                        {"refund_why", "duty item 1: 7.20 x 1/3 = 2.40; vat item 1: 15.46 x 1/3 = 5.15 (rounded half up to 0.01)"}}}};
}

// A reason as an agency writes it: quotes, a line break, a tab, a control byte and non-ASCII text.
const std::string kAwkwardReason = "déclaration incomplète: \"origin\" missing\non line 2\tsee \x01 annex";

}  // namespace

TEST(schemaOutputs, MarketplaceOrderUpdates) {
  Value settings = Value::map();
  settings.set("platform_id", Value::string("DEMO-MARKET"));
  const std::string order = "DM-2026-11-000417";
  writeEncoded("marketplace", std::move(settings), "order-updates",
               {{"lifecycle",
                 {Notification{"N-11", "C-2026-000123", order, "accepted", "accepted", "", "2026-11-28T08:00:00Z", {}},
                  Notification{"N-12", "C-2026-000123", order, "assessment-started", "under-assessment", "",
                               "2026-11-28T08:00:01Z", {{"agencies", "customs,food-safety"}}},
                  Notification{"N-13", "C-2026-000123", order, "held", "held", "product safety: \"CE\" marking missing",
                               "2026-11-28T09:12:44Z", {{"agency", "market-surveillance"}}},
                  Notification{"N-14", "C-2026-000123", order, "cleared", "cleared", "", "2026-11-28T14:30:00Z", {}},
                  Notification{"N-15", "C-2026-000123", order, "released", "released", "", "2026-11-29T08:00:00Z", {}}}},
                {"event-without-state",
                 {Notification{"N-21", "C-2026-000124", "DM-2026-11-000502", "do-not-load", "", kAwkwardReason,
                               "2026-11-28T08:03:00.125Z", {}}}},
                {"rejected", {Notification{"N-31", "", "DM-2026-11-000611", "rejected", "rejected",
                                           "/lines/0/hs: '770100' is not an HS code: chapter 77 does not exist",
                                           "2026-11-28T08:00:00Z", {}}}},
                {"revenue", {consumerFallback(), vendorCollected()}},
                {"returns", returnNotifications(order)},
                {"empty", {}}});
}

TEST(schemaOutputs, PaymentAcknowledgements) {
  Value settings = Value::map();
  settings.set("secret", Value::string("whsec_demo_7f3a9c2e41b8d605"));
  writeEncoded("payment", std::move(settings), "acknowledgements",
               {{"payment-recorded",
                 {Notification{"N-31", "C-2026-000123", "DM-2026-11-000417", "payment-recorded", "cleared", "",
                               "2026-11-28T08:00:01Z", {}}}},
                {"refund-and-unknown-case",
                 {Notification{"N-32", "C-2026-000123", "DM-2026-11-000417", "refund-recorded", "refunded", "",
                               "2026-12-03T10:15:01Z", {{"amount", "9.50"}}},
                  Notification{"N-33", "", "LRN-UNKNOWN-1", "payment-unmatched", "", kAwkwardReason,
                               "2026-12-03T10:16:00Z", {}}}},
                {"refund-instructed",
                 {Notification{"N-34", "C-2026-000123", "DM-2026-11-000417", "refund-instructed", "refunded",
                               "goods returned: refund 7.55 EUR of payment pi_1", "2026-12-06T10:00:00Z",
                               {{"return_id", "R-1"},
                                {"refund_transaction_id", "pi_1"},
                                {"refund_amount", "7.55"},
                                {"refund_currency", "EUR"}}}}},
                {"empty", {}}});
}

TEST(schemaOutputs, ExpressManifestJsonNotifications) {
  Value settings = Value::map();
  settings.set("notify_format", Value::string("json"));
  writeEncoded("express_manifest", std::move(settings), "notifications",
               {{"release-and-hold",
                 {Notification{"N-1", "C-1", "HWB0000001", "released", "released", "", "2026-11-29T08:00:00Z", {}},
                  Notification{"N-2", "C-2", "HWB0000002", "held", "held", "needs an invoice, \"commercial\"",
                               "2026-11-29T08:01:00Z", {{"agency", "customs"}, {"document", "invoice"}}}}},
                {"do-not-load", {Notification{"N-3", "C-3", "HWB0000003", "do-not-load", "", kAwkwardReason,
                                              "2026-11-28T21:40:00.5Z", {{"agency", "aviation-security"}}}}},
                {"revenue", {consumerFallback("N-4", "HWB0000004"), vendorCollected("N-5", "HWB0000005")}},
                {"returns", returnNotifications("HWB0000006")},
                {"empty", {}}});
}
