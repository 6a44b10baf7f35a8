#include "config/licence_registry.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/calendar_day.hpp"
#include "config/config.hpp"

namespace swhub::config {
namespace {

namespace fs = std::filesystem;
using sdk::Schema;

const std::vector<std::string> kColumns = {"id", "type", "holder", "valid_from", "valid_to", "quantity"};

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && (s[start] == ' ' || s[start] == '\t')) ++start;
  return s.substr(start);
}

// One field of a simple CSV line: commas separate; a field may be double-quoted ("" inside).
std::vector<std::string> splitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(trim(field));
      field.clear();
    } else {
      field += c;
    }
  }
  out.push_back(trim(field));
  return out;
}

// Checks one entry's fields; `at` says where it is ("registry.csv line 3").
std::optional<LicenceEntry> entryOf(const std::map<std::string, std::string>& fields, const std::string& where,
                                    const std::string& at, sdk::Errors& errors) {
  auto field = [&](const std::string& key) {
    auto found = fields.find(key);
    return found == fields.end() ? std::string() : found->second;
  };
  const std::size_t before = errors.size();
  auto fail = [&](const std::string& message) { errors.push_back({where, at + ": " + message}); };
  LicenceEntry e{field("id"), field("type"), field("holder"), field("valid_from"), field("valid_to"), {}};
  for (const auto& key : kColumns) {
    if (field(key).empty()) fail(key + " missing");
  }
  const auto from = common::parseDay(e.valid_from);
  const auto to = common::parseDay(e.valid_to);
  if (!e.valid_from.empty() && (!from || e.valid_from.size() != 10)) fail("valid_from '" + e.valid_from + "' is not a date (YYYY-MM-DD)");
  if (!e.valid_to.empty() && (!to || e.valid_to.size() != 10)) fail("valid_to '" + e.valid_to + "' is not a date (YYYY-MM-DD)");
  if (from && to && *to < *from) fail("valid_to " + e.valid_to + " is before valid_from " + e.valid_from);
  const std::string quantity = field("quantity");
  if (!quantity.empty()) {
    auto parsed = sdk::Decimal::parse(quantity);
    if (!parsed || *parsed <= sdk::Decimal()) {
      fail("quantity '" + quantity + "' is not a decimal above 0 (at most 4 fraction digits)");
    } else {
      e.quantity = *parsed;
    }
  }
  if (errors.size() != before) return std::nullopt;
  return e;
}

std::vector<LicenceEntry> readCsv(const std::string& file, const std::string& where, sdk::Errors& errors) {
  std::ifstream in(file, std::ios::binary);
  std::vector<LicenceEntry> out;
  std::string line;
  std::vector<std::string> header;
  const std::string name = fs::path(file).filename().string();
  for (int number = 1; std::getline(in, line); ++number) {
    if (trim(line).empty() || trim(line).front() == '#') continue;
    auto cells = splitCsv(line);
    if (header.empty()) {
      header = cells;
      for (const auto& column : kColumns) {
        if (std::find(header.begin(), header.end(), column) == header.end()) {
          errors.push_back({where, name + " line " + std::to_string(number) + ": the header has no column '" + column +
                                       "' (id,type,holder,valid_from,valid_to,quantity expected)"});
        }
      }
      if (!errors.empty()) return out;
      continue;
    }
    if (cells.size() != header.size()) {
      errors.push_back({where, name + " line " + std::to_string(number) + ": " + std::to_string(cells.size()) +
                                   " fields, the header has " + std::to_string(header.size())});
      continue;
    }
    std::map<std::string, std::string> fields;
    for (std::size_t i = 0; i < header.size(); ++i) fields[header[i]] = cells[i];
    if (auto e = entryOf(fields, where, name + " line " + std::to_string(number), errors)) out.push_back(std::move(*e));
  }
  return out;
}

std::vector<LicenceEntry> readYaml(const std::string& file, const std::string& where, sdk::Errors& errors) {
  std::vector<LicenceEntry> out;
  sdk::Value document;
  try {
    document = parseYamlFile(file);
  } catch (const ConfigError& e) {
    for (const auto& error : e.errors()) errors.push_back({where, error.path + ": " + error.message});
    return out;
  }
  const std::string name = fs::path(file).filename().string();
  const sdk::Value* list = document.find("licences");
  if (list == nullptr || !list->isList()) {
    errors.push_back({where, name + ": a list 'licences' expected"});
    return out;
  }
  for (std::size_t i = 0; i < list->items().size(); ++i) {
    const sdk::Value& node = list->items()[i];
    const std::string at = name + " licences[" + std::to_string(i) + "]";
    std::map<std::string, std::string> fields;
    for (const auto& [key, value] : node.entries()) {
      if (std::find(kColumns.begin(), kColumns.end(), key) == kColumns.end()) {
        errors.push_back({where, at + ": unknown key '" + key + "' (id, type, holder, valid_from, valid_to, quantity)"});
        continue;
      }
      fields[key] = value.asString();
    }
    if (auto e = entryOf(fields, where, at, errors)) out.push_back(std::move(*e));
  }
  return out;
}

}  // namespace

