// deploy/grafana/swhub-dashboard.json parses and every expression names only series the hub
// exports (stats/prometheus_series.hpp) besides PromQL's own words.

#include <gtest/gtest.h>

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "stats/prometheus_series.hpp"

namespace swhub::stats {
namespace {

std::string dashboardText() {
  std::ifstream in(std::string(SWHUB_SOURCE_ROOT) + "/deploy/grafana/swhub-dashboard.json");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(stats_grafana, dashboardIsJsonAndEveryExprNamesAnExportedSeries) {
  const std::string text = dashboardText();
  ASSERT_FALSE(text.empty());
  Poco::JSON::Object::Ptr root;
  ASSERT_NO_THROW(root = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>());
  auto panels = root->getArray("panels");
  ASSERT_TRUE(panels);
  ASSERT_GT(panels->size(), 0u);
  const auto& names = statsSeriesNames();
  std::size_t exprs = 0;
  for (std::size_t p = 0; p < panels->size(); ++p) {
    auto targets = panels->getObject(static_cast<unsigned>(p))->getArray("targets");
    ASSERT_TRUE(targets) << "panel " << p;
    for (std::size_t t = 0; t < targets->size(); ++t) {
      const std::string expr = targets->getObject(static_cast<unsigned>(t))->getValue<std::string>("expr");
      ++exprs;
      const std::regex series("swhub_[a-z_]+");
      bool any = false;
      for (auto it = std::sregex_iterator(expr.begin(), expr.end(), series); it != std::sregex_iterator(); ++it) {
        any = true;
        EXPECT_NE(std::find(names.begin(), names.end(), it->str()), names.end()) << it->str() << " in " << expr;
      }
      EXPECT_TRUE(any) << expr;
    }
  }
  EXPECT_GE(exprs, 10u);
}

}  // namespace
}  // namespace swhub::stats
