#include "release/notification_format.hpp"

#include "model/canonical_json.hpp"
#include "model/codec_options.hpp"

namespace swhub::release {
namespace {

std::string firstError(const sdk::Errors& errors) {
  if (errors.empty()) return "no reason given";
  return errors.front().path.empty() ? errors.front().message : errors.front().path + ": " + errors.front().message;
}

}  // namespace

bool isCanonicalNotification(const journal::OutboxItem& item) {
  return item.channel == "notification" && item.content_type == model::kNotificationJsonType;
}

FormattedNotifications formatNotifications(const sdk::PartnerPlugin* encoder,
                                           const std::vector<journal::OutboxItem>& items) {
  FormattedNotifications out;
  if (items.size() == 1 && !isCanonicalNotification(items.front())) {
    out.message = {items.front().content_type, items.front().body};
    return out;
  }
  std::vector<sdk::Notification> batch;
  batch.reserve(items.size());
  for (const auto& item : items) {
    auto decoded = isCanonicalNotification(item)
                       ? model::decodeNotificationsJson(item.body)
                       : sdk::Result<std::vector<sdk::Notification>>::failure("", "not a canonical notification");
    if (!decoded.ok()) {
      // Not ours to repair: deliver what is stored, so nothing is lost or invented.
      out.fallback_reason = "outbox item " + item.id + ": " + firstError(decoded.errors());
      std::string joined;
      for (const auto& i : items) joined += (joined.empty() ? "" : "\n") + i.body;
      out.message = {items.size() == 1 ? item.content_type : "text/plain", joined};
      return out;
    }
    for (auto& n : decoded.value()) batch.push_back(std::move(n));
  }
  if (encoder != nullptr) {
    auto encoded = encoder->encode(batch);
    if (encoded.ok()) {
      out.message = encoded.take();
      return out;
    }
    out.fallback_reason = "the partner's plugin could not encode " + std::to_string(batch.size()) +
                          " notification(s): " + firstError(encoded.errors());
  } else {
    out.fallback_reason = "no partner plugin to encode with";
  }
  out.message = {std::string(model::kNotificationJsonType), model::encodeNotificationsJson(batch)};
  return out;
}

}  // namespace swhub::release
