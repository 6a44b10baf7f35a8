#pragma once
// One journal suite, two backends: a test written with JOURNAL_TEST (or a fixture deriving from
// JournalBackend) runs once on SQLite and once on PostgreSQL (a database of its own in the test
// run's throwaway cluster, pg_cluster.hpp). Without the PostgreSQL binaries the PostgreSQL half
// is skipped, naming why. Tests of what only SQLite has (WAL bounds, VFS faults, its schema
// migrations, query plans, the process lock) stay plain TEST()s and say so.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "pg_cluster.hpp"
#include "temp_dir.hpp"

namespace swhub::journal::test_support {

class JournalBackend : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (postgres()) {
      pg_ = std::make_unique<swhub::testing::PgDatabase>();
      if (!pg_->available()) GTEST_SKIP() << "PostgreSQL half skipped: " << pg_->skipReason();
    }
  }
  bool postgres() const { return std::string(GetParam()) == "postgresql"; }
  // The journal URL of this test (the same every call: a reopen finds what was written).
  std::string journalUrl() const { return postgres() ? pg_->url() : "sqlite:" + dir_.file("j.db"); }

  swhub::testing::TempDir dir_;
  std::unique_ptr<swhub::testing::PgDatabase> pg_;
};

}  // namespace swhub::journal::test_support

// Runs every TEST_P of `fixture` on both backends: names end in /sqlite and /postgresql.
#define JOURNAL_BACKENDS(fixture)                                                                  \
  INSTANTIATE_TEST_SUITE_P(backend, fixture, ::testing::Values("sqlite", "postgresql"),             \
                           [](const ::testing::TestParamInfo<const char*>& info) { return std::string(info.param); })

// A test on both backends without a fixture of its own: `fixture` names its suite.
#define JOURNAL_SUITE(fixture)                                                  \
  class fixture : public ::swhub::journal::test_support::JournalBackend {};   \
  JOURNAL_BACKENDS(fixture)
