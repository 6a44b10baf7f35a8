// Many threads decode through one upu_post instance at once, from the instance's very first
// message on: valid messages, messages with item errors, schema errors, content-model errors
// and broken XML. Each thread checks every result exactly (locations, references, line counts,
// error texts). A fresh instance per round makes its first decodes race each other again.

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "plugin_test_support.hpp"
#include "s10.hpp"
#include "swhub/sdk/plugin.hpp"

using namespace swhub::sdk;
using namespace swhub::testing;
namespace upu = swhub::plugins::upu_post;

namespace {

constexpr const char* kType = "application/vnd.swhub.upu-post+xml";
constexpr int kThreads = 6;
constexpr int kRounds = 8;              // fresh instances per test
constexpr int kMessagesPerThread = 14;  // every case twice per thread and round

// "RR" + 8 digits + S10 check digit + "CH": a valid item id, distinct per serial.
std::string itemId(int serial) {
  char digits[9];
  std::snprintf(digits, sizeof digits, "%08d", serial);
  return "RR" + std::string(digits) + std::to_string(*upu::s10CheckDigit(digits)) + "CH";
}

std::string item(int serial, int lines) {
  std::string xml = "  <item>\n    <itemId>" + itemId(serial) +
                    "</itemId>\n"
                    "    <category>sale-of-goods</category>\n"
                    "    <currency>CHF</currency>\n"
                    "    <sender><name>Uhren AG</name><country>CH</country></sender>\n"
                    "    <addressee><name>Ana Silva</name><city>Lisboa</city><country>PT</country></addressee>\n";
  for (int line = 1; line <= lines; ++line)
    xml += "    <content>\n      <description>Watch strap " + std::to_string(line) +
           "</description>\n"
           "      <quantity>1</quantity>\n"
           "      <netWeight>0.08</netWeight>\n"
           "      <value>10.00</value>\n"
           "      <hsCode>911390</hsCode>\n"
           "      <originCountry>CH</originCountry>\n"
           "    </content>\n";
  return xml + "  </item>\n";
}

// A message of one item per entry of `lines` (that many content lines each), serials from `first`.
std::string message(int first, const std::vector<int>& lines) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<postalItems xmlns=\"urn:swhub:partner:upu-post:1\">\n";
  for (std::size_t i = 0; i < lines.size(); ++i) xml += item(first + static_cast<int>(i), lines[i]);
  return xml + "</postalItems>\n";
}

// What a thread compares: summary() of each decoded piece. A postal item's content lines are the
// items of its consignment: "lines=N".
constexpr const char* kItemsWord = "lines";

std::string filing(int index, int serial, int lines) {
  return "filing /postalItems/item[" + std::to_string(index) + "] " + itemId(serial) + " lines=" + std::to_string(lines);
}

std::string errors(const Errors& e) { return summary(Decoded(e), kItemsWord); }

struct Case {
  std::string body;
  std::vector<std::string> expected;
};

const std::string kItemModel =
    "'(itemId,category,currency,sender,addressee,content+,totalValue?,postage?,grossWeight?,licence?,certificate?,"
    "invoice?,ioss?,dispatchId?,receptacleId?,expectedArrival?)'";

