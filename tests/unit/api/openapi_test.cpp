// The OpenAPI document (schemas/openapi.yaml) against the router's table (api/routes.cpp): every
// route the hub serves is documented, and nothing is documented that the hub does not serve. The
// integration test (tests/integration/openapi_test.cpp) calls every documented operation.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "api/openapi_document.hpp"
#include "api/routes.hpp"

namespace {

using swhub::api::Access;
using swhub::api::routes;

const std::filesystem::path kSchemas = std::filesystem::path(SWHUB_SOURCE_ROOT) / "schemas";
const std::set<std::string> kMethods = {"get", "head", "post", "put", "patch", "delete", "options", "trace"};

std::string readAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

YAML::Node document() { return YAML::Load(std::string(swhub::api::openApiDocument())); }

// Every "METHOD path" the document describes.
std::set<std::string> documentedOperations(const YAML::Node& doc) {
  std::set<std::string> out;
  for (const auto& path : doc["paths"]) {
    for (const auto& member : path.second) {
      const std::string key = member.first.as<std::string>();
      if (kMethods.count(key) > 0) out.insert(key + " " + path.first.as<std::string>());
    }
  }
  return out;
}

// Every "$ref" value anywhere under `node`.
void collectRefs(const YAML::Node& node, std::vector<std::string>& refs) {
  if (node.IsMap()) {
    for (const auto& member : node) {
      if (member.first.as<std::string>() == "$ref" && member.second.IsScalar()) refs.push_back(member.second.as<std::string>());
      else collectRefs(member.second, refs);
    }
  } else if (node.IsSequence()) {
    for (const auto& element : node) collectRefs(element, refs);
  }
}

// Where a key has no value: a comma in an unquoted flow-mapping scalar ({description: a, b})
// splits it into a second key with nothing after it.
void collectEmptyKeys(const YAML::Node& node, const std::string& at, std::vector<std::string>& out) {
  if (node.IsMap()) {
    for (const auto& member : node) {
      const std::string key = at + "/" + member.first.as<std::string>();
      if (member.second.IsNull()) out.push_back(key);
      collectEmptyKeys(member.second, key, out);
    }
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) collectEmptyKeys(node[i], at + "/" + std::to_string(i), out);
  }
}

TEST(api_openapi, NoKeyIsLeftWithoutAValue) {
  std::vector<std::string> empty;
  collectEmptyKeys(document(), "", empty);
  EXPECT_TRUE(empty.empty()) << empty.front() << " (and " << empty.size() - 1 << " more): quote the scalar before it";
}

TEST(api_openapi, TheServedDocumentIsTheOneInSchemas) {
  EXPECT_EQ(std::string(swhub::api::openApiDocument()), readAll(kSchemas / "openapi.yaml"));
  EXPECT_EQ(std::string(swhub::api::consignmentJsonSchema()), readAll(kSchemas / "canonical/consignment.schema.json"));
}

TEST(api_openapi, IsAnOpenApi31Document) {
  const YAML::Node doc = document();
  EXPECT_EQ(doc["openapi"].as<std::string>().rfind("3.1.", 0), 0u);
  EXPECT_TRUE(doc["info"]["title"].IsScalar());
  EXPECT_TRUE(doc["info"]["version"].IsScalar());
  EXPECT_TRUE(doc["paths"].IsMap());
}

TEST(api_openapi, EveryRouteOfTheRouterIsDocumented) {
  const auto documented = documentedOperations(document());
  for (const auto& route : routes()) {
    const std::string operation = lower(route.method) + " " + std::string(route.pattern);
    EXPECT_EQ(documented.count(operation), 1u) << operation << " is served but not in schemas/openapi.yaml";
  }
}

TEST(api_openapi, EveryDocumentedOperationIsARouteOfTheRouter) {
  std::set<std::string> served;
  for (const auto& route : routes()) served.insert(lower(route.method) + " " + std::string(route.pattern));
  for (const auto& operation : documentedOperations(document())) {
    EXPECT_EQ(served.count(operation), 1u) << operation << " is documented but the router does not serve it";
  }
}

TEST(api_openapi, PublicRoutesNeedNoIdentityAndTheOthersDo) {
  const YAML::Node doc = document();
  ASSERT_TRUE(doc["security"].IsSequence());
  EXPECT_GT(doc["security"].size(), 0u);
  for (const auto& route : routes()) {
    const YAML::Node op = doc["paths"][std::string(route.pattern)][lower(route.method)];
    ASSERT_TRUE(op.IsMap()) << route.pattern;
    const YAML::Node security = op["security"];
    const bool open = security && security.IsSequence() && security.size() == 0;
    EXPECT_EQ(open, route.access == Access::Public) << route.method << " " << route.pattern;
  }
}

