#include <gtest/gtest.h>

#include <string>
#include <variant>

#include "api/request_target.hpp"

namespace swhub::api {
namespace {

TEST(api_requestTarget, PathAndQueryAreDecoded) {
  auto parsed = parseTarget("/v1/cases?reference=LRN%2D1&partner=demo-post&reference=second");
  ASSERT_TRUE(std::holds_alternative<Target>(parsed));
  const auto& target = std::get<Target>(parsed);
  EXPECT_EQ(target.path, "/v1/cases");
  EXPECT_EQ(target.value("reference"), "LRN-1");  // the first of a repeated parameter
  EXPECT_EQ(target.value("partner"), "demo-post");
  EXPECT_EQ(target.value("limit"), "");
}

TEST(api_requestTarget, BadPercentEncodingInThePathIsA400NamingThePath) {
  auto parsed = parseTarget("/v1/cases/%zz?reference=x");
  ASSERT_TRUE(std::holds_alternative<HttpResult>(parsed));
  const auto& refused = std::get<HttpResult>(parsed);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("urn:swhub:problem:invalid-target"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("'/v1/cases/%zz'"), std::string::npos) << refused.body;
}

TEST(api_requestTarget, BadPercentEncodingInTheQueryIsA400NamingTheQuery) {
  auto parsed = parseTarget("/v1/cases?reference=%4");
  ASSERT_TRUE(std::holds_alternative<HttpResult>(parsed));
  const auto& refused = std::get<HttpResult>(parsed);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("urn:swhub:problem:invalid-query"), std::string::npos) << refused.body;
  EXPECT_NE(refused.body.find("'reference=%4'"), std::string::npos) << refused.body;
}

TEST(api_bearerToken, SchemeInAnyCaseAndSpacesBeforeTheToken) {
  EXPECT_EQ(bearerToken("Bearer demo-post-token"), "demo-post-token");
  EXPECT_EQ(bearerToken("bEaReR    t"), "t");
}

TEST(api_bearerToken, NoTokenOrAnotherScheme) {
  EXPECT_EQ(bearerToken(""), std::nullopt);
  EXPECT_EQ(bearerToken("Bearer"), std::nullopt);
  EXPECT_EQ(bearerToken("Bearer   "), std::nullopt);
  EXPECT_EQ(bearerToken("Bearertoken"), std::nullopt);
  EXPECT_EQ(bearerToken("Basic dXNlcjpwYXNz"), std::nullopt);
}

}  // namespace
}  // namespace swhub::api
