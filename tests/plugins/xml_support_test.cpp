// The XML support library of the xerces-c partner plugins (plugins/support/xml): UTF-16 <-> UTF-8
// without xerces, and the grammar pools without a bound (upu_post's use; wco_dec's bounded use is
// tested in wco_dec_grammar_cache_test.cpp).

#include <gtest/gtest.h>

#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/util/PlatformUtils.hpp>
#include <xercesc/util/TransService.hpp>

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "xml/grammar_pools.hpp"
#include "xml/parsing.hpp"
#include "xml/utf.hpp"
#include "xml/xerces_runtime.hpp"

namespace xml = swhub::plugins::xml;
using namespace std::string_literals;

namespace {

const std::string kFffd = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// Bytes as "41 C3 A9", so that a failure shows what came out.
std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (!out.empty()) out += ' ';
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
  }
  return out;
}

std::string hex(std::u16string_view units) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (const char16_t u : units) {
    if (!out.empty()) out += ' ';
    for (int shift = 12; shift >= 0; shift -= 4) out += kDigits[(u >> shift) & 0xF];
  }
  return out;
}

struct RoundTrip {
  const char* name;
  std::string utf8;
  std::u16string utf16;
};

const std::vector<RoundTrip>& roundTrips() {
  static const std::vector<RoundTrip> all = {
      {"empty", "", u""},
      {"ascii", "RR123456785CH <postal item>", u"RR123456785CH <postal item>"},
      {"latin1", "Z\xC3\xBCrich caf\xC3\xA9 \xC2\xA3" "5", u"Z\u00FCrich caf\u00E9 \u00A35"},
      {"cjk", "\xE6\x9D\xB1\xE4\xBA\xAC\xE9\x83\xBD", u"\u6771\u4EAC\u90FD"},  // 東京都
      {"emoji", "\xF0\x9F\x93\xA6", u"\xD83D\xDCE6"},                           // U+1F4E6 package
      {"mixed", "a\xC3\xA9\xE6\x9D\xB1\xF0\x9F\x93\xA6z", u"a\u00E9\u6771\xD83D\xDCE6z"},
      {"edges", "\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF",
       u"\u007F\u0080\u07FF\u0800\uFFFF\xD800\xDC00\xDBFF\xDFFF"},  // every length's first and last
      {"nul inside", "a\0b"s, u"a\0b"s},
  };
  return all;
}

}  // namespace

TEST(xmlSupportUtf, WellFormedTextRoundTrips) {
  for (const RoundTrip& t : roundTrips()) {
    SCOPED_TRACE(t.name);
    EXPECT_EQ(hex(xml::toUtf8(t.utf16)), hex(t.utf8));
    EXPECT_EQ(hex(xml::toXml(t.utf8)), hex(t.utf16));
    EXPECT_EQ(xml::toUtf8(xml::toXml(t.utf8)), t.utf8);
  }
}

TEST(xmlSupportUtf, AgreesWithTheXercesTranscoderOnWellFormedText) {
  xml::XercesRuntime runtime;
  for (const RoundTrip& t : roundTrips()) {
    if (t.utf16.empty() || t.utf16.find(u'\0') != std::u16string::npos) continue;  // xerces stops at a zero
    SCOPED_TRACE(t.name);
    xercesc::TranscodeToStr utf8(t.utf16.c_str(), t.utf16.size(), "UTF-8");
    EXPECT_EQ(hex(xml::toUtf8(t.utf16)), hex(std::string_view(reinterpret_cast<const char*>(utf8.str()), utf8.length())));
    xercesc::TranscodeFromStr utf16(reinterpret_cast<const XMLByte*>(t.utf8.data()), t.utf8.size(), "UTF-8");
    EXPECT_EQ(hex(xml::toXml(t.utf8)), hex(std::u16string_view(utf16.str(), utf16.length())));
  }
}

TEST(xmlSupportUtf, XercesStringsStopAtTheirZeroUnlessALengthIsGiven) {
  const XMLCh text[] = u"ab\0cd";
  EXPECT_EQ(xml::toUtf8(text), "ab");
  EXPECT_EQ(xml::toUtf8(text, 5), "ab\0cd"s);
  EXPECT_EQ(xml::toUtf8(text + 3, 1), "c");
  EXPECT_EQ(xml::toUtf8(static_cast<const XMLCh*>(nullptr)), "");
  EXPECT_EQ(xml::toUtf8(static_cast<const XMLCh*>(nullptr), 3), "");
}

TEST(xmlSupportUtf, AppendKeepsWhatIsThere) {
  std::string out = "caf";
  xml::appendUtf8(out, u"\u00E9 ");
  xml::appendUtf8(out, u"\xD83D\xDCE6");
  EXPECT_EQ(hex(out), hex("caf\xC3\xA9 \xF0\x9F\x93\xA6"));
}

TEST(xmlSupportUtf, EachUnpairedSurrogateBecomesOneReplacementCharacter) {
  EXPECT_EQ(hex(xml::toUtf8(u"a\xD83D")), hex("a" + kFffd));             // high at the end
  EXPECT_EQ(hex(xml::toUtf8(u"\xD83Dz")), hex(kFffd + "z"));              // high, then no low
  EXPECT_EQ(hex(xml::toUtf8(u"\xD83D\xD83D\xDCE6")),                     // high, then a pair
            hex(kFffd + "\xF0\x9F\x93\xA6"));
  EXPECT_EQ(hex(xml::toUtf8(u"\xDCE6")), hex(kFffd));                     // low alone
  EXPECT_EQ(hex(xml::toUtf8(u"\xDCE6\xD83D")), hex(kFffd + kFffd));       // the wrong way round
  EXPECT_EQ(hex(xml::toUtf8(u"x\xDFFF\xDBFFy")), hex("x" + kFffd + kFffd + "y"));
}