TEST(api_openapi, EveryOperationAnswersWithStatusesAndEveryErrorIsProblemJson) {
  const YAML::Node doc = document();
  for (const auto& path : doc["paths"]) {
    for (const auto& member : path.second) {
      const std::string method = member.first.as<std::string>();
      if (kMethods.count(method) == 0) continue;
      const std::string where = method + " " + path.first.as<std::string>();
      const YAML::Node responses = member.second["responses"];
      ASSERT_TRUE(responses.IsMap()) << where;
      EXPECT_GT(responses.size(), 0u) << where;
      for (const auto& response : responses) {
        const int status = std::stoi(response.first.as<std::string>());
        YAML::Node answer = response.second;
        if (answer["$ref"]) {
          const std::string ref = answer["$ref"].as<std::string>();
          answer.reset(doc["components"]["responses"][ref.substr(ref.rfind('/') + 1)]);
        }
        ASSERT_TRUE(answer.IsMap()) << where << " " << status;
        // A HEAD answer has no body; every other error's body is problem JSON.
        if (status >= 400 && method != "head") {
          EXPECT_TRUE(answer["content"]["application/problem+json"].IsMap()) << where << " " << status;
        }
      }
    }
  }
}

TEST(api_openapi, EveryReferenceResolves) {
  const YAML::Node doc = document();
  std::vector<std::string> refs;
  collectRefs(doc, refs);
  ASSERT_FALSE(refs.empty());
  bool canonical = false;
  for (const auto& ref : refs) {
    if (ref.rfind("#/", 0) == 0) {
      YAML::Node at = doc;
      std::string rest = ref.substr(2);
      while (!rest.empty()) {
        const auto slash = rest.find('/');
        at.reset(at[rest.substr(0, slash)]);
        rest = slash == std::string::npos ? "" : rest.substr(slash + 1);
      }
      EXPECT_TRUE(at.IsDefined() && !at.IsNull()) << ref << " points at nothing";
      continue;
    }
    // A file beside the document (installed alike: share/swhub/schemas/), which the hub also
    // serves beside /v1/openapi.yaml.
    const std::string file = ref.substr(0, ref.find('#'));
    EXPECT_TRUE(std::filesystem::exists(kSchemas / file)) << ref;
    EXPECT_TRUE(swhub::api::findRoute("GET", "/v1/" + file).route != nullptr) << "/v1/" << file << " is not served";
    canonical = canonical || file == "canonical/consignment.schema.json";
  }
  EXPECT_TRUE(canonical) << "the canonical consignment's JSON Schema is not referenced";
}

// OpenAPI's own rules that a YAML parser does not check: operation ids are unique, and every
// `{name}` of a path is a parameter `in: path` of each of its operations.
TEST(api_openapi, OperationIdsAreUniqueAndEveryPathParameterIsDeclared) {
  const YAML::Node doc = document();
  std::set<std::string> ids;
  for (const auto& path : doc["paths"]) {
    const std::string pattern = path.first.as<std::string>();
    std::set<std::string> names;
    for (auto open = pattern.find('{'); open != std::string::npos; open = pattern.find('{', open + 1)) {
      names.insert(pattern.substr(open + 1, pattern.find('}', open) - open - 1));
    }
    auto declared = [](const YAML::Node& parameters, std::set<std::string>& into) {
      if (!parameters) return;
      for (const auto& parameter : parameters) {
        if (parameter["in"] && parameter["in"].as<std::string>() == "path") into.insert(parameter["name"].as<std::string>());
      }
    };
    std::set<std::string> shared;
    declared(path.second["parameters"], shared);
    for (const auto& member : path.second) {
      const std::string method = member.first.as<std::string>();
      if (kMethods.count(method) == 0) continue;
      const std::string id = member.second["operationId"].as<std::string>();
      EXPECT_TRUE(ids.insert(id).second) << "operationId " << id << " is used twice";
      std::set<std::string> own = shared;
      declared(member.second["parameters"], own);
      EXPECT_EQ(own, names) << method << " " << pattern;
    }
  }
}

TEST(api_routes, PatternsMatchWholeSegments) {
  std::vector<std::string> params;
  EXPECT_TRUE(swhub::api::matchPattern("/v1/cases/{case_id}", "/v1/cases/C-1", params));
  EXPECT_EQ(params, std::vector<std::string>{"C-1"});
  params.clear();
  EXPECT_FALSE(swhub::api::matchPattern("/v1/cases/{case_id}", "/v1/cases/", params));
  EXPECT_FALSE(swhub::api::matchPattern("/v1/cases/{case_id}", "/v1/cases", params));
  EXPECT_FALSE(swhub::api::matchPattern("/v1/cases/{case_id}", "/v1/cases/a/b", params));
  EXPECT_TRUE(params.empty());
  EXPECT_TRUE(swhub::api::matchPattern("/v1/admin/licences/{agency}/{id}", "/v1/admin/licences/vet/L-1", params));
  EXPECT_EQ(params, (std::vector<std::string>{"vet", "L-1"}));
}

TEST(api_routes, APathServedWithOtherMethodsListsThemForAllow) {
  auto found = swhub::api::findRoute("DELETE", "/v1/admin/licences");
  EXPECT_TRUE(found.pathKnown);
  EXPECT_EQ(found.route, nullptr);
  EXPECT_EQ(found.allowed, "GET, POST");
  EXPECT_EQ(swhub::api::findRoute("POST", "/healthz").allowed, "GET, HEAD");
  EXPECT_FALSE(swhub::api::findRoute("GET", "/v1/nothing").pathKnown);
}

}  // namespace
