// The wco_dec grammar cache directly (schema_catalog.cpp and its helpers are compiled into this
// program): a parse under way holds its own copy of the grammar, and copies made after start are
// compiled from the files read at start, not from the schema folder.

#include <gtest/gtest.h>

#include <unistd.h>
#include <xercesc/framework/XMLGrammarPoolImpl.hpp>
#include <xercesc/util/PlatformUtils.hpp>

#include <atomic>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

#include "dms_reader.hpp"
#include "grammar_pools.hpp"
#include "corpus.hpp"
#include "plugin_test_support.hpp"
#include "schema_catalog.hpp"
#include "xml_support.hpp"

namespace fs = std::filesystem;
using swhub::testing::readFile;
namespace wco = swhub::plugins::wco_dec;

namespace {

const fs::path kCorpus = swhub::testing::dmsCorpus();
const wco::ExpectedRoot kMetaData{"urn:wco:datamodel:WCO:DocumentMetaData-DMS:2", "MetaData", "md:MetaData"};

// The errors of reading `xml` with `pool`, one per line ("" when it validates).
std::string errorsOf(const std::string& xml, xercesc::XMLGrammarPool* pool) {
  const wco::ReadResult read = wco::readValidated(xml, pool, kMetaData, wco::ReadLimits{});
  std::string out;
  for (const auto& e : read.errors) out += e.path + ": " + e.message + "\n";
  return out;
}

}  // namespace

TEST(wcoDecGrammarCache, CopiesAfterStartAreCompiledFromTheFilesReadAtStart) {
  SWHUB_REQUIRE_DMS_CORPUS();
  wco::XercesRuntime runtime;
  const fs::path folder = fs::temp_directory_path() / ("wco-schemas-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::copy(kCorpus / "schemas", folder, fs::copy_options::recursive);
  auto cache = std::make_unique<wco::GrammarCache>(
      folder, std::vector<std::string>{"declaration/DocumentMetaData_2_DMS.xsd", "declaration/WCO_DEC_2_DMS.xsd"});
  fs::remove_all(folder);  // from now on only what was read at start is there

  const std::string valid = readFile(kCorpus / "declarations/TT_IM002b_TT_IM002a.xml");
  std::string invalid = valid;
  invalid.replace(invalid.find("<TypeCode>IMZ</TypeCode>"), 24, "<TypeCode>IMZZZ</TypeCode>");
  const xercesc::XMLGrammarPool* kept[2] = {nullptr, nullptr};
  {
    auto first = cache->lease();
    auto second = cache->lease();  // the first is in use: a copy is compiled now
    ASSERT_NE(first.pool(), nullptr);
    ASSERT_NE(second.pool(), nullptr);
    EXPECT_NE(first.pool(), second.pool());
    EXPECT_EQ(errorsOf(valid, second.pool()), "");
    EXPECT_EQ(errorsOf(invalid, second.pool()),
              "/MetaData/Declaration/TypeCode: value 'IMZZZ' has length '5' which exceeds maxLength facet value '3' "
              "(line 45, column 29)\n");
    EXPECT_EQ(errorsOf(valid, first.pool()), "");
    kept[0] = first.pool();
    kept[1] = second.pool();
  }
  // Both copies are kept: two more leases get them back, compiling nothing.
  auto again = cache->lease();
  auto another = cache->lease();
  EXPECT_TRUE((again.pool() == kept[0] && another.pool() == kept[1]) ||
              (again.pool() == kept[1] && another.pool() == kept[0]));
  EXPECT_EQ(errorsOf(valid, again.pool()), "");
  EXPECT_EQ(errorsOf(valid, another.pool()), "");
}

// A parse is CPU work: past the bound of copies, a lease waits for one to come back instead of
// compiling another (each DMS copy costs megabytes).
TEST(wcoDecGrammarCache, BeyondTheBoundALeaseWaitsForACopyToComeBack) {
  using namespace xercesc;
  wco::XercesRuntime runtime;
  auto newPool = [] { return std::unique_ptr<XMLGrammarPool>(new XMLGrammarPoolImpl(XMLPlatformUtils::fgMemoryManager)); };
  std::atomic<int> compiled{0};
  wco::GrammarPools pools(newPool(), [&] { ++compiled; return newPool(); }, 2);

  std::optional<wco::GrammarPools::Lease> first(pools.lease());
  wco::GrammarPools::Lease second = pools.lease();  // the first is in use: the second copy is compiled
  EXPECT_EQ(compiled.load(), 1);
  EXPECT_NE(first->pool(), second.pool());
  const XMLGrammarPool* firstPool = first->pool();
  const XMLGrammarPool* third = nullptr;
  std::thread waiting([&] { third = pools.lease().pool(); });  // both copies leased: it waits
  first.reset();  // gives the first copy back, to the waiting lease
  waiting.join();
  EXPECT_EQ(third, firstPool);
  EXPECT_EQ(compiled.load(), 1);
}
