// The canonical JSON samples (tests/samples/canonical) judged by the hub's own decoder: the same
// verdicts as the published JSON Schema gives them (tests/schemas, schema_canonical_consignment_samples).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "model/canonical_json.hpp"

namespace {

std::string readAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Every consignment of the body decodes without errors.
bool decodesWhole(const std::string& body) {
  auto decoded = swhub::model::decodeConsignmentsJson(body, {});
  if (!decoded) return false;
  for (const auto& one : decoded.value()) {
    if (!one.result) return false;
  }
  return true;
}

TEST(model_canonical_samples, TheDecoderJudgesEverySampleAsTheSchemaDoes) {
  const std::filesystem::path folder = std::filesystem::path(SWHUB_SOURCE_ROOT) / "tests/samples/canonical";
  int valid = 0;
  int invalid = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("consignment-valid-", 0) == 0) {
      ++valid;
      EXPECT_TRUE(decodesWhole(readAll(entry.path()))) << name << " is refused by the decoder";
    } else if (name.rfind("consignment-invalid-", 0) == 0) {
      ++invalid;
      EXPECT_FALSE(decodesWhole(readAll(entry.path()))) << name << " is accepted by the decoder";
    }
  }
  EXPECT_GE(valid, 1);
  EXPECT_GE(invalid, 1);
}

}  // namespace
