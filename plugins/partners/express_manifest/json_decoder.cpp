#include "json_decoder.hpp"

#include <algorithm>
#include <deque>
#include <exception>
#include <string>
#include <vector>

#include "error_budget.hpp"
#include "house_fields.hpp"
#include "house_index.hpp"
#include "json_tokenizer.hpp"
#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::express_manifest {

namespace {

using Token = JsonTokenizer::Token;

constexpr Field kManifestFields[] = {Field::MasterWaybill, Field::Flight, Field::Departure, Field::Destination,
                                     Field::Arrival};
constexpr Field kHouseFields[] = {Field::HouseWaybill,  Field::ShipperName,      Field::ShipperCountry,
                                  Field::ConsigneeName, Field::ConsigneeAddress, Field::ConsigneeCountry};
constexpr Field kItemFields[] = {Field::Description, Field::HsCode, Field::Quantity, Field::Unit,
                                 Field::NetKg,       Field::GrossKg, Field::Value,   Field::Currency,
                                 Field::Origin,      Field::Nature};

template <std::size_t N>
std::optional<Field> find(const Field (&fields)[N], const std::string& key) {
  for (Field f : fields)
    if (jsonName(f) == key) return f;
  return std::nullopt;
}

template <std::size_t N>
std::string unknownKey(const Field (&fields)[N], const std::string& key, std::vector<std::string> extra = {}) {
  std::vector<std::string> allowed = std::move(extra);
  for (Field f : fields) allowed.emplace_back(jsonName(f));
  std::sort(allowed.begin(), allowed.end());
  std::string message = "unknown field '" + key + "'";
  const std::string near = sdk::nearestName(key, allowed);
  if (!near.empty()) message += "; did you mean '" + near + "'?";
  message += " (allowed: ";
  for (std::size_t i = 0; i < allowed.size(); ++i) message += (i ? ", " : "") + allowed[i];
  message += ")";
  return message;
}

std::string got(Token t) { return std::string("got ") + JsonTokenizer::describe(t); }

class JsonManifestDecoder : public sdk::Decoder {
 public:
  JsonManifestDecoder(sdk::ByteSource& input, const Settings& settings)
      : settings_(settings), tokens_(input, settings.max_line_bytes), budget_(settings.max_errors) {}

  std::optional<sdk::Decoded> next() noexcept override {
    try {
      while (out_.empty() && !done_) step();
    } catch (const std::exception& e) {
      fail(std::string("express_manifest decoder failed: ") + e.what());
    }
    if (out_.empty()) return std::nullopt;
    sdk::Decoded item = std::move(out_.front());
    out_.pop_front();
    return item;
  }

 private:
  enum class Phase { Start, Manifest, Houses, After, Trailer };

  // Ends the stream with one error; an empty path tells the hub the whole message is refused.
  void fail(std::string message, std::string path = "") {
    out_.emplace_back(sdk::Errors{{std::move(path), std::move(message)}});
    done_ = true;
  }
  void syntaxError() { fail("JSON syntax error at " + tokens_.error()); }

  // Consumes the rest of a value whose first token was `t`; false on a syntax error.
  bool skip(Token t) {
    if (t != Token::BeginObject && t != Token::BeginArray) return true;
    const std::size_t depth = tokens_.depth();
    while (tokens_.depth() >= depth) {
      if (tokens_.next() == Token::Error) return false;
    }
    return true;
  }

  void step() {
    const Token t = tokens_.next();
    if (t == Token::Error) return syntaxError();
    switch (phase_) {
      case Phase::Start:
        if (t != Token::BeginObject) return fail("the manifest must be a JSON object, " + got(t));
        phase_ = Phase::Manifest;
        return;
      case Phase::Manifest:
        if (t == Token::EndObject) return manifestErrors({{"/houses", "required: the houses of the manifest"}});
        return manifestKey();
      case Phase::Houses:
        if (t == Token::EndArray) {
          phase_ = Phase::After;
        } else if (t == Token::BeginObject) {
          house();
        } else {
          const std::string at = "/houses/" + std::to_string(houseCount_++);
          budget_.report({{at, "a house object expected, " + got(t)}}, at, out_);
          if (!skip(t)) syntaxError();
        }
        return;
      case Phase::After:
        if (t == Token::EndObject) {
          phase_ = Phase::Trailer;
          return;
        }
        return fail("/" + tokens_.text() + ": a manifest field after \"houses\": manifest fields come first, since "
                    "houses are filed as they stream");
      case Phase::Trailer:
        budget_.summarise("/houses", out_);
        done_ = true;
        return;
    }
  }

