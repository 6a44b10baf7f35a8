#include "csv_decoder.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <exception>
#include <string>
#include <vector>

#include "csv_reader.hpp"
#include "error_budget.hpp"
#include "house_fields.hpp"
#include "house_index.hpp"
#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::express_manifest {

namespace {

constexpr int kNoColumn = -1;

struct LineError {
  std::uint64_t line;
  int column;  // header position, kNoColumn for the whole line
  sdk::Error error;
};

// The house being built: one line, or (with a line_no column) consecutive lines of one house
// waybill, one item each.
struct House {
  bool open = false;
  std::uint64_t line = 0;
  sdk::Consignment consignment;
  std::vector<std::uint64_t> itemLines;
  std::array<std::string, kFieldCount> houseText;  // house fields as its first line gave them
  std::vector<LineError> errors;
  std::vector<std::pair<std::size_t, Field>> suppressed;  // (item, field) already reported
  bool tooManyItems = false;
};

class CsvManifestDecoder : public sdk::Decoder {
 public:
  CsvManifestDecoder(sdk::ByteSource& input, const Settings& settings)
      : settings_(settings), reader_(input, settings.max_line_bytes), budget_(settings.max_errors) {
    columnOf_.fill(kNoColumn);
  }

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
  void fail(std::string message) {
    out_.emplace_back(sdk::Errors{{"", std::move(message)}});
    done_ = true;
  }

  void step() {
    const CsvReader::Status status = reader_.next(record_);
    if (status == CsvReader::Status::Fatal) return fail(reader_.fatalMessage());
    if (!headerRead_) {
      if (status == CsvReader::Status::End)
        return fail("the manifest is empty: a header row naming its columns is required");
      return readHeader();
    }
    if (status == CsvReader::Status::End) {
      finishHouse();
      budget_.summarise("lines", out_);
      done_ = true;
      return;
    }
    onRecord();
  }

  std::string path(std::uint64_t line, int column) const {
    std::string p = "line " + std::to_string(line);
    if (column != kNoColumn) p += ", column " + header_[static_cast<std::size_t>(column)];
    return p;
  }

  void readHeader() {
    headerRead_ = true;
    sdk::Errors errors;
    const std::string at = "line " + std::to_string(record_.line);
    if (record_.too_long) {
      return fail(at + ": the header is longer than max_line_bytes (" + std::to_string(settings_.max_line_bytes) +
                  " bytes)");
    }
    std::vector<std::string> allowed;
    for (std::size_t f = 0; f < kFieldCount; ++f) allowed.emplace_back(csvName(static_cast<Field>(f)));
    for (std::size_t i = 0; i < record_.count; ++i) {
      const std::string& name = record_.fields[i];
      header_.push_back(name);
      const auto field = fieldOfCsvName(name);
      if (!field) {
        const std::string near = sdk::nearestName(name, allowed);
        errors.push_back({at, "unknown column '" + name + "'" + (near.empty() ? "" : "; did you mean '" + near + "'?")});
        fields_.push_back(Field::LineNo);  // never read: the manifest is refused
        continue;
      }
      int& column = columnOf_[static_cast<std::size_t>(*field)];
      if (column != kNoColumn)
        errors.push_back({at, "column '" + name + "' appears twice (columns " + std::to_string(column + 1) + " and " +
                                  std::to_string(i + 1) + ")"});
      else
        column = static_cast<int>(i);
      fields_.push_back(*field);
    }
    std::vector<Field> required = {Field::MasterWaybill, Field::HouseWaybill, Field::Description, Field::HsCode,
                                   Field::Quantity,      Field::Unit,         Field::Value,       Field::Origin};
    if (settings_.default_currency.empty()) required.push_back(Field::Currency);
    for (Field f : required) {
      if (columnOf_[static_cast<std::size_t>(f)] == kNoColumn)
        errors.push_back({at, "missing required column '" + std::string(csvName(f)) + "'"});
    }
    if (!errors.empty()) {
      out_.emplace_back(std::move(errors));  // nothing can be read without a valid header
      done_ = true;
    }
    grouped_ = columnOf_[static_cast<std::size_t>(Field::LineNo)] != kNoColumn;
  }

  const std::string& text(Field f) const {
    static const std::string kEmpty;
    const int column = columnOf_[static_cast<std::size_t>(f)];
    return column == kNoColumn ? kEmpty : record_.fields[static_cast<std::size_t>(column)];
  }

  void lineError(std::uint64_t line, int column, std::string message) {
    house_.errors.push_back({line, column, {path(line, column), std::move(message)}});
  }

  void onRecord() {
    const std::uint64_t line = record_.line;
    if (record_.too_long || record_.count != header_.size()) {
      const std::string message =
          record_.too_long ? "longer than max_line_bytes (" + std::to_string(settings_.max_line_bytes) + " bytes)"
                           : std::to_string(record_.count) + " fields, the header has " + std::to_string(header_.size());
      budget_.report({{path(line, kNoColumn), message}}, path(line, kNoColumn), out_);
      return;
    }
    const std::string& waybill = text(Field::HouseWaybill);
    if (!(grouped_ && house_.open && !waybill.empty() && waybill == house_.consignment.reference)) {
      finishHouse();
      beginHouse(line, waybill);
    } else {
      for (std::size_t f = 0; f < kFieldCount; ++f) {
        const auto field = static_cast<Field>(f);
        const int column = columnOf_[f];
        if (isItemField(field) || column == kNoColumn || field == Field::MasterWaybill) continue;
        if (text(field) != house_.houseText[f])
          lineError(line, column, "'" + text(field) + "' differs from '" + house_.houseText[f] + "' on line " +
                                      std::to_string(house_.line) + " of the same house waybill");
      }
    }
    checkMaster(line);
    for (const auto& [index, problem] : record_.problems) lineError(line, static_cast<int>(index), problem);
    addItem(line);
    if (!grouped_) finishHouse();  // one line, one house: yield it now
  }

