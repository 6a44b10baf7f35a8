#pragma once
// The settings of one upu_post instance, read once by the factory.

#include <cstddef>
#include <string>

namespace swhub::plugins::upu_post {

/// Content type of both directions: postalItems in, itemResponses out.
inline constexpr const char* kContentType = "application/vnd.swhub.upu-post+xml";
inline constexpr const char* kNamespace = "urn:swhub:partner:upu-post:1";
/// Bodies are capped by the hub before they reach a plugin; this bound holds without it.
inline constexpr std::size_t kMaxMessageBytes = 64 * 1024 * 1024;

struct Settings {
  std::string operator_name;  ///< the posting operator: carrier.name of every consignment
  std::string operator_id;    ///< carrier.id
  std::size_t max_items = 1000;  ///< postal items per message
  std::size_t max_depth = 16;    ///< deepest element nesting
  bool revenue_element = true;   ///< responses carry <revenue> (item-response.xsd 1.1)
};

}  // namespace swhub::plugins::upu_post
