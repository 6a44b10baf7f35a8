// The shape of a plugin failure as callers see it, and how it is told from an input's errors.
#include <gtest/gtest.h>

#include "plugin/plugin_failure.hpp"

namespace swhub::plugin {
namespace {

TEST(plugin_failure, NamesThePluginWhatItWasAskedAndWhatWentWrong) {
  const auto error = failureError({"upu_post", FailureKind::Crashed, "decode", "SIGSEGV (restarted)"});
  EXPECT_EQ(error.path, "plugins.upu_post");
  EXPECT_EQ(error.message, "plugin 'upu_post' crashed during decode: SIGSEGV (restarted)");
  EXPECT_EQ(failureError({"customs", FailureKind::TimedOut, "assess", "no answer within 2000 ms"}).message,
            "plugin 'customs' did not answer in time during assess: no answer within 2000 ms");
}

TEST(plugin_failure, IsToldFromTheErrorsOfAnInput) {
  EXPECT_TRUE(isPluginFailure({failureError({"rules", FailureKind::Threw, "assess", "std::bad_alloc"})}));
  EXPECT_FALSE(isPluginFailure({{"/items/0/hs", "must be 6 digits"}}));
  EXPECT_FALSE(isPluginFailure({}));
  EXPECT_EQ(toString(FailureKind::TimedOut), "timed-out");
}

TEST(plugin_failure, IsReadBackFromItsErrorByACallerThatCountsIt) {
  for (FailureKind kind : {FailureKind::Threw, FailureKind::TimedOut, FailureKind::Crashed, FailureKind::Garbage,
                           FailureKind::Busy}) {
    const Failure original{"faulty_agency", kind, "assess", "no answer within 300 ms: really"};
    const auto read = failureOf(failureError(original));
    ASSERT_TRUE(read) << toString(kind);
    EXPECT_EQ(read->plugin, "faulty_agency");
    EXPECT_EQ(read->kind, kind);
    EXPECT_EQ(read->call, "assess");
    EXPECT_EQ(read->detail, "no answer within 300 ms: really");
  }
  const auto bare = failureOf(failureError({"x", FailureKind::Crashed, "encode", ""}));
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->call, "encode");
  EXPECT_EQ(bare->detail, "");
  EXPECT_FALSE(failureOf({"/items/0/hs", "must be 6 digits"}));
  EXPECT_FALSE(failureOf({"plugins.x", "something else"}));
}

}  // namespace
}  // namespace swhub::plugin