sdk::Schema licencesSchema() {
  Schema requirement = Schema::object("goods that need a licence or certificate of this agency");
  requirement.required("name", Schema::string("a name for the requirement, in hold reasons").nonEmpty());
  requirement.required("hs_prefix", Schema::list("items whose HS code starts with one of these (2 to 10 digits, quoted)",
                                                 Schema::string("an HS prefix").nonEmpty(), 1));
  requirement.required("document_types",
                       Schema::list("the item must carry a document of one of these types (as filed: C640)",
                                    Schema::string("a document type").nonEmpty(), 1));
  return Schema::object("licences and certificates: items in scope are cleared only with a licence of the agency's "
                        "registry that is valid on the filing day, held by the importer and has quantity left; "
                        "each clear writes the quantity down (README \"Licences and certificates\")")
      .optional("registry", Schema::string("a YAML or CSV file of licences that seeds the registry at start (licences "
                                           "the journal already has are kept as they are)")
                                .nonEmpty())
      .required("require", Schema::list("what needs a licence", requirement, 1));
}

std::vector<LicenceEntry> readLicenceRegistry(const std::string& file, const std::string& where, sdk::Errors& errors) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    errors.push_back({where, "file not found: " + file});
    return {};
  }
  const std::string ext = fs::path(file).extension().string();
  std::vector<LicenceEntry> out;
  if (ext == ".csv") {
    out = readCsv(file, where, errors);
  } else if (ext == ".yaml" || ext == ".yml") {
    out = readYaml(file, where, errors);
  } else {
    errors.push_back({where, "'" + file + "' is neither .csv nor .yaml/.yml"});
    return {};
  }
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto [it, inserted] = seen.emplace(out[i].id, i);
    if (!inserted) errors.push_back({where, fs::path(file).filename().string() + ": licence '" + out[i].id + "' is listed twice"});
  }
  return out;
}

LicenceRules readLicenceRules(const sdk::Value& node, const std::string& path, const std::string& base,
                              sdk::Errors& errors) {
  LicenceRules rules;
  if (const sdk::Value* registry = node.find("registry")) {
    const fs::path p(registry->asString());
    rules.registry = (p.is_absolute() ? p : fs::path(base) / p).lexically_normal().string();
    rules.entries = readLicenceRegistry(rules.registry, path + ".registry", errors);
  }
  const sdk::Value* require = node.find("require");
  if (require == nullptr) return rules;
  for (std::size_t i = 0; i < require->items().size(); ++i) {
    const sdk::Value& r = require->items()[i];
    const std::string at = path + ".require[" + std::to_string(i) + "]";
    LicenceRequirementConfig c;
    if (const sdk::Value* name = r.find("name")) c.name = name->asString();
    if (const sdk::Value* prefixes = r.find("hs_prefix")) {
      for (std::size_t j = 0; j < prefixes->items().size(); ++j) {
        const std::string prefix = prefixes->items()[j].asString();
        const bool digits = prefix.size() >= 2 && prefix.size() <= 10 &&
                            std::all_of(prefix.begin(), prefix.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
        if (!digits) {
          errors.push_back({at + ".hs_prefix[" + std::to_string(j) + "]", "'" + prefix + "' is not an HS prefix: 2 to 10 digits expected"});
        }
        c.hs_prefixes.push_back(prefix);
      }
    }
    if (const sdk::Value* types = r.find("document_types")) {
      for (const auto& t : types->items()) c.document_types.push_back(t.asString());
    }
    for (std::size_t j = 0; j < rules.require.size(); ++j) {
      if (rules.require[j].name == c.name) {
        errors.push_back({at + ".name", "requirement name '" + c.name + "' is already used by require[" + std::to_string(j) + "]"});
      }
    }
    rules.require.push_back(std::move(c));
  }
  return rules;
}

}  // namespace swhub::config
