// libFuzzer target for the public estimate's reader (hub/src/estimate/estimate_query.cpp), the one
// thing the hub reads from anyone on the internet without an identity: the first byte picks the
// form, the rest is the input. GET: a request target "/v1/public/estimate?<rest>" decoded by the
// front's parseTarget, its parameters handed to readQuery; POST: the rest as the JSON body
// (readBody). Either must answer a query or errors, each naming its parameter; a throw (the front
// would answer 500), a crash or a sanitizer report is a finding, and so is a query that breaks
// what the reader promises (at most kMaxItems items, each with a currency and an HS code or a word).

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "api/request_target.hpp"
#include "estimate/estimate_query.hpp"
#include "fuzz_support.hpp"

namespace {

void check(const swhub::sdk::Result<swhub::estimate::EstimateQuery>& read) {
  if (!read.ok()) {
    for (const auto& e : read.errors()) {
      if (e.path.empty()) swhub::fuzz::fail("an error that names no parameter: " + e.message);
    }
    return;
  }
  const auto& q = read.value();
  if (q.items.empty() || q.items.size() > swhub::estimate::kMaxItems) {
    swhub::fuzz::fail("a query read with " + std::to_string(q.items.size()) + " items");
  }
  for (const auto& item : q.items) {
    if (item.hs.empty() && item.search.empty()) swhub::fuzz::fail("an item with neither hs nor search");
    if (item.currency.empty()) swhub::fuzz::fail("an item without a currency");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace swhub;
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    const auto target = api::parseTarget("/v1/public/estimate?" + rest);
    if (const auto* t = std::get_if<api::Target>(&target)) {
      check(estimate::readQuery(t->query));  // the front hands the decoded query over as it is
    }
  } else {
    check(estimate::readBody(rest));
  }
  return 0;
}
