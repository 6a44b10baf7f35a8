#pragma once
// The shared customs corpus (SWHUB_CORPUS_DIR, default ../shared/corpus beside the checkout):
// real third-party data and the official DMS XSDs, read by the tests that need them, never copied
// into the repository. A fresh clone has none: those tests skip, saying where they looked; CI has
// it and runs them. Configure with -DSWHUB_CORPUS_DIR=... to point elsewhere.

#include <filesystem>
#include <string>
#include <system_error>

namespace swhub::testing {

// The WCO DMS part of the corpus: declarations/, invalid/, notifications/, schemas/.
inline std::filesystem::path dmsCorpus() { return std::filesystem::path(SWHUB_CORPUS_DIR) / "wco-dms"; }

// The official DMS XSDs of the corpus, the folder a wco_dec schema_dir names.
inline std::filesystem::path dmsSchemas() { return dmsCorpus() / "schemas"; }

inline bool haveDmsCorpus() {
  std::error_code ec;
  return std::filesystem::is_directory(dmsSchemas(), ec) && std::filesystem::is_directory(dmsCorpus() / "declarations", ec);
}

// "skipped: corpus not found at <path>": what a test that needs the corpus says when it skips.
inline std::string corpusMissing() { return "skipped: corpus not found at " + dmsCorpus().string(); }

}  // namespace swhub::testing

// In a test or its SetUp(): skips it when the DMS corpus is absent.
#define SWHUB_REQUIRE_DMS_CORPUS()                                               \
  do {                                                                           \
    if (!::swhub::testing::haveDmsCorpus()) GTEST_SKIP() << ::swhub::testing::corpusMissing(); \
  } while (0)
