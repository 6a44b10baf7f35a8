// The loader refuses every broken library with the config path, the library path and the cause.
#include <gtest/gtest.h>

#include <algorithm>
#include <variant>

#include "plugin/registry.hpp"
#include "swhub/sdk/version.hpp"

namespace swhub::plugin {
namespace {

const std::string kFixtures = SWHUB_FIXTURE_DIR;
const std::string kHubAbi = std::to_string(sdk::kAbiMajor) + "." + std::to_string(sdk::kAbiMinor);

config::PluginEntry entry(const std::string& name, const std::string& library) {
  return config::PluginEntry{name, library, ""};
}

sdk::Errors loadErrors(const std::vector<config::PluginEntry>& entries) {
  PluginRegistry registry;
  try {
    registry.loadAll(entries, kFixtures);
  } catch (const PluginError& e) {
    return e.errors();
  }
  return {};
}

std::string fixture(const std::string& file) { return kFixtures + "/" + file; }

TEST(PluginRegistry, LoadsAWorkingLibraryFromThePluginFolder) {
  PluginRegistry registry;
  registry.loadAll({entry("echo", "fixture_echo.so")}, kFixtures);
  const LoadedPlugin* echo = registry.find("echo");
  ASSERT_NE(echo, nullptr);
  EXPECT_EQ(echo->path, fixture("fixture_echo.so"));
  EXPECT_STREQ(echo->descriptor->version, "0.3.0");
  EXPECT_EQ(echo->descriptor->kind, sdk::PluginKind::Partner);
}

TEST(PluginRegistry, RefusesAMissingFile) {
  EXPECT_EQ(loadErrors({entry("ghost", "ghost.so")}),
            (sdk::Errors{{"plugins.ghost.library", "cannot load '" + fixture("ghost.so") +
                                                       "': no such file (plugin folder: '" + kFixtures + "')"}}));
}

TEST(PluginRegistry, RefusesALibraryWithoutEntry) {
  EXPECT_EQ(loadErrors({entry("noentry", "fixture_no_entry.so")}),
            (sdk::Errors{{"plugins.noentry.library",
                          "'" + fixture("fixture_no_entry.so") +
                              "' has no entry symbol 'swhub_plugin_descriptor': not a swhub plugin (build it with "
                              "swhub_add_plugin and SWHUB_PLUGIN)"}}));
}

TEST(PluginRegistry, RefusesAnotherAbiMajorNamingBothVersions) {
  EXPECT_EQ(loadErrors({entry("abi_major", "fixture_abi_major.so")}),
            (sdk::Errors{{"plugins.abi_major.library",
                          "'" + fixture("fixture_abi_major.so") + "' was built for SDK ABI 99." +
                              std::to_string(sdk::kAbiMinor) + ", this hub has ABI " + kHubAbi +
                              " (major versions differ)"}}));
}

TEST(PluginRegistry, RefusesANewerAbiMinor) {
  EXPECT_EQ(loadErrors({entry("abi_minor", "fixture_abi_minor.so")}),
            (sdk::Errors{{"plugins.abi_minor.library",
                          "'" + fixture("fixture_abi_minor.so") + "' was built for SDK ABI " +
                              std::to_string(sdk::kAbiMajor) + ".99, newer than this hub's ABI " + kHubAbi}}));
}

TEST(PluginRegistry, RefusesAnotherToolchain) {
  EXPECT_EQ(loadErrors({entry("toolchain", "fixture_toolchain.so")}),
            (sdk::Errors{{"plugins.toolchain.library",
                          "'" + fixture("fixture_toolchain.so") +
                              "' was built with toolchain 'gcc 4.8.5 / libstdc++ 20150623 cxx11abi=0', this hub "
                              "with '" + sdk::kToolchain + "'"}}));
}

TEST(PluginRegistry, RefusesANameAlreadyRegistered) {
  const auto errors = loadErrors({entry("echo", "fixture_echo.so"), entry("echo2", "fixture_duplicate.so")});
  EXPECT_EQ(errors, (sdk::Errors{{"plugins.echo2.library", "'" + fixture("fixture_duplicate.so") +
                                                               "' registers plugin 'echo', already registered by '" +
                                                               fixture("fixture_echo.so") + "'"}}));
}

TEST(PluginRegistry, RefusesALibraryRegisteringAnotherNameThanTheConfigKey) {
  EXPECT_EQ(loadErrors({entry("mail", "fixture_echo.so")}),
            (sdk::Errors{{"plugins.mail.library", "'" + fixture("fixture_echo.so") +
                                                      "' registers plugin 'echo', but the config names it 'mail'"}}));
}

TEST(PluginRegistry, ReportsEveryBrokenLibraryAtOnce) {
  const auto errors = loadErrors({entry("noentry", "fixture_no_entry.so"), entry("echo", "fixture_echo.so"),
                                  entry("toolchain", "fixture_toolchain.so")});
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].path, "plugins.noentry.library");
  EXPECT_EQ(errors[1].path, "plugins.toolchain.library");
}

