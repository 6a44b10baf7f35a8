#include "release/notification_format.hpp"

#include <iostream>
#include <utility>

#include "model/canonical_json.hpp"
#include "model/codec_options.hpp"

namespace swhub::release {
namespace {

std::string firstError(const sdk::Errors& errors) {
  if (errors.empty()) return "no reason given";
  return errors.front().path.empty() ? errors.front().message : errors.front().path + ": " + errors.front().message;
}

std::string refusal(const NotificationEncoder& encoder, const journal::OutboxItem& item, const std::string& why) {
  return "partner '" + encoder.partner + "': plugin '" + encoder.plugin_name + "' could not encode notification " +
         item.id + ": " + why;
}

}  // namespace

bool isCanonicalNotification(const journal::OutboxItem& item) {
  return item.channel == journal::Channel::Notification && item.content_type == model::kNotificationJsonType;
}

FormattedNotifications formatNotifications(const NotificationEncoder& encoder,
                                           const std::vector<journal::OutboxItem>& items) {
  FormattedNotifications out;
  if (items.size() == 1 && !isCanonicalNotification(items.front())) {
    out.message = {items.front().content_type, items.front().body};
    out.carried = {0};
    return out;
  }
  // Each item's notifications (one, as the coordinator journals them).
  std::vector<std::vector<sdk::Notification>> decoded(items.size());
  std::vector<std::size_t> readable;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto notes = isCanonicalNotification(items[i])
                     ? model::decodeNotificationsJson(items[i].body)
                     : sdk::Result<std::vector<sdk::Notification>>::failure("", "not a canonical notification");
    if (!notes.ok()) {
      // Not ours to repair, and not the partner's format either: nothing is sent in its place.
      out.refused.push_back({i, "partner '" + encoder.partner + "': notification " + items[i].id +
                                    " is unreadable in the journal: " + firstError(notes.errors())});
      continue;
    }
    decoded[i] = notes.take();
    readable.push_back(i);
  }
  auto encode = [&](const std::vector<std::size_t>& which) -> sdk::Result<sdk::EncodedMessage> {
    std::vector<sdk::Notification> batch;
    for (std::size_t i : which) batch.insert(batch.end(), decoded[i].begin(), decoded[i].end());
    // No plugin of its own: the canonical JSON is the partner's format.
    if (encoder.plugin == nullptr) {
      return sdk::EncodedMessage{std::string(model::kNotificationJsonType), model::encodeNotificationsJson(batch)};
    }
    auto encoded = encoder.plugin->encode(batch);
    // A message without a media type cannot be sent: the plugin answered garbage.
    if (encoded.ok() && encoded.value().content_type.empty()) {
      return sdk::Errors{plugin::failureError(
          {encoder.plugin_name, plugin::FailureKind::Garbage, "encode", "a message without a content type"})};
    }
    return encoded;
  };
  // The plugin failed (rather than refused): each of `which` is tried again later.
  auto failedOn = [&](const std::vector<std::size_t>& which, const sdk::Errors& errors) {
    const auto failure = plugin::failureOf(errors.front());
    for (std::size_t i : which) out.failed.push_back({i, refusal(encoder, items[i], errors.front().message), *failure});
  };
  if (readable.empty()) return out;

  auto together = encode(readable);
  if (together.ok()) {
    out.message = together.take();
    out.carried = readable;
    return out;
  }
  if (plugin::isPluginFailure(together.errors()) && plugin::failureOf(together.errors().front())) {
    failedOn(readable, together.errors());
    return out;
  }
  if (readable.size() == 1) {
    out.refused.push_back({readable.front(), refusal(encoder, items[readable.front()], firstError(together.errors()))});
    return out;
  }
  // The batch failed as a whole: try its items one by one, so that a single notification the
  // plugin cannot encode is dead-lettered alone and does not take its neighbours with it.
  std::vector<std::size_t> kept;
  sdk::EncodedMessage firstAlone;
  for (std::size_t i : readable) {
    auto alone = encode({i});
    if (!alone.ok() && plugin::isPluginFailure(alone.errors()) && plugin::failureOf(alone.errors().front())) {
      failedOn({i}, alone.errors());
      continue;
    }
    if (!alone.ok()) {
      out.refused.push_back({i, refusal(encoder, items[i], firstError(alone.errors()))});
      continue;
    }
    if (kept.empty()) firstAlone = alone.take();
    kept.push_back(i);
  }
  if (kept.empty()) return out;
  auto rest = encode(kept);
  if (rest.ok()) {
    out.message = rest.take();
    out.carried = kept;
    return out;
  }
  // Each encodes alone but not together (a plugin with a rule across notifications): the first
  // goes alone now, the others in later deliveries, so every one of them still goes, in order.
  out.message = std::move(firstAlone);
  out.carried = {kept.front()};
  out.deferred.assign(kept.begin() + 1, kept.end());
  return out;
}

PulledNotifications pullNotifications(journal::Journal& journal, const NotificationEncoder& encoder,
                                      std::vector<journal::OutboxItem> items, std::int64_t cursor) {
  PulledNotifications out;
  out.next = cursor;
  for (auto& item : items) {
    auto formatted = formatNotifications(encoder, {item});
    if (!formatted.failed.empty()) break;  // the plugin failed: neither served nor dead; read again later
    if (!formatted.refused.empty()) {
      // A pushed item is the push worker's to dead-letter (and count); a pull item is ours.
      const std::string& reason = formatted.refused.front().reason;
      if (item.state == journal::OutboxState::Pull) {
        try {
          // False: a concurrent read dead-lettered it first (and counted it).
          if (journal.deadLetterPulled(item.seq, reason)) out.refused.push_back(reason);
        } catch (const journal::JournalError&) {
          break;  // not recorded: served neither now nor in another format; read again later
        }
      }
      out.next = item.seq;
      continue;
    }
    item.content_type = std::move(formatted.message.content_type);
    item.body = std::move(formatted.message.body);
    out.next = item.seq;
    out.items.push_back(std::move(item));
  }
  return out;
}

void logUnencodable(const std::string& reason) {
  // One write per line, so that lines of concurrent deliveries do not interleave.
  std::cerr << ("swhub: notification dead-lettered: " + reason + "\n") << std::flush;
}

}  // namespace swhub::release
