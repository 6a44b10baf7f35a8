// openJournal: URL forms, errors, folders.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "journal/journal.hpp"

namespace swhub::journal {
namespace {

std::string openError(const std::string& url) {
  try {
    openJournal(url);
  } catch (const JournalError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(journal_url, UnknownSchemeIsRefused) {
  EXPECT_EQ(openError("mysql://db/hub"),
            "unsupported journal URL 'mysql://db/hub': expected sqlite:PATH or postgresql://USER:PASSWORD@HOST:PORT/DB");
  EXPECT_EQ(openError("/var/lib/swhub/journal.db"),
            "unsupported journal URL '/var/lib/swhub/journal.db': expected sqlite:PATH or "
            "postgresql://USER:PASSWORD@HOST:PORT/DB");
}

TEST(journal_url, UnreachablePostgresqlSaysSoWithoutItsPassword) {
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  const std::string error = openError("postgresql://hub:s3cret@127.0.0.1:1/swhub?connect_timeout=2");
  EXPECT_EQ(error.rfind("cannot open journal postgresql://hub:***@127.0.0.1:1/swhub?connect_timeout=2: "
                        "cannot connect to PostgreSQL: ", 0),
            0u)
      << error;
  EXPECT_EQ(error.find("s3cret"), std::string::npos) << error;
}

TEST(journal_url, EmptyPathAndUnknownParameterAreRefused) {
  EXPECT_EQ(openError("sqlite:"), "unsupported journal URL 'sqlite:': expected sqlite:PATH (the path is empty)");
  EXPECT_EQ(openError("sqlite:/tmp/j.db?mode=ro"),
            "unsupported journal URL 'sqlite:/tmp/j.db?mode=ro': expected sqlite:PATH[?vfs=NAME] "
            "(unknown parameter 'mode=ro')");
}

TEST(journal_url, CreatesMissingFoldersAndDescribesItself) {
  std::string pattern = (std::filesystem::temp_directory_path() / "swhub-journal-XXXXXX").string();
  const std::filesystem::path dir = mkdtemp(pattern.data());
  const std::string path = (dir / "a" / "b" / "j.db").string();
  {
    auto journal = openJournal("sqlite:" + path);
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_EQ(journal->describe(), "sqlite:" + path + " (WAL, synchronous=FULL)");
    EXPECT_TRUE(journal->writable());
  }
  std::filesystem::remove_all(dir);
}

TEST(journal_url, RelativePathIsResolvedAgainstWorkingDirectory) {
  std::string pattern = (std::filesystem::temp_directory_path() / "swhub-journal-XXXXXX").string();
  const std::filesystem::path dir = mkdtemp(pattern.data());
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  {
    auto journal = openJournal("sqlite:data/j.db");
    EXPECT_EQ(journal->describe(), "sqlite:" + (dir / "data" / "j.db").string() + " (WAL, synchronous=FULL)");
  }
  std::filesystem::current_path(previous);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace swhub::journal