  void manifestErrors(sdk::Errors errors) {
    out_.emplace_back(std::move(errors));  // before any house: no house is filed
    done_ = true;
  }

  void manifestKey() {
    const std::string key = tokens_.text();
    if (key == "houses") {
      if (const Token t = tokens_.next(); t != Token::BeginArray) {
        if (t == Token::Error) return syntaxError();
        return manifestErrors({{"/houses", "an array expected, " + got(t)}});
      }
      phase_ = Phase::Houses;
      return checkManifest();
    }
    const auto field = find(kManifestFields, key);
    if (!field) return manifestErrors({{"/" + key, unknownKey(kManifestFields, key, {"houses"})}});
    const Token t = tokens_.next();
    if (t == Token::Error) return syntaxError();
    if (t == Token::Null) return;
    if (t != Token::String) return manifestErrors({{"/" + key, "a string expected, " + got(t)}});
    if (tokens_.truncated()) return manifestErrors({{"/" + key, longer()}});
    applyHouseField(manifest_, *field, tokens_.text());
  }

  std::string longer() const {
    return "longer than max_line_bytes (" + std::to_string(settings_.max_line_bytes) + " bytes)";
  }

  // The transport is the same for every house: checked once, before the first house.
  void checkManifest() {
    manifest_.transport.mode = sdk::TransportMode::Air;
    sdk::Errors errors;
    if (manifest_.transport.master_ref.empty()) errors.push_back({"/master_waybill", "must not be empty"});
    for (auto& e : sdk::validateConsignment(manifest_, sdk::PathStyle::JsonPointer)) {
      const FieldRef ref = fieldOfCanonicalPath(e.path);
      if (ref.field && isManifestField(*ref.field))
        errors.push_back({"/" + std::string(jsonName(*ref.field)), std::move(e.message)});
    }
    if (!errors.empty()) manifestErrors(std::move(errors));
  }

  struct House {
    std::string base;
    sdk::Consignment consignment;
    sdk::Errors errors;
    std::vector<std::pair<std::size_t, Field>> suppressed;
  };

  void fieldError(House& h, std::string path, std::string message, std::size_t item, Field field) {
    h.errors.push_back({std::move(path), std::move(message)});
    h.suppressed.emplace_back(item, field);
  }

  void house() {
    const std::size_t index = houseCount_++;
    House h{"/houses/" + std::to_string(index), manifest_, {}, {}};
    h.consignment.reference.clear();
    std::vector<std::string> seen;
    for (;;) {
      Token t = tokens_.next();
      if (t == Token::Error) return syntaxError();
      if (t == Token::EndObject) break;
      const std::string key = tokens_.text();
      const std::string at = h.base + "/" + key;
      t = tokens_.next();
      if (t == Token::Error) return syntaxError();
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        h.errors.push_back({at, "duplicate field"});
        if (!skip(t)) return syntaxError();
        continue;
      }
      if (seen.size() < 32) seen.push_back(key);
      if (key == "items") {
        if (t != Token::BeginArray) {
          h.errors.push_back({at, "an array expected, " + got(t)});
          if (!skip(t)) return syntaxError();
        } else if (!items(h)) {
          return syntaxError();
        }
        continue;
      }
      const auto field = find(kHouseFields, key);
      if (!field) {
        h.errors.push_back({at, unknownKey(kHouseFields, key, {"items"})});
      } else if (t == Token::String) {
        if (tokens_.truncated()) fieldError(h, at, longer(), 0, *field);
        else applyHouseField(h.consignment, *field, tokens_.text());
      } else if (t != Token::Null) {
        fieldError(h, at, "a string expected, " + got(t), 0, *field);
      }
      if (!skip(t)) return syntaxError();
    }
    finish(std::move(h), index);
  }

