#pragma once
// sdk::Notification batch -> one itemResponses document (schemas/partners/upu_post/item-response.xsd).

#include <string_view>
#include <vector>

#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::plugins::upu_post {

/// The response status of a notification: event "do-not-load" wins; then the case state
/// (under-assessment -> accepted); an empty state falls back on the event. "" when neither
/// names a status of item-response.xsd.
std::string_view responseStatus(const sdk::Notification& notification);

/// Every notification of the batch as a <response>, in order; errors (with "/N/field" paths,
/// 0-based) when one cannot be told in this format. `revenueElement`: a notification with
/// revenue details also gets the <revenue> element of item-response.xsd 1.1.
sdk::Result<sdk::EncodedMessage> encodeResponses(const std::vector<sdk::Notification>& batch,
                                                 bool revenueElement = true);

}  // namespace swhub::plugins::upu_post
