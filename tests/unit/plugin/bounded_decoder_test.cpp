// A partner's decoder under its timeout, in process (bounded_decoder.hpp), without a hub: every
// piece comes through in order however many there are, a decoder that does not answer in time
// leaves its reader with one TimedOut failure and then the end, its thread counted stuck until it
// returns; every thread's worth stuck makes the plugin Busy at once; an abandoned decoder never
// reads its caller's input again, and a reader that stops early lets the thread end.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "gate.hpp"
#include "plugin/bounded_plugins.hpp"
#include "plugin/plugin_failure.hpp"

namespace swhub::plugin {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::Gate;

// The caller's input: a text, read a line at a time; it counts reads made after the caller said
// it was done with it.
class Input : public sdk::ByteSource {
 public:
  explicit Input(std::string text) : text_(std::move(text)) {}
  std::size_t read(char* buffer, std::size_t size) override {
    if (done_) ++readsAfterDone_;
    const std::size_t end = text_.find('\n', at_);
    const std::size_t n = std::min(size, (end == std::string::npos ? text_.size() : end + 1) - at_);
    text_.copy(buffer, n, at_);
    at_ += n;
    return n;
  }
  void done() { done_ = true; }
  int readsAfterDone() const { return readsAfterDone_; }

 private:
  std::string text_;
  std::size_t at_ = 0;
  std::atomic<bool> done_{false};
  std::atomic<int> readsAfterDone_{0};
};

struct Live {
  std::atomic<int> decoders{0};
};

// One filing per line, the line its reference, read lazily: "WAIT" waits at the gate before
// answering, "ERROR" is an error of the input, "OPEN-WAIT" as the first byte source's line makes
// open() wait; an empty input has no decoder.
class LineDecoder : public sdk::Decoder {
 public:
  LineDecoder(sdk::ByteSource& in, Gate& gate, Live& live) : in_(in), gate_(gate), live_(live) { ++live_.decoders; }
  ~LineDecoder() override { --live_.decoders; }
  std::optional<sdk::Decoded> next() noexcept override {
    std::string line;
    char buffer[256];
    for (std::size_t n; (n = in_.read(buffer, sizeof buffer)) > 0;) {
      line.append(buffer, n);
      if (line.back() == '\n') break;
    }
    if (line.empty()) return std::nullopt;
    line.pop_back();
    if (line == "WAIT") gate_.wait();
    if (line == "ERROR") return sdk::Decoded{sdk::Errors{{"line", "refused"}}};
    sdk::Consignment c;
    c.reference = line;
    // Built in place: GCC 12 warns (wrongly) that a moved temporary variant may be uninitialised.
    return std::optional<sdk::Decoded>(std::in_place, std::in_place_type<sdk::DecodedFiling>, std::move(c),
                                       "line " + line);
  }

 private:
  sdk::ByteSource& in_;
  Gate& gate_;
  Live& live_;
};

class LinePartner : public sdk::PartnerPlugin {
 public:
  LinePartner(Gate& gate, Live& live) : gate_(gate), live_(live) {}
  std::vector<std::string> contentTypes() const override { return {"text/plain"}; }
  std::unique_ptr<sdk::Decoder> open(const sdk::MessageContext& context, sdk::ByteSource& input) const noexcept override {
    if (context.content_type == "text/x-none") return nullptr;
    if (context.content_type == "text/x-open-wait") gate_.wait();
    return std::make_unique<LineDecoder>(input, gate_, live_);
  }
  sdk::Result<sdk::EncodedMessage> encode(const std::vector<sdk::Notification>&) const noexcept override {
    return sdk::EncodedMessage{"text/plain", ""};
  }

 private:
  Gate& gate_;
  Live& live_;
};

class BoundedDecoders : public ::testing::Test {
 protected:
  void SetUp() override {
    auto source = std::make_shared<LoadedPlugin>();
    source->name = "lines";
    partner_.id = "lines";
    partner_.source = source;
    partner_.plugin = std::make_unique<LinePartner>(gate_, live_);
    bound(partner_, {100ms, 2}, bulkheads_);
  }
  void TearDown() override {
    gate_.open();  // stuck decoders return, so nothing of this test outlives it
    EXPECT_TRUE(eventually([&] { return stuck() == 0 && live_.decoders == 0; }));
  }

  std::unique_ptr<sdk::Decoder> open(Input& input, const std::string& type = "text/plain") {
    return partner_.plugin->open(sdk::MessageContext{"demo", type, {}, "2026-12-06T12:00:00.000Z"}, input);
  }
  int stuck() { return bulkheads_.stuckByPlugin().at("lines"); }