  void checkMaster(std::uint64_t line) {
    const std::string& master = text(Field::MasterWaybill);
    const int column = columnOf_[static_cast<std::size_t>(Field::MasterWaybill)];
    if (master.empty()) return lineError(line, column, "must not be empty");
    if (masterLine_ == 0) {
      master_ = master;
      masterLine_ = line;
    } else if (master != master_) {
      lineError(line, column, "'" + master + "' differs from the master waybill '" + master_ + "' of line " +
                                  std::to_string(masterLine_) + ": a manifest has one master waybill");
    }
  }

  void beginHouse(std::uint64_t line, const std::string& waybill) {
    house_ = House{};
    house_.open = true;
    house_.line = line;
    house_.consignment.transport.mode = sdk::TransportMode::Air;
    for (std::size_t f = 0; f < kFieldCount; ++f) {
      const auto field = static_cast<Field>(f);
      if (isItemField(field) || columnOf_[f] == kNoColumn) continue;
      house_.houseText[f] = text(field);
      applyHouseField(house_.consignment, field, text(field));
    }
    if (waybill.empty()) return;  // reported by validation as an empty reference
    if (auto seen = index_.insert(hashWaybill(waybill), static_cast<std::uint32_t>(line))) {
      lineError(line, columnOf_[static_cast<std::size_t>(Field::HouseWaybill)],
                "'" + waybill + "' is already used on line " + std::to_string(*seen) +
                    ": a house waybill is unique within a manifest");
      house_.suppressed.emplace_back(0, Field::HouseWaybill);
    }
  }

  void addItem(std::uint64_t line) {
    auto& items = house_.consignment.items;
    if (items.size() == sdk::kMaxItemsPerConsignment) {
      if (!house_.tooManyItems)
        lineError(line, columnOf_[static_cast<std::size_t>(Field::LineNo)],
                  "house waybill '" + house_.consignment.reference + "' has more than " +
                      std::to_string(sdk::kMaxItemsPerConsignment) + " items");
      house_.tooManyItems = true;
      return;
    }
    sdk::Item item;
    item.sequence = 1;
    const std::size_t index = items.size();
    for (std::size_t f = 0; f < kFieldCount; ++f) {
      const auto field = static_cast<Field>(f);
      if (!isItemField(field) || columnOf_[f] == kNoColumn) continue;
      if (auto problem = applyItemField(item, field, text(field))) {
        lineError(line, columnOf_[f], std::move(*problem));
        house_.suppressed.emplace_back(index, field);
      }
    }
    if (grouped_) {
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].sequence != item.sequence) continue;
        lineError(line, columnOf_[static_cast<std::size_t>(Field::LineNo)],
                  "line_no " + std::to_string(item.sequence) + " is already used on line " +
                      std::to_string(house_.itemLines[i]) + " of the same house waybill");
        house_.suppressed.emplace_back(index, Field::LineNo);
        break;
      }
    }
    completeItem(item, settings_);
    items.push_back(std::move(item));
    house_.itemLines.push_back(line);
  }

  bool suppressed(std::size_t item, Field field) const {
    return std::find(house_.suppressed.begin(), house_.suppressed.end(), std::make_pair(item, field)) !=
           house_.suppressed.end();
  }

  void finishHouse() {
    if (!house_.open) return;
    house_.open = false;
    for (sdk::Error& e : sdk::validateConsignment(house_.consignment, sdk::PathStyle::JsonPointer)) {
      const FieldRef ref = fieldOfCanonicalPath(e.path);
      const std::uint64_t line = ref.item && *ref.item < house_.itemLines.size() ? house_.itemLines[*ref.item] : house_.line;
      if (!ref.field) {
        house_.errors.push_back({line, kNoColumn, {path(line, kNoColumn), e.path + ": " + e.message}});
        continue;
      }
      if (suppressed(ref.item.value_or(0), *ref.field)) continue;
      const int column = columnOf_[static_cast<std::size_t>(*ref.field)];
      house_.errors.push_back({line, column, {path(line, column), std::move(e.message)}});
    }
    if (house_.errors.empty()) {
      out_.emplace_back(sdk::DecodedFiling{std::move(house_.consignment), path(house_.line, kNoColumn)});
      return;
    }
    std::stable_sort(house_.errors.begin(), house_.errors.end(), [](const LineError& a, const LineError& b) {
      return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    sdk::Errors errors;
    for (auto& e : house_.errors) errors.push_back(std::move(e.error));
    budget_.report(std::move(errors), path(house_.line, kNoColumn), out_);
  }

  const Settings& settings_;
  CsvReader reader_;
  CsvRecord record_;
  ErrorBudget budget_;
  HouseIndex index_;
  std::deque<sdk::Decoded> out_;
  bool done_ = false;
  bool headerRead_ = false;
  bool grouped_ = false;
  std::vector<std::string> header_;
  std::vector<Field> fields_;
  std::array<int, kFieldCount> columnOf_{};
  std::string master_;
  std::uint64_t masterLine_ = 0;
  House house_;
};

}  // namespace

std::unique_ptr<sdk::Decoder> openCsvDecoder(sdk::ByteSource& input, const Settings& settings) {
  return std::make_unique<CsvManifestDecoder>(input, settings);
}

}  // namespace swhub::plugins::express_manifest
