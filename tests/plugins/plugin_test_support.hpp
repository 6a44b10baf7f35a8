#pragma once
// What the plugin tests share: a built plugin library loaded as the hub loads it, instances built
// as the hub builds them, messages fed to a decoder through a ByteSource, small edits of a message
// and a harness that races threads through one instance. Header only, so that every plugin test
// program uses it without a source of its own in tests/plugins/CMakeLists.txt.

#include <gtest/gtest.h>

#include <boost/dll/shared_library.hpp>

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <latch>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "swhub/sdk/plugin.hpp"

namespace swhub::sdk {
// gtest prints a mismatched error as its text ("path: message") rather than its bytes. Defined
// here once, so that every test program of a plugin prints errors the same way.
inline void PrintTo(const Error& error, std::ostream* out) { *out << formatError(error); }
}  // namespace swhub::sdk

namespace swhub::testing {

// ---------------------------------------------------------------- loading

// A built plugin library, SWHUB_PLUGIN_DIR/swhub_<name>.so, loaded as the hub loads it: through
// its exported entry. What the descriptor's factories make must be destroyed before this is.
class PluginLibrary {
 public:
  // Throws (boost::system::system_error) when the library or its entry cannot be loaded.
  explicit PluginLibrary(const std::string& name)
      : library_(std::string(SWHUB_PLUGIN_DIR) + "/swhub_" + name + ".so"),
        descriptor_(library_.get_alias<sdk::EntryFunction>(sdk::kEntrySymbol)()) {}

  const sdk::Descriptor& descriptor() const { return *descriptor_; }

 private:
  boost::dll::shared_library library_;
  const sdk::Descriptor* descriptor_;
};

// A fixture that loads swhub_<library>.so before each test; descriptor_ is the library's.
class PluginTest : public ::testing::Test {
 protected:
  explicit PluginTest(std::string library) : libraryName_(std::move(library)) {}

  void SetUp() override {
    library_.emplace(libraryName_);
    descriptor_ = &library_->descriptor();
  }

  const sdk::Descriptor* descriptor_ = nullptr;

 private:
  std::string libraryName_;
  std::optional<PluginLibrary> library_;
};

// ---------------------------------------------------------------- instances

// Where the hub's configuration holds a partner's settings, as the factory's errors name it.
inline std::string partnerSettingsPath(const std::string& partner) { return "partners." + partner + ".settings"; }

// An instance for the partner `partner`, built as the hub builds it. The settings are not
// validated against the schema first: what the factory itself refuses is under test too. No
// config folder: the tests' settings name no relative path.
inline sdk::Result<std::unique_ptr<sdk::PartnerPlugin>> buildPartner(const sdk::Descriptor& descriptor,
                                                                     const std::string& partner, sdk::Value settings) {
  return descriptor.partner_factory(
      sdk::InstanceContext{partner, partnerSettingsPath(partner), std::move(settings), /*config_dir=*/""});
}

// The instance a factory made; when it made none, a test failure naming its errors and nullptr.
template <class Plugin>
std::unique_ptr<Plugin> made(sdk::Result<std::unique_ptr<Plugin>> result) {
  EXPECT_TRUE(result) << sdk::formatErrors(result.errors());
  return result ? result.take() : nullptr;
}

// ---------------------------------------------------------------- messages

// When the hub received every message of the tests (MessageContext::received_at).
inline constexpr const char* kReceivedAt = "2026-11-28T08:00:00.000Z";

// A message held in memory, handed to the decoder in the sizes it asks for.
class StringSource : public sdk::ByteSource {
 public:
  explicit StringSource(std::string text) : text_(std::move(text)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    const std::size_t n = std::min(size, text_.size() - pos_);
    std::memcpy(buffer, text_.data() + pos_, n);
    pos_ += n;
    return n;
  }
  // How many bytes the decoder has pulled so far.
  std::size_t consumed() const { return pos_; }