  // The references decoded, "!" + path for an error, "FAILED: " + message for a plugin failure.
  static std::vector<std::string> drain(sdk::Decoder& decoder) {
    std::vector<std::string> seen;
    while (auto piece = decoder.next()) {
      if (auto* f = std::get_if<sdk::DecodedFiling>(&*piece)) seen.push_back(f->consignment.reference);
      if (auto* e = std::get_if<sdk::Errors>(&*piece)) {
        seen.push_back(isPluginFailure(*e) ? "FAILED: " + e->front().message : "!" + e->front().path);
      }
    }
    return seen;
  }

  Gate gate_;
  Live live_;
  CallBulkheads bulkheads_;
  Instance<sdk::PartnerPlugin> partner_;
};

TEST_F(BoundedDecoders, EveryPieceComesThroughInOrderFarBeyondWhatIsDecodedAhead) {
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 1000; ++i) {
    const std::string reference = i == 500 ? "ERROR" : "R-" + std::to_string(i);
    text += reference + "\n";
    expected.push_back(i == 500 ? "!line" : reference);
  }
  Input input(text);
  auto decoder = open(input);
  ASSERT_NE(decoder, nullptr);
  EXPECT_EQ(drain(*decoder), expected);
  EXPECT_EQ(stuck(), 0);
}

TEST_F(BoundedDecoders, ANextThatDoesNotAnswerInTimeFailsOnceThenEndsAndItsThreadIsStuckUntilItReturns) {
  Input input("R-1\nWAIT\nR-3\n");
  auto decoder = open(input);
  ASSERT_NE(decoder, nullptr);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(drain(*decoder), (std::vector<std::string>{
                                 "R-1", "FAILED: plugin 'lines' did not answer in time during decode: no answer within 100 ms"}));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
  EXPECT_EQ(stuck(), 1);
  decoder.reset();
  input.done();  // the caller's input is gone: the abandoned decoder must never read it again
  gate_.open();
  ASSERT_TRUE(eventually([&] { return stuck() == 0 && live_.decoders == 0; }));
  EXPECT_EQ(input.readsAfterDone(), 0);
}

TEST_F(BoundedDecoders, AnOpenThatDoesNotAnswerInTimeFailsAtTheTimeout) {
  Input input("R-1\n");
  auto decoder = open(input, "text/x-open-wait");
  ASSERT_NE(decoder, nullptr);
  EXPECT_EQ(drain(*decoder), (std::vector<std::string>{
                                 "FAILED: plugin 'lines' did not answer in time during decode: no answer within 100 ms"}));
  EXPECT_EQ(stuck(), 1);
}

TEST_F(BoundedDecoders, WhenEveryThreadsWorthIsStuckAMessageIsRefusedAtOnceAsBusy) {
  Input first("WAIT\n"), second("WAIT\n"), third("R-1\n");
  auto a = open(first);
  auto b = open(second);
  drain(*a);
  drain(*b);
  ASSERT_EQ(stuck(), 2);
  const auto started = std::chrono::steady_clock::now();
  auto c = open(third);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(drain(*c), (std::vector<std::string>{"FAILED: plugin 'lines' is busy with calls that did not return during "
                                                 "decode: all 2 of its call threads are held by calls that did not "
                                                 "return"}));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 50ms);

  // Once they return, the plugin decodes again.
  gate_.open();
  ASSERT_TRUE(eventually([&] { return stuck() == 0; }));
  Input fourth("R-2\n");
  auto d = open(fourth);
  EXPECT_EQ(drain(*d), (std::vector<std::string>{"R-2"}));
}

TEST_F(BoundedDecoders, AReaderThatStopsEarlyLetsTheDecodingThreadEndWithoutCountingItStuck) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "R-" + std::to_string(i) + "\n";
  Input input(text);
  auto decoder = open(input);
  ASSERT_TRUE(decoder->next());
  decoder.reset();
  input.done();
  ASSERT_TRUE(eventually([&] { return live_.decoders == 0; }));
  EXPECT_EQ(input.readsAfterDone(), 0);
  EXPECT_EQ(stuck(), 0);
}

TEST_F(BoundedDecoders, APluginThatOpensNothingGivesNoDecoder) {
  Input input("R-1\n");
  EXPECT_EQ(open(input, "text/x-none"), nullptr);
}

}  // namespace
}  // namespace swhub::plugin
