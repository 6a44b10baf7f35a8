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

}  // namespace
}  // namespace swhub::plugin