  bool items(House& h) {
    auto& items = h.consignment.items;
    for (std::size_t i = 0;; ++i) {
      const Token t = tokens_.next();
      if (t == Token::Error) return false;
      if (t == Token::EndArray) return true;
      const std::string at = h.base + "/items/" + std::to_string(i);
      if (t != Token::BeginObject) {
        h.errors.push_back({at, "an item object expected, " + got(t)});
        if (!skip(t)) return false;
        continue;
      }
      sdk::Item item;
      item.sequence = static_cast<int>(i + 1);
      if (!readItem(h, at, i, item)) return false;
      if (items.size() == sdk::kMaxItemsPerConsignment) {
        if (i == items.size())
          h.errors.push_back({h.base + "/items", "more than " + std::to_string(sdk::kMaxItemsPerConsignment) +
                                                     " items in one house"});
        continue;  // read to keep the stream in step, never stored: memory stays bounded
      }
      completeItem(item, settings_);
      items.push_back(std::move(item));
    }
  }

  bool readItem(House& h, const std::string& base, std::size_t index, sdk::Item& item) {
    std::vector<std::string> seen;
    for (;;) {
      Token t = tokens_.next();
      if (t == Token::Error) return false;
      if (t == Token::EndObject) return true;
      const std::string key = tokens_.text();
      const std::string at = base + "/" + key;
      t = tokens_.next();
      if (t == Token::Error) return false;
      const auto field = find(kItemFields, key);
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) {
        h.errors.push_back({at, "duplicate field"});
      } else if (!field) {
        h.errors.push_back({at, unknownKey(kItemFields, key)});
      } else if (t == Token::Null) {
        // absent
      } else if (tokens_.truncated() && t == Token::String) {
        fieldError(h, at, longer(), index, *field);
      } else {
        const bool numeric = *field == Field::Quantity || *field == Field::NetKg || *field == Field::GrossKg;
        const bool ok = numeric ? t == Token::Number
                                : (t == Token::String || (*field == Field::Value && t == Token::Number));
        if (!ok) {
          fieldError(h, at, std::string(numeric ? "a number" : "a string") + " expected, " + got(t), index, *field);
        } else if (auto problem = applyItemField(item, *field, tokens_.text())) {
          fieldError(h, at, std::move(*problem), index, *field);
        }
      }
      if (seen.size() < 32) seen.push_back(key);
      if (!skip(t)) return false;
    }
  }

  void finish(House h, std::size_t index) {
    const std::string& waybill = h.consignment.reference;
    if (!waybill.empty()) {
      if (auto first = index_.insert(hashWaybill(waybill), static_cast<std::uint32_t>(index)))
        fieldError(h, h.base + "/house_waybill",
                   "'" + waybill + "' is already used by /houses/" + std::to_string(*first) +
                       ": a house waybill is unique within a manifest",
                   0, Field::HouseWaybill);
    }
    for (auto& e : sdk::validateConsignment(h.consignment, sdk::PathStyle::JsonPointer)) {
      const FieldRef ref = fieldOfCanonicalPath(e.path);
      if (ref.field && std::find(h.suppressed.begin(), h.suppressed.end(),
                                 std::make_pair(ref.item.value_or(0), *ref.field)) != h.suppressed.end())
        continue;
      std::string path = h.base + e.path;
      if (ref.field && ref.item) path = h.base + "/items/" + std::to_string(*ref.item) + "/" + std::string(jsonName(*ref.field));
      else if (ref.field && isManifestField(*ref.field)) path = "/" + std::string(jsonName(*ref.field));
      else if (ref.field) path = h.base + "/" + std::string(jsonName(*ref.field));
      h.errors.push_back({std::move(path), std::move(e.message)});
    }
    if (h.errors.empty()) out_.emplace_back(sdk::DecodedFiling{std::move(h.consignment), h.base});
    else budget_.report(std::move(h.errors), h.base, out_);
  }

  const Settings& settings_;
  JsonTokenizer tokens_;
  ErrorBudget budget_;
  HouseIndex index_;
  std::deque<sdk::Decoded> out_;
  Phase phase_ = Phase::Start;
  bool done_ = false;
  std::size_t houseCount_ = 0;
  sdk::Consignment manifest_;  // the transport shared by every house
};

}  // namespace

std::unique_ptr<sdk::Decoder> openJsonDecoder(sdk::ByteSource& input, const Settings& settings) {
  return std::make_unique<JsonManifestDecoder>(input, settings);
}

}  // namespace swhub::plugins::express_manifest
