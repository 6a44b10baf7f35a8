#include "config/accounts_config.hpp"

#include <map>
#include <stdexcept>

#include "common/time_zone.hpp"

namespace swhub::config {
namespace {

// Account ids appear in URLs (/v1/accounts/{id}/...) and statement ids: a safe alphabet.
bool accountIdOk(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

void checkAccounts(const sdk::Value& document, sdk::Errors& errors) {
  if (const sdk::Value* hub = document.find("hub"); hub != nullptr && hub->isMap()) {
    const sdk::Value* accounts = hub->find("accounts");
    const sdk::Value* zone = accounts != nullptr && accounts->isMap() ? accounts->find("time_zone") : nullptr;
    if (zone != nullptr && zone->isScalar() && !zone->asString().empty()) {
      try {
        common::TimeZone::load(zone->asString());
      } catch (const std::invalid_argument& e) {
        errors.push_back({"hub.accounts.time_zone", e.what()});
      }
    }
  }
  const sdk::Value* partners = document.find("partners");
  if (partners == nullptr || !partners->isMap()) return;
  std::map<std::string, std::string> holder;
  for (const auto& [id, partner] : partners->entries()) {
    const sdk::Value* account = partner.isMap() ? partner.find("account") : nullptr;
    if (account == nullptr || !account->isScalar() || account->asString().empty()) continue;
    const std::string path = "partners." + id + ".account";
    const std::string value = account->asString();
    if (!accountIdOk(value)) {
      errors.push_back({path, "'" + value + "' is not an account id (1-64 letters, digits, '-', '_' or '.')"});
      continue;
    }
    auto [it, inserted] = holder.emplace(value, id);
    if (!inserted) errors.push_back({path, "account '" + value + "' is also partners." + it->second + ".account: one partner per account"});
  }
}

void readAccounts(const sdk::Value& document, HubConfig& config) {
  if (const sdk::Value* hub = document.find("hub")) {
    if (const sdk::Value* accounts = hub->find("accounts")) {
      if (const sdk::Value* zone = accounts->find("time_zone")) config.accounts.time_zone = zone->asString();
      if (const sdk::Value* days = accounts->find("payment_due_days")) {
        config.accounts.payment_due_days = static_cast<int>(days->asInt());
      }
    }
  }
  const sdk::Value* partners = document.find("partners");
  for (auto& partner : config.partners) {
    const sdk::Value* entry = partners != nullptr ? partners->find(partner.id) : nullptr;
    const sdk::Value* account = entry != nullptr ? entry->find("account") : nullptr;
    if (account != nullptr) partner.account = account->asString();
  }
}

}  // namespace swhub::config