TEST(PluginRegistry, AFactoryThatThrowsIsRefusedWithItsMessage) {
  PluginRegistry registry;
  registry.loadAll({entry("throwing", "fixture_throwing.so")}, kFixtures);
  sdk::Errors errors;
  auto instance = registry.makePartner("throwing", "demo-post", "partners.demo-post", sdk::Value(), errors);
  EXPECT_EQ(instance, nullptr);
  EXPECT_EQ(errors, (sdk::Errors{{"partners.demo-post.settings",
                                  "'" + fixture("fixture_throwing.so") +
                                      "': plugin 'throwing' failed to start: cannot open the tariff file"}}));
}

TEST(PluginRegistry, AFactoryThatThrowsWithoutTheGuardIsCaughtByTheHub) {
  PluginRegistry registry;
  registry.loadAll({entry("raw_throwing", "fixture_raw_throwing.so")}, kFixtures);
  sdk::Errors errors;
  auto instance = registry.makePartner("raw_throwing", "demo-post", "partners.demo-post", sdk::Value(), errors);
  EXPECT_EQ(instance, nullptr);
  EXPECT_EQ(errors, (sdk::Errors{{"partners.demo-post.settings",
                                  "'" + fixture("fixture_raw_throwing.so") +
                                      "': plugin 'raw_throwing' failed to start: raw factory exploded"}}));
}

TEST(PluginRegistry, ValidatesInstanceSettingsAgainstThePluginSchema) {
  PluginRegistry registry;
  registry.loadAll({entry("settings_echo", "fixture_settings.so")}, kFixtures);
  sdk::Value settings = sdk::Value::map();
  settings.set("prefix", sdk::Value::string("X-"));
  settings.set("max_lines", sdk::Value::integer(0));
  settings.set("prefx", sdk::Value::string("Y"));
  sdk::Errors errors;
  auto instance = registry.makePartner("settings_echo", "demo-post", "partners.demo-post", settings, errors);
  EXPECT_EQ(instance, nullptr);
  EXPECT_EQ(errors, (sdk::Errors{
                        {"partners.demo-post.settings.max_lines", "0 is out of range [1, 1000]"},
                        {"partners.demo-post.settings.prefx",
                         "unknown key 'prefx'; allowed keys: max_lines, prefix; did you mean 'prefix'?"},
                    }));
}

TEST(PluginRegistry, RefusesAPluginOfTheWrongKind) {
  PluginRegistry registry;
  registry.loadAll({entry("echo", "fixture_echo.so")}, kFixtures);
  sdk::Errors errors;
  auto agency = registry.makeAgency("echo", "customs", "agencies.customs", sdk::Value(), errors);
  EXPECT_EQ(agency, nullptr);
  EXPECT_EQ(errors, (sdk::Errors{{"agencies.customs.plugin", "plugin 'echo' is a partner plugin; agency expected"}}));
}

// The kind is named with its article: "an adapter", "an agency".
TEST(PluginRegistry, NamesTheWrongKindInPlainWords) {
  PluginRegistry registry;
  registry.loadAll({entry("http_webhook", "swhub_http_webhook.so"), entry("rules", "swhub_rules.so")},
                   SWHUB_PLUGIN_DIR);
  sdk::Errors errors;
  EXPECT_EQ(registry.makePartner("http_webhook", "demo-post", "partners.demo-post", sdk::Value(), errors), nullptr);
  EXPECT_EQ(registry.makePartner("rules", "demo-post", "partners.demo-post", sdk::Value(), errors), nullptr);
  EXPECT_EQ(errors, (sdk::Errors{{"partners.demo-post.plugin", "plugin 'http_webhook' is an adapter plugin; partner expected"},
                                 {"partners.demo-post.plugin", "plugin 'rules' is an agency plugin; partner expected"}}));
}