// Valid and invalid messages; each fails (or not) in another part of the grammar or mapping.
std::vector<Case> cases() {
  std::vector<Case> out;
  out.push_back({message(1, {1}), {filing(1, 1, 1)}});
  out.push_back({message(10, {1, 2, 3}), {filing(1, 10, 1), filing(2, 11, 2), filing(3, 12, 3)}});
  out.push_back({message(20, {2, 1, 1, 4, 1}),
                 {filing(1, 20, 2), filing(2, 21, 1), filing(3, 22, 1), filing(4, 23, 4), filing(5, 24, 1)}});

  // The S10 check digit (mapping): only the second item is refused.
  const std::string wrongDigit = itemId(31).substr(0, 10) + (itemId(31)[10] == '9' ? "0" : "9") + "CH";
  std::string body = replaced(message(30, {1, 1, 2}), itemId(31), wrongDigit);
  out.push_back({body,
                 {filing(1, 30, 1),
                  errors({{"/postalItems/item[2]/itemId",
                           "'" + wrongDigit + "' has S10 check digit " + wrongDigit.substr(10, 1) + ", expected " +
                               itemId(31).substr(10, 1) + after(body, "<itemId>", 2)}}),
                  filing(3, 32, 2)}});

  // A pattern facet (datatype validator) of the first item's second line.
  body = replaced(message(40, {2, 1}), "<hsCode>911390</hsCode>", "<hsCode>1806</hsCode>", 2);
  out.push_back({body,
                 {errors({{"/postalItems/item[1]/content[2]/hsCode",
                           "value '1806' does not match regular expression facet '[0-9]{6,10}'" +
                               after(body, "<hsCode>1806</hsCode>")}}),
                  filing(2, 41, 1)}});

  // An element the item's content model does not allow (its formatted model is in the error).
  body = replaced(message(50, {1, 1}), "    </content>\n  </item>", "    </content>\n    <stamp>1</stamp>\n  </item>");
  out.push_back({body,
                 {errors({{"/postalItems/item[1]/stamp", "no declaration found for element 'stamp'" + after(body, "<stamp>")},
                          {"/postalItems/item[1]",
                           "element 'stamp' is not allowed for content model " + kItemModel + after(body, "</item>")}}),
                  filing(2, 51, 1)}});

  // Not well-formed inside the second item: the message stops there, the third is never read.
  body = replaced(message(60, {1, 1, 1}), "</quantity>", "</quantty>", 2);
  out.push_back({body,
                 {filing(1, 60, 1),
                  errors({{"/postalItems/item[2]/content[1]/quantity",
                           "expected end of tag 'quantity'" + after(body, "<quantity>1</", 2)}})}});
  return out;
}

class upuPostConcurrency : public PluginTest {
 protected:
  upuPostConcurrency() : PluginTest("upu_post") {}

  std::unique_ptr<PartnerPlugin> make() {
    Value settings = Value::map();
    settings.set("operator_name", Value::string("Swiss Post"));
    settings.set("operator_id", Value::string("CHA"));
    return made(buildPartner(*descriptor_, "demo-post", std::move(settings)));
  }

  static std::vector<std::string> decodeAll(const PartnerPlugin& plugin, const std::string& body) {
    return summaries(plugin, MessageContext{"demo-post", kType, {}, kReceivedAt}, body, kItemsWord);
  }
};

}  // namespace

// The expectations hold when one thread decodes: the concurrent test below compares against them.
TEST_F(upuPostConcurrency, CasesDecodeAsExpectedOnOneThread) {
  auto plugin = make();
  ASSERT_TRUE(plugin);
  for (const Case& c : cases()) EXPECT_EQ(joined(decodeAll(*plugin, c.body)), joined(c.expected));
}

TEST_F(upuPostConcurrency, ThreadsDecodeAtOnceFromTheFirstMessageOfAFreshInstance) {
  const std::vector<Case> all = cases();
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    auto plugin = make();
    ASSERT_TRUE(plugin);
    // The instance's first decodes start together.
    race(kThreads, kMessagesPerThread, [&](int t, int i) -> std::string {
      const Case& c = all[static_cast<std::size_t>(t + i) % all.size()];
      const auto got = decodeAll(*plugin, c.body);
      if (got == c.expected) return "";
      return "message " + std::to_string(i) + ": got" + joined(got) + "\nexpected" + joined(c.expected);
    });
  }
}

// The hub may keep a decoder open while it opens another (one thread, two messages): neither may
// wait for the other.
TEST_F(upuPostConcurrency, DecodersOpenAtOnceOnOneThreadInterleave) {
  auto plugin = make();
  ASSERT_TRUE(plugin);
  const std::vector<Case> all = cases();
  const MessageContext context{"demo-post", kType, {}, kReceivedAt};
  std::vector<std::unique_ptr<StringSource>> sources;
  std::vector<std::unique_ptr<Decoder>> decoders;
  for (const Case& c : all) {
    sources.push_back(std::make_unique<StringSource>(c.body));
    decoders.push_back(plugin->open(context, *sources.back()));
    ASSERT_TRUE(decoders.back());
  }
  std::vector<std::vector<std::string>> got(all.size());
  for (bool more = true; more;) {
    more = false;
    for (std::size_t i = 0; i < all.size(); ++i)
      if (auto next = decoders[i]->next()) {
        got[i].push_back(summary(*next, kItemsWord));
        more = true;
      }
  }
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(joined(got[i]), joined(all[i].expected)) << "message " << i;
}
