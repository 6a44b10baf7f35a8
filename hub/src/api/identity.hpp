#pragma once
// Who is calling: bearer tokens and TLS client certificate names mapped, in YAML, to one
// partner, agency or admin. Tokens are kept only as SHA-256 digests.

#include <map>
#include <optional>
#include <string>

#include "common/actor.hpp"
#include "config/config.hpp"

namespace swhub::api {

struct Identity {
  enum class Kind { Partner, Agency, Admin };
  Kind kind = Kind::Partner;
  std::string id;

  common::Actor asActor() const;
  std::string actor() const;  // "partner:demo-post", "agency:customs", "admin:admin"
};

class IdentityMap {
 public:
  explicit IdentityMap(const config::HubConfig& config);
  std::optional<Identity> byToken(const std::string& token) const;
  std::optional<Identity> byCertificate(const std::string& commonName) const;

 private:
  std::map<std::string, Identity> tokens_;        // sha256(token) -> identity
  std::map<std::string, Identity> certificates_;  // subject CN -> identity
};

}  // namespace swhub::api
