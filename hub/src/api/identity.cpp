#include "api/identity.hpp"

#include "common/ids.hpp"

namespace swhub::api {

common::Actor Identity::asActor() const {
  switch (kind) {
    case Kind::Partner: return common::Actor::partner(id);
    case Kind::Agency: return common::Actor::agency(id);
    case Kind::Admin: return common::Actor::admin(id);
  }
  return common::Actor::admin(id);
}

std::string Identity::actor() const { return common::toString(asActor()); }

IdentityMap::IdentityMap(const config::HubConfig& config) {
  auto add = [this](const config::Credentials& credentials, Identity::Kind kind, const std::string& id) {
    for (const auto& token : credentials.tokens) tokens_[common::sha256Hex(token)] = Identity{kind, id};
    for (const auto& cn : credentials.certificates) certificates_[cn] = Identity{kind, id};
  };
  for (const auto& p : config.partners) add(p.credentials, Identity::Kind::Partner, p.id);
  for (const auto& a : config.agencies) add(a.credentials, Identity::Kind::Agency, a.id);
  for (const auto& a : config.admins) add(a.credentials, Identity::Kind::Admin, a.id);
}

std::optional<Identity> IdentityMap::byToken(const std::string& token) const {
  auto it = tokens_.find(common::sha256Hex(token));
  if (it == tokens_.end()) return std::nullopt;
  return it->second;
}

std::optional<Identity> IdentityMap::byCertificate(const std::string& commonName) const {
  auto it = certificates_.find(commonName);
  if (it == certificates_.end()) return std::nullopt;
  return it->second;
}

}  // namespace swhub::api