 private:
  std::string text_;
  std::size_t pos_ = 0;
};

// Every piece the decoder yields for `input`, in order. When open() gives no decoder: a test
// failure and nothing.
inline std::vector<sdk::Decoded> decodeAll(const sdk::PartnerPlugin& plugin, const sdk::MessageContext& context,
                                           sdk::ByteSource& input) {
  auto decoder = plugin.open(context, input);
  if (!decoder) {
    ADD_FAILURE() << "open() failed for " << context.content_type;
    return {};
  }
  std::vector<sdk::Decoded> out;
  while (auto next = decoder->next()) out.push_back(std::move(*next));
  return out;
}

inline std::vector<sdk::Decoded> decodeAll(const sdk::PartnerPlugin& plugin, const sdk::MessageContext& context,
                                           const std::string& body) {
  StringSource source(body);
  return decodeAll(plugin, context, source);
}

// The errors of a message that must be refused, which must be all it yields.
inline sdk::Errors refused(const std::vector<sdk::Decoded>& out) {
  EXPECT_EQ(out.size(), 1u);
  if (out.size() != 1 || !std::holds_alternative<sdk::Errors>(out[0])) {
    ADD_FAILURE() << "expected errors and nothing else";
    return {};
  }
  return std::get<sdk::Errors>(out[0]);
}

// ---------------------------------------------------------------- editing and reading messages

// `text` with the n-th (1-based) occurrence of `from` replaced by `to`; a test failure when there
// is none.
inline std::string replaced(std::string text, const std::string& from, const std::string& to, int nth = 1) {
  std::size_t at = std::string::npos;
  for (int i = 0; i < nth; ++i) at = text.find(from, at == std::string::npos ? 0 : at + 1);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// " (line L, column C)" just after the n-th (1-based) occurrence of `needle`: where xerces is when
// it has read a start tag, so where errors about that element's content are reported.
inline std::string after(const std::string& text, const std::string& needle, int nth = 1) {
  std::size_t at = std::string::npos;
  for (int i = 0; i < nth; ++i) at = text.find(needle, at == std::string::npos ? 0 : at + 1);
  if (at == std::string::npos) return "<not found: " + needle + ">";
  const std::size_t end = at + needle.size();
  const std::size_t lineStart = text.rfind('\n', end - 1);
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
  const int column = static_cast<int>(end - (lineStart == std::string::npos ? 0 : lineStart + 1)) + 1;
  return " (line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
}

// The bytes of a file; "" when it cannot be read.
inline std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// ---------------------------------------------------------------- sample files

// A sample document of a partner format and the verdict expected of it. The same files are checked
// against the format's published JSON Schema (tests/schemas), so plugin and schema cannot drift.
struct Sample {
  std::filesystem::path file;
  bool valid;
};

// tests/samples/<plugin>/<document>-valid-*.json and <document>-invalid-*.json, sorted by name; a
// test failure when either kind is missing.
inline std::vector<Sample> samples(const std::string& plugin, const std::string& document) {
  std::vector<Sample> out;
  const std::filesystem::path folder = std::filesystem::path(SWHUB_SOURCE_ROOT) / "tests" / "samples" / plugin;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(folder, error)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json") continue;
    if (name.starts_with(document + "-valid-")) out.push_back({entry.path(), true});
    if (name.starts_with(document + "-invalid-")) out.push_back({entry.path(), false});
  }
  std::sort(out.begin(), out.end(), [](const Sample& a, const Sample& b) { return a.file < b.file; });
  EXPECT_TRUE(std::any_of(out.begin(), out.end(), [](const Sample& s) { return s.valid; }))
      << "no " << document << "-valid-*.json in " << folder;
  EXPECT_TRUE(std::any_of(out.begin(), out.end(), [](const Sample& s) { return !s.valid; }))
      << "no " << document << "-invalid-*.json in " << folder;
  return out;
}

// "" when the decoder judged `sample` as expected: a valid one yields pieces and no errors, an
// invalid one yields errors (a batch may yield its good pieces beside them). Else what went wrong.
inline std::string misjudged(const Sample& sample, const std::vector<sdk::Decoded>& out) {
  std::string errors;
  for (const sdk::Decoded& decoded : out)
    if (const auto* e = std::get_if<sdk::Errors>(&decoded)) errors += "\n  " + sdk::formatErrors(*e);
  const std::string name = sample.file.filename().string();
  if (sample.valid && out.empty()) return name + ": expected valid, but nothing was decoded";
  if (sample.valid && !errors.empty()) return name + ": expected valid, but refused:" + errors;
  if (!sample.valid && errors.empty()) return name + ": expected invalid, but decoded without an error";
  return "";
}

// ---------------------------------------------------------------- concurrency

// One line per decoded piece, what a concurrency test compares exactly: "filing <location>
// <reference> <itemsWord>=<number of items>", "errors | <path>: <message> | ...", "facts <type>
// completes <n>" (SDK 3.3 DeclarationFacts), or "event".
// `itemsWord` is how the format calls a consignment's items ("lines" of a postal item, "items").
inline std::string summary(const sdk::Decoded& decoded, const std::string& itemsWord) {
  if (const auto* f = std::get_if<sdk::DecodedFiling>(&decoded))
    return "filing " + f->location + " " + f->consignment.reference + " " + itemsWord + "=" +
           std::to_string(f->consignment.items.size());
  if (const auto* f = std::get_if<sdk::DeclarationFacts>(&decoded))
    return "facts " + f->additional_type + " completes " + std::to_string(f->completes.size());
  if (const auto* e = std::get_if<sdk::Errors>(&decoded)) {
    std::string out = "errors";
    for (const auto& error : *e) out += " | " + sdk::formatError(error);
    return out;
  }
  return "event";
}

// summary() of each piece the decoder yields for `body`, in order.
inline std::vector<std::string> summaries(const sdk::PartnerPlugin& plugin, const sdk::MessageContext& context,
                                          const std::string& body, const std::string& itemsWord) {
  std::vector<std::string> out;
  for (const sdk::Decoded& decoded : decodeAll(plugin, context, body)) out.push_back(summary(decoded, itemsWord));
  return out;
}

// Each line on a line of its own, indented: a list that reads well in a failure message.
inline std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += "\n  " + line;
  return out;
}

// Runs step(thread, 0) ... step(thread, steps - 1) on each of `threads` threads, released together
// so that their first steps race, then expects every step done and nothing wrong. A step returns
// "" or what went wrong; the first of each thread is reported as "thread <t>, <what went wrong>".
inline void race(int threads, int steps, const std::function<std::string(int thread, int step)>& step) {
  std::latch start(threads);
  std::vector<std::string> mismatches(threads);
  std::vector<int> done(threads, 0);
  std::vector<std::thread> running;
  for (int t = 0; t < threads; ++t)
    running.emplace_back([&, t] {
      start.arrive_and_wait();
      for (int i = 0; i < steps; ++i) {
        const std::string wrong = step(t, i);
        if (!wrong.empty() && mismatches[t].empty()) mismatches[t] = "thread " + std::to_string(t) + ", " + wrong;
        ++done[t];
      }
    });
  for (auto& thread : running) thread.join();
  for (int t = 0; t < threads; ++t) {
    EXPECT_EQ(mismatches[t], "");
    EXPECT_EQ(done[t], steps);
  }
}

}  // namespace swhub::testing
