#pragma once
// Notifications are journaled in the hub's canonical form, one per outbox item
// (model::kNotificationJsonType), and put into the partner's own format when they leave: one at
// a time on the pull API, up to the partner's push.batch_max at a time for push, so that an
// express carrier receives the statuses of its house waybills in batches.

#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::release {

// True when the item holds one canonical notification (a batch can be formed from it).
bool isCanonicalNotification(const journal::OutboxItem& item);

struct FormattedNotifications {
  sdk::EncodedMessage message;
  // Why the partner's format could not be used ("" when it was): the canonical JSON of the
  // notifications was used instead, so that the partner still learns what happened.
  std::string fallback_reason;
};

// `items` in seq order. Canonical notifications are decoded and encoded together by `encoder`
// (null: canonical JSON). A single item that is not canonical (journaled already encoded by an
// earlier hub) is returned as stored. Never throws for bad content: it falls back.
FormattedNotifications formatNotifications(const sdk::PartnerPlugin* encoder,
                                           const std::vector<journal::OutboxItem>& items);

}  // namespace swhub::release
