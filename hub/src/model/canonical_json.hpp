#pragma once
// The canonical consignment as JSON (DESIGN.md "Canonical consignment"): the hub's own partner
// format (plugin `canonical`) and the form in which the hub stores and shows cases.
// Thread safety: free functions without shared state.

#include <string>
#include <string_view>
#include <vector>

#include "model/codec_options.hpp"
#include "swhub/sdk/model.hpp"
#include "swhub/sdk/status.hpp"

namespace swhub::model {

/// One consignment of a body. `location` is "" for a single object, "/3" for the fourth of a
/// batch; the paths of its errors carry that prefix ("/3/items/0/hs").
struct DecodedConsignment {
  std::string location;
  sdk::Result<sdk::Consignment> result;
};

/// Decodes a JSON object (one consignment) or array (a batch). Fails as a whole, with path "",
/// when the body is too large, not UTF-8, not JSON, too deep, neither object nor array, or an
/// empty or too large batch; otherwise returns one entry per consignment, each either valid
/// (validateConsignment passed) or with EVERY error found, as JSON pointers.
sdk::Result<std::vector<DecodedConsignment>> decodeConsignmentsJson(std::string_view body,
                                                                    const DecodeOptions& options = {});

/// Decodes a body that must hold exactly one consignment (an object).
sdk::Result<sdk::Consignment> decodeConsignmentJson(std::string_view body, const DecodeOptions& options = {});

/// The canonical JSON of a consignment, compact, fields in DESIGN.md order; case_id, partner and
/// derived when set. decodeConsignmentJson(encode(c), {.allow_hub_fields = true}) == c.
std::string encodeConsignmentJson(const sdk::Consignment& consignment);

/// {"notifications":[{id, case_id, reference, event, state, reason, at, details:{...}}]}
/// (content type kNotificationJsonType). A repeated detail key (revenue_line) is one array, a
/// revenue_line an object: model/notification_details.hpp.
std::string encodeNotificationsJson(const std::vector<sdk::Notification>& notifications);

/// The reverse of encodeNotificationsJson: decodeNotificationsJson(encode(batch)) == batch
/// (details keep their order). Every error as a JSON pointer.
sdk::Result<std::vector<sdk::Notification>> decodeNotificationsJson(std::string_view body);

}  // namespace swhub::model
