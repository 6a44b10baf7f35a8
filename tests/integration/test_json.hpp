#pragma once
// Small helpers the integration tests share: a JSON body as an object, and an edit of a config
// text that must find what it replaces.

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <string>

namespace swhub::testing {

// The body as a JSON object (throws when it is not one: the test then fails with the exception).
inline Poco::JSON::Object::Ptr parse(const std::string& body) {
  return Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
}

// Replaces the first `what` in `text`; fails the test when it is not there (the example config
// changed under the test).
inline void replaceOnce(std::string& text, const std::string& what, const std::string& with) {
  const auto at = text.find(what);
  ASSERT_NE(at, std::string::npos) << "not in the config: " << what;
  text.replace(at, what.size(), with);
}

}  // namespace swhub::testing
