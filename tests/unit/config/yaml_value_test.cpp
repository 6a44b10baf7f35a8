// YAML text -> sdk::Value: scalar typing, text as written, positions, and read/syntax errors.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "config/config.hpp"

namespace swhub::config {
namespace {

using sdk::Errors;
using sdk::ValueType;

const sdk::Value& at(const sdk::Value& v, std::string_view key) {
  const sdk::Value* found = v.find(key);
  if (found == nullptr) throw std::runtime_error("no key " + std::string(key));
  return *found;
}

Errors errorsOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.errors();
  }
  return {};
}

TEST(config_yaml, PlainNullForms) {
  const sdk::Value v = parseYamlString("a: null\nb: ~\nc:\nd: NULL\n");
  for (const char* key : {"a", "b", "c", "d"}) EXPECT_TRUE(at(v, key).isNull()) << key;
}

TEST(config_yaml, PlainBooleans) {
  const sdk::Value v = parseYamlString("a: true\nb: false\nc: yes\n");
  EXPECT_EQ(at(v, "a").type(), ValueType::Bool);
  EXPECT_TRUE(at(v, "a").asBool());
  EXPECT_EQ(at(v, "b").type(), ValueType::Bool);
  EXPECT_FALSE(at(v, "b").asBool());
  EXPECT_EQ(at(v, "c").type(), ValueType::String);  // YAML 1.2: "yes" is a word, not a boolean
}

TEST(config_yaml, PlainIntegerKeepsItsText) {
  const sdk::Value v = parseYamlString("hs: 0101\nn: -42\n");
  EXPECT_EQ(at(v, "hs").type(), ValueType::Int);
  EXPECT_EQ(at(v, "hs").asInt(), 101);
  EXPECT_EQ(at(v, "hs").asString(), "0101");
  EXPECT_EQ(at(v, "n").asInt(), -42);
}

TEST(config_yaml, PlainDecimalKeepsItsText) {
  const sdk::Value v = parseYamlString("value: 45.50\nexp: 1e3\n");
  EXPECT_EQ(at(v, "value").type(), ValueType::Double);
  EXPECT_DOUBLE_EQ(at(v, "value").asDouble(), 45.5);
  EXPECT_EQ(at(v, "value").asString(), "45.50");
  EXPECT_EQ(at(v, "exp").type(), ValueType::Double);
  EXPECT_DOUBLE_EQ(at(v, "exp").asDouble(), 1000);
}

TEST(config_yaml, OtherPlainScalarsAreStrings) {
  const sdk::Value v = parseYamlString("a: 127.0.0.1:8080\nb: 1.2.3\nc: demo-post\n");
  for (const char* key : {"a", "b", "c"}) EXPECT_EQ(at(v, key).type(), ValueType::String) << key;
  EXPECT_EQ(at(v, "a").asString(), "127.0.0.1:8080");
}

TEST(config_yaml, QuotedAndTaggedScalarsAreStrings) {
  const sdk::Value v = parseYamlString("a: \"12\"\nb: 'true'\nc: \"\"\nd: !!str 5\ne: 'null'\n");
  for (const char* key : {"a", "b", "c", "d", "e"}) {
    EXPECT_EQ(at(v, key).type(), ValueType::String) << key;
  }
  EXPECT_EQ(at(v, "a").asString(), "12");
  EXPECT_EQ(at(v, "c").asString(), "");
}

TEST(config_yaml, ListsAndMapsKeepDocumentOrder) {
  const sdk::Value v = parseYamlString("z: [1, two]\na: {y: 1, b: 2}\n");
  ASSERT_EQ(v.entries().size(), 2u);
  EXPECT_EQ(v.entries()[0].first, "z");
  EXPECT_EQ(at(v, "z").items().size(), 2u);
  EXPECT_EQ(at(v, "z").items()[1].asString(), "two");
  EXPECT_EQ(at(v, "a").entries()[0].first, "y");
}

TEST(config_yaml, RecordsLineAndColumn) {
  const sdk::Value v = parseYamlString("hub:\n  listen: x\n");
  EXPECT_EQ(at(at(v, "hub"), "listen").line, 2);
  EXPECT_EQ(at(at(v, "hub"), "listen").column, 11);
}

TEST(config_yaml, SyntaxErrorNamesFileLineAndColumn) {
  EXPECT_EQ(errorsOf([] { parseYamlString("hub:\n  listen: [1, 2\n", "hub.yaml"); }),
            (Errors{{"hub.yaml:3:1", "end of sequence flow not found"}}));
}

TEST(config_yaml, DuplicateKeyIsAnError) {
  EXPECT_EQ(errorsOf([] { parseYamlString("hub:\n  listen: a\n  listen: b\n", "hub.yaml"); }),
            (Errors{{"hub.yaml:3:3", "duplicate key 'listen'"}}));
}

TEST(config_yaml, MissingFileSaysWhy) {
  EXPECT_EQ(errorsOf([] { parseYamlFile("/nonexistent/hub.yaml"); }),
            (Errors{{"/nonexistent/hub.yaml", "cannot read: No such file or directory"}}));
}

TEST(config_yaml, ReadsAFile) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("swhub_yaml_value_test_" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(path) << "a: 1\n";
  const sdk::Value v = parseYamlFile(path.string());
  std::filesystem::remove(path);
  EXPECT_EQ(at(v, "a").asInt(), 1);
}

TEST(config_yaml, AnAliasIsReadAsItsAnchorsValue) {
  const sdk::Value v = parseYamlString("base: &b {x: 1, y: [a, b]}\none: *b\ntwo: *b\n");
  EXPECT_EQ(at(at(v, "one"), "x").asInt(), 1);
  EXPECT_EQ(at(at(v, "two"), "y").items().size(), 2u);
}

TEST(config_yaml, AnAliasInsideItsOwnAnchorIsAnErrorAtItsPlace) {
  // yaml-cpp builds a cycle; read as a tree it never ends (it overflowed the stack).
  const Errors errors = errorsOf([] { parseYamlString("top:\n  a: &a [1, *a]\n", "cyclic.yaml"); });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(errors[0].path.starts_with("cyclic.yaml:")) << errors[0].path;
  EXPECT_NE(errors[0].message.find("nested deeper than 128 levels"), std::string::npos) << errors[0].message;
}

TEST(config_yaml, AliasesThatMultiplyAreBounded) {
  // Eight lines that expand to 10^8 values ("billion laughs"): refused, not read into memory.
  std::string text = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level < 8; ++level) {
    const std::string below = "*l" + std::to_string(level - 1);
    text += "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + below;
    text += "]\n";
  }
  const Errors errors = errorsOf([&] { parseYamlString(text, "laughs.yaml"); });
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(errors[0].path.starts_with("laughs.yaml:")) << errors[0].path;
  EXPECT_NE(errors[0].message.find("aliases expand too far"), std::string::npos) << errors[0].message;
}

TEST(config_yaml, DeepNestingIsAnErrorNotACrash) {
  const Errors errors = errorsOf([] { parseYamlString(std::string(5000, '[') + std::string(5000, ']'), "deep.yaml"); });
  ASSERT_FALSE(errors.empty());
  EXPECT_TRUE(errors[0].path.starts_with("deep.yaml")) << errors[0].path;
}

}  // namespace
}  // namespace swhub::config
