// Notifications journaled canonically leave in the partner's format: together when batched, as
// stored when they were journaled encoded already, and in the canonical form (with the reason)
// when the partner's plugin cannot encode them.

#include <gtest/gtest.h>

#include "model/canonical_json.hpp"
#include "release/notification_format.hpp"

namespace swhub::release {
namespace {

// Encodes "reference:state" lines; refuses a batch holding a "held" notification.
class LinesPlugin : public sdk::PartnerPlugin {
 public:
  std::vector<std::string> contentTypes() const override { return {"text/plain"}; }
  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext&, sdk::ByteSource&) const noexcept override {
    return nullptr;
  }
  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>& batch) const noexcept override {
    std::string body;
    for (const auto& n : batch) {
      if (n.state == "held") return sdk::Errors{{"", "cannot say held"}};
      body += n.reference + ":" + n.state + "\n";
    }
    return sdk::EncodedMessage{"text/plain", body};
  }
};

journal::OutboxItem stored(const sdk::Notification& n) {
  journal::OutboxItem item;
  item.id = n.id;
  item.channel = "notification";
  item.recipient = "demo-express";
  item.case_id = n.case_id;
  item.content_type = std::string(model::kNotificationJsonType);
  item.body = model::encodeNotificationsJson({n});
  return item;
}

sdk::Notification note(const std::string& id, const std::string& reference, const std::string& state) {
  return {id, "C-" + id, reference, state, state, "", "2026-11-28T10:00:00.000Z", {{"agency", "customs"}}};
}

TEST(notification_format, EncodesABatchInThePartnersFormatInOrder) {
  LinesPlugin plugin;
  auto out = formatNotifications(&plugin, {stored(note("N-1", "HWB1", "released")), stored(note("N-2", "HWB2", "accepted"))});
  EXPECT_EQ(out.message.content_type, "text/plain");
  EXPECT_EQ(out.message.body, "HWB1:released\nHWB2:accepted\n");
  EXPECT_EQ(out.fallback_reason, "");
}

TEST(notification_format, FallsBackToTheCanonicalFormWithTheReason) {
  LinesPlugin plugin;
  const auto a = note("N-1", "HWB1", "released");
  const auto b = note("N-2", "HWB2", "held");
  auto out = formatNotifications(&plugin, {stored(a), stored(b)});
  EXPECT_EQ(out.message.content_type, model::kNotificationJsonType);
  EXPECT_EQ(out.message.body, model::encodeNotificationsJson({a, b}));
  EXPECT_EQ(out.fallback_reason, "the partner's plugin could not encode 2 notification(s): cannot say held");
}

TEST(notification_format, AnItemJournaledAlreadyEncodedLeavesAsStored) {
  LinesPlugin plugin;
  journal::OutboxItem old;
  old.id = "N-9";
  old.channel = "notification";
  old.content_type = "application/xml";
  old.body = "<Response/>";
  auto out = formatNotifications(&plugin, {old});
  EXPECT_EQ(out.message.content_type, "application/xml");
  EXPECT_EQ(out.message.body, "<Response/>");
  EXPECT_FALSE(isCanonicalNotification(old));
  EXPECT_TRUE(isCanonicalNotification(stored(note("N-1", "HWB1", "released"))));
}

}  // namespace
}  // namespace swhub::release