// An instance keeps its library loaded: it still works after the registry is gone.
TEST(PluginRegistry, AnInstanceOutlivesItsRegistry) {
  std::unique_ptr<Instance<sdk::PartnerPlugin>> instance;
  {
    PluginRegistry registry;
    registry.loadAll({entry("echo", "fixture_echo.so")}, kFixtures);
    sdk::Errors errors;
    instance = registry.makePartner("echo", "demo-post", "partners.demo-post", sdk::Value(), errors);
    ASSERT_TRUE(errors.empty()) << sdk::formatErrors(errors);
  }
  auto encoded = instance->plugin->encode({sdk::Notification{"n1", "C1", "REF1", "accepted", "accepted", "", "", {}}});
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(encoded.value().body, "n1 REF1 accepted\n");
}

// ---------------------------------------------------------------- availability (PartnerPlugin::availability)

std::unique_ptr<Instance<sdk::PartnerPlugin>> partnerOf(PluginRegistry& registry, const std::string& name,
                                                        const std::string& library) {
  registry.loadAll({entry(name, library)}, kFixtures);
  sdk::Errors errors;
  auto instance = registry.makePartner(name, "demo-post", "partners.demo-post", sdk::Value(), errors);
  EXPECT_TRUE(errors.empty()) << sdk::formatErrors(errors);
  return instance;
}

TEST(PluginRegistry, AFormatSwitchedOffIsReportedWithItsReason) {
  PluginRegistry registry;
  auto instance = partnerOf(registry, "off", "fixture_off.so");
  ASSERT_NE(instance, nullptr);
  const sdk::Availability availability = availabilityOf(*instance);
  // Only the plugin's own content types: it cannot switch off what it never read.
  EXPECT_EQ(availability.unavailable_types, std::vector<std::string>{"text/x-echo"});
  EXPECT_EQ(availability.reason, "echo is off: no echo chamber installed");
}

TEST(PluginRegistry, AFormatSwitchedOffWithoutAReasonGetsOne) {
  PluginRegistry registry;
  auto instance = partnerOf(registry, "off_silent", "fixture_off_silent.so");
  ASSERT_NE(instance, nullptr);
  const sdk::Availability availability = availabilityOf(*instance);
  EXPECT_EQ(availability.unavailable_types, std::vector<std::string>{"text/x-echo"});
  EXPECT_EQ(availability.reason, "plugin 'off_silent' cannot read some of its formats now and gives no reason");
}

TEST(PluginRegistry, APluginOfAnOlderMinorIsNeverAskedForItsAvailability) {
  ASSERT_GE(sdk::kAbiMinor, kAvailabilityAbiMinor);
  PluginRegistry registry;
  auto instance = partnerOf(registry, "off_older", "fixture_off_older.so");
  ASSERT_NE(instance, nullptr);
  ASSERT_EQ(instance->source->descriptor->abi_minor, kAvailabilityAbiMinor - 1);
  // This fixture has the entry (it was compiled with today's headers); a real library of the older
  // minor has none, so the hub must not call it: everything counts as available.
  ASSERT_FALSE(instance->plugin->availability().unavailable_types.empty());
  const sdk::Availability availability = availabilityOf(*instance);
  EXPECT_TRUE(availability.unavailable_types.empty());
  EXPECT_EQ(availability.reason, "");
}

