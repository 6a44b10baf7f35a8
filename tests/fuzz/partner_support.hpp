#pragma once
// What the partner plugin targets share: a message held in memory as a ByteSource, a partner
// instance built from the example deployment (config/hub.yaml) exactly as the hub builds it, and a
// decoder drained to its end.

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "config/config.hpp"
#include "fuzz_support.hpp"
#include "plugin/registry.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::fuzz {

// The bytes of one input, handed to a decoder in the sizes it asks for, at most `chunk` at a time
// (decoders that stream must get their boundaries right wherever a read ends).
class MemorySource : public sdk::ByteSource {
 public:
  MemorySource(std::string_view bytes, std::size_t chunk) : bytes_(bytes), chunk_(std::max<std::size_t>(chunk, 1)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min({size, chunk_, bytes_.size() - pos_});
    if (n > 0) std::memcpy(buffer, bytes_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string_view bytes_;
  std::size_t chunk_;
  std::size_t pos_ = 0;
};

// One partner of the example deployment, its plugin loaded from the fuzz build's plugin folder and
// its settings validated by the hub's own loader. Built once per process (LLVMFuzzerInitialize).
class ExamplePartner {
 public:
  explicit ExamplePartner(const std::string& partnerId) {
    config_ = config::loadConfig(std::string(SWHUB_SOURCE_ROOT) + "/config/hub.yaml");
    registry_.setConfigDir(config_.base_dir);
    const config::PartnerConfig* partner = nullptr;
    for (const auto& p : config_.partners) {
      if (p.id == partnerId) partner = &p;
    }
    if (partner == nullptr) fail("config/hub.yaml has no partner '" + partnerId + "'");
    sdk::Errors errors;
    for (const auto& entry : config_.plugins) {
      if (entry.name == partner->plugin) registry_.load(entry, SWHUB_PLUGIN_DIR, errors);
    }
    instance_ = registry_.makePartner(partner->plugin, partner->id, "partners." + partner->id, partner->settings, errors);
    if (!instance_) fail("partner '" + partnerId + "' cannot be built: " + sdk::formatErrors(errors));
    settings_ = partner->settings;
  }

  const sdk::PartnerPlugin& plugin() const { return *instance_->plugin; }
  const sdk::Value& settings() const { return settings_; }

 private:
  config::HubConfig config_;
  plugin::PluginRegistry registry_;  // before the instance: it outlives it
  std::unique_ptr<plugin::Instance<sdk::PartnerPlugin>> instance_;
  sdk::Value settings_;
};

// Everything the decoder yields for one message, pulled to the end as the hub pulls it. A decoder
// that never ends (more pieces than the input has bytes, plus slack) is a finding.
inline void drain(const sdk::PartnerPlugin& plugin, const sdk::MessageContext& context, std::string_view bytes,
                  std::size_t chunk) {
  MemorySource source(bytes, chunk);
  auto decoder = plugin.open(context, source);
  if (!decoder) return;  // refused at open: the hub answers with the errors it reports
  const std::size_t bound = bytes.size() + 16;
  std::size_t pieces = 0;
  while (auto piece = decoder->next()) {
    if (++pieces > bound) fail("the decoder yielded more than " + std::to_string(bound) + " pieces");
  }
}

}  // namespace swhub::fuzz
