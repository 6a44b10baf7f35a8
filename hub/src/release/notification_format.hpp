#pragma once
// Notifications are journaled in the hub's canonical form, one per outbox item
// (model::kNotificationJsonType), and put into the partner's own format when they leave: one at
// a time on the pull API, up to the partner's push.batch_max at a time for push, so that an
// express carrier receives the statuses of its house waybills in batches.
//
// A notification that the partner's plugin cannot encode is never sent in another format (the
// canonical JSON, the stored text): the partner agreed to its own format only. It becomes a dead
// letter with the plugin's reason, replayable once the plugin is fixed.

#include <cstdint>
#include <string>
#include <vector>

#include "journal/journal.hpp"
#include "plugin/plugin_failure.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::release {

// True when the item holds one canonical notification (a batch can be formed from it).
bool isCanonicalNotification(const journal::OutboxItem& item);

// Who puts a partner's notifications into its format; both names go into every refusal.
struct NotificationEncoder {
  const sdk::PartnerPlugin* plugin = nullptr;  // null: the partner has no plugin of its own and
                                               // reads the canonical JSON
  std::string partner;                         // "demo-express"
  std::string plugin_name;                     // its config key, "express_manifest"
};

struct RefusedNotification {
  std::size_t index = 0;  // into the items given
  std::string reason;     // "partner 'P': plugin 'X' could not encode notification N-1: <its error>"
};

// The plugin failed while encoding (timed out, busy, crashed, answered garbage): not the
// notification's fault, so retried with backoff, then dead-lettered with `reason`.
struct FailedNotification {
  std::size_t index = 0;
  std::string reason;      // as a refusal's, the failure's message after the colon
  plugin::Failure failure;  // for the metrics
};

struct FormattedNotifications {
  sdk::EncodedMessage message;        // the `carried` items, together, in the partner's format
  std::vector<std::size_t> carried;   // indexes of the items in `message`, in order (may be empty)
  std::vector<RefusedNotification> refused;  // cannot be encoded: dead letters
  // Neither refused nor carried: each encodes alone but not together with the others, so they
  // go in later deliveries (in order).
  std::vector<std::size_t> deferred;
  std::vector<FailedNotification> failed;  // the plugin failed on them: retried later
};

// `items` in seq order, all of one partner. Canonical notifications are decoded and encoded
// together by the encoder. A single item that is not canonical (journaled already encoded by an
// earlier hub) is carried as stored. Never throws for bad content: it refuses.
FormattedNotifications formatNotifications(const NotificationEncoder& encoder,
                                           const std::vector<journal::OutboxItem>& items);

// One page of the pull API (GET /v1/notifications), each item put into the partner's format.
struct PulledNotifications {
  std::vector<journal::OutboxItem> items;  // content_type and body in the partner's format
  std::int64_t next = 0;                   // the cursor past the last item looked at
  std::vector<std::string> refused;        // why the items dead-lettered here were left out
};

// An item the partner's plugin cannot encode is left out and `next` moves past it; a 'pull'
// item is dead-lettered with the reason (a pushed one is the push worker's to dead-letter). When
// the plugin failed on it (timed out, busy, crashed, garbage), the page ends before it and the
// next read tries it again. When
// the dead letter cannot be written, the page ends before that item, so that it is neither lost
// nor served in another format: the next read tries it again.
PulledNotifications pullNotifications(journal::Journal& journal, const NotificationEncoder& encoder,
                                      std::vector<journal::OutboxItem> items, std::int64_t cursor);

// The log line of a notification dead-lettered because it could not be encoded (stderr).
void logUnencodable(const std::string& reason);

}  // namespace swhub::release