TEST(xmlSupportUtf, EachMaximalIllFormedUtf8SubpartBecomesOneReplacementCharacter) {
  const std::u16string r = u"\uFFFD";
  struct Case {
    const char* name;
    std::string bytes;
    std::u16string expected;
  };
  const std::vector<Case> cases = {
      {"stray continuation", "a\x80z", u"a" + r + u"z"},
      {"two stray continuations", "\x80\xBF", r + r},
      {"C0 and C1 are never lead bytes", "\xC0\xAF\xC1\xBF", r + r + r + r},
      {"F5..FF are never lead bytes", "\xF5\x80\xFF", r + r + r},
      {"overlong three bytes", "\xE0\x80\xAF", r + r + r},
      {"overlong four bytes", "\xF0\x8F\xBF\xBF", r + r + r + r},
      {"encoded surrogate", "\xED\xA0\x80", r + r + r},
      {"above U+10FFFF", "\xF4\x90\x80\x80", r + r + r + r},
      {"two-byte cut short by the end", "a\xC3", u"a" + r},
      {"three-byte cut short by the end", "\xE6\x9D", r},
      {"four-byte cut short by the end", "\xF0\x9F\x93", r},
      {"cut short by ASCII", "\xF0\x9F\x93z", r + u"z"},
      {"cut short by another lead byte", "\xE6\x9D\xC3\xA9", r + u"\u00E9"},
      {"five-byte form", "\xF8\x88\x80\x80\x80", r + r + r + r + r},
      {"valid after invalid", "\xFF\xF0\x9F\x93\xA6", r + u"\xD83D\xDCE6"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(hex(xml::toXml(c.bytes)), hex(c.expected));
  }
}

TEST(xmlSupportUtf, IllFormedInputComesBackAsReplacementCharactersInUtf8) {
  EXPECT_EQ(hex(xml::toUtf8(xml::toXml("caf\xE9"))), hex("caf" + kFffd));  // Latin-1 byte, not UTF-8
  EXPECT_EQ(hex(xml::toXml(xml::toUtf8(u"\xD800"))), hex(u"\uFFFD"));
}

TEST(xmlSupportParsing, TrimRemovesXmlWhiteSpaceOnly) {
  EXPECT_EQ(xml::trim(" \t\r\n GB \n"), "GB");
  EXPECT_EQ(xml::trim(" \t\r\n"), "");
  EXPECT_EQ(xml::trim("\u00A0GB"), "\u00A0GB");  // no-break space is not XML white space
}

TEST(xmlSupportParsing, ValidationMessageDropsTheDatatypePrefix) {
  EXPECT_EQ(xml::validationMessage("datatype error: Type:InvalidDatatypeFacetException, Message:Value 'x' is bad "),
            "Value 'x' is bad");
  EXPECT_EQ(xml::validationMessage(" element 'x' is not allowed\n"), "element 'x' is not allowed");
  EXPECT_EQ(xml::validationMessage("no datatype error: Message:kept"), "no datatype error: Message:kept");
}

namespace {

std::unique_ptr<xercesc::XMLGrammarPool> newPool() {
  return std::make_unique<xercesc::XMLGrammarPoolImpl>(xercesc::XMLPlatformUtils::fgMemoryManager);
}

}  // namespace

// upu_post: a decoder holds its copy across calls and one thread may hold several; with no bound
// a lease never waits, it compiles another copy.
TEST(xmlSupportGrammarPools, UnboundedLeasesNeverWaitOnOneThread) {
  xml::XercesRuntime runtime;
  std::atomic<int> compiled{0};
  xml::GrammarPools pools(newPool(), [&] { ++compiled; return newPool(); }, xml::GrammarPools::kUnbounded);
  std::vector<xml::GrammarPools::Lease> held;
  for (int i = 0; i < 5; ++i) held.push_back(pools.lease());
  EXPECT_EQ(compiled.load(), 4);
  for (std::size_t i = 1; i < held.size(); ++i) EXPECT_NE(held[i].pool(), held[0].pool());
  held.clear();  // all five are kept for later leases
  for (int i = 0; i < 5; ++i) held.push_back(pools.lease());
  EXPECT_EQ(compiled.load(), 4);
}

TEST(xmlSupportGrammarPools, AFailedCompilationFreesItsPlaceUnderTheBound) {
  xml::XercesRuntime runtime;
  bool fail = true;
  xml::GrammarPools pools(newPool(), [&]() -> std::unique_ptr<xercesc::XMLGrammarPool> {
    if (fail) throw std::runtime_error("cannot compile");
    return newPool();
  }, 2);
  std::optional<xml::GrammarPools::Lease> first(pools.lease());
  EXPECT_THROW(pools.lease(), std::runtime_error);
  fail = false;
  xml::GrammarPools::Lease second = pools.lease();  // the place is free again: no wait
  EXPECT_NE(second.pool(), first->pool());
}
