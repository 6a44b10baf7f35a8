#pragma once
// The smallest valid hub.yaml the config tests build on: one partner, one agency, one route.

namespace swhub::config::test {

inline constexpr const char* kMinimal = R"(
hub:
  listen: 127.0.0.1:8080
  journal: sqlite:var/j.db
plugins:
  canonical: {library: swhub_canonical.so}
partners:
  p1: {kind: postal, plugin: canonical, credentials: {tokens: [t1]}}
agencies:
  customs: {credentials: {tokens: [t2]}}
routes:
  - {name: all, require: [customs]}
)";

}  // namespace swhub::config::test