// SDK 3.3 is a minor addition: a plugin built for 3.2 loads, and what its decoder yields reads as
// it did (the layout of the pieces is tests/unit/sdk/abi_guard_test.cpp's).
TEST(PluginRegistry, APluginOfSdk32LoadsAndItsFilingsRead) {
  PluginRegistry registry;
  auto instance = partnerOf(registry, "echo_32", "fixture_echo_32.so");
  ASSERT_NE(instance, nullptr);
  ASSERT_EQ(instance->source->descriptor->abi_minor, 2u);
  struct Source : sdk::ByteSource {
    std::string text = "REF-1 851830 45.00\n";
    std::size_t at = 0;
    std::size_t read(char* buffer, std::size_t size) override {
      const std::size_t n = std::min(size, text.size() - at);
      text.copy(buffer, n, at);
      at += n;
      return n;
    }
  } source;
  const sdk::MessageContext context{"demo-post", "text/x-echo", {}, "2026-11-29T08:00:00.000Z"};
  auto decoder = instance->plugin->open(context, source);
  ASSERT_NE(decoder, nullptr);
  auto piece = decoder->next();
  ASSERT_TRUE(piece);
  ASSERT_TRUE(std::holds_alternative<sdk::DecodedFiling>(*piece));
  EXPECT_EQ(std::get<sdk::DecodedFiling>(*piece).consignment.reference, "REF-1");
}

TEST(PluginRegistry, AnOrdinaryPluginIsAvailable) {
  PluginRegistry registry;
  auto instance = partnerOf(registry, "echo", "fixture_echo.so");
  ASSERT_NE(instance, nullptr);
  const sdk::Availability availability = availabilityOf(*instance);
  EXPECT_TRUE(availability.unavailable_types.empty());
  EXPECT_EQ(availability.reason, "");
}

// ---------------------------------------------------------------- the faulty fixture (faulty.cpp)

// It works normally until a call names a fault: here only its harmless words, the rest are proven
// through a real hub (a segfault here would end this test program).
TEST(PluginRegistry, TheFaultyFixturesWorkUntilAskedToMisbehave) {
  PluginRegistry registry;
  registry.loadAll({entry("faulty_partner", "fixture_faulty_partner.so"),
                    entry("faulty_agency", "fixture_faulty_agency.so"),
                    entry("faulty_adapter", "fixture_faulty_adapter.so")},
                   kFixtures);
  sdk::Errors errors;
  auto partner = registry.makePartner("faulty_partner", "p", "partners.p", sdk::Value(), errors);
  auto agency = registry.makeAgency("faulty_agency", "a", "agencies.a", sdk::Value(), errors);
  auto adapter = registry.makeAdapter("faulty_adapter", "p", "partners.p.push", sdk::Value(), errors);
  ASSERT_TRUE(errors.empty()) << sdk::formatErrors(errors);

  struct Text : sdk::ByteSource {
    std::string text;
    std::size_t at = 0;
    std::size_t read(char* buffer, std::size_t size) override {
      const std::size_t n = std::min(size, text.size() - at);
      text.copy(buffer, n, at);
      at += n;
      return n;
    }
  } input;
  input.text = "REF-1 851830 12.50\nFAULT-GARBAGE-2 851830 1\n";
  sdk::MessageContext context{"p", "text/x-faulty", {}, "2026-12-06T10:00:00.000Z"};
  auto decoder = partner->plugin->open(context, input);
  auto first = decoder->next();
  ASSERT_TRUE(first && std::holds_alternative<sdk::DecodedFiling>(*first));
  EXPECT_EQ(std::get<sdk::DecodedFiling>(*first).consignment.reference, "REF-1");
  auto second = decoder->next();
  ASSERT_TRUE(second && std::holds_alternative<sdk::DecodedFiling>(*second));
  EXPECT_EQ(std::get<sdk::DecodedFiling>(*second).consignment.reference, "") << "garbage: an empty consignment";
  EXPECT_FALSE(decoder->next().has_value());

  sdk::AssessmentRequest request;
  request.consignment.reference = "REF-1";
  EXPECT_EQ(agency->plugin->assess(request).value().decisions.at(0).decision, "clear");
  request.consignment.reference = "FAULT-GARBAGE";
  EXPECT_EQ(agency->plugin->assess(request).value().decisions.at(0).decision, "maybe");

  EXPECT_EQ(adapter->plugin->deliver({"d1", "notification", "p", "text/plain", "REF-1", 1}).status,
            sdk::DeliveryOutcome::Status::Delivered);
}

}  // namespace
}  // namespace swhub::plugin
