#pragma once
// One postal item as read from the XML, before it is mapped: every value keeps the path and
// position of its element, so that any later check can say where the problem is.

#include <string>
#include <vector>

#include "swhub/sdk/status.hpp"

namespace swhub::plugins::upu_post {

/// A leaf element: its text, and where it is (or, while absent, where it belongs).
struct RawField {
  std::string text;
  std::string path;
  int line = 0;
  int column = 0;
  bool present = false;
};

struct RawParty {
  std::string path;
  int line = 0, column = 0;
  bool present = false;
  RawField name, id, address, postcode, city, country;
};

struct RawContent {
  std::string path;
  int line = 0, column = 0;
  RawField description, quantity, netWeight, value, currency, hsCode, originCountry;
};

struct RawItem {
  std::string path;  ///< "/postalItems/item[2]"
  int line = 0, column = 0;
  RawField itemId, category, currency, totalValue, postage, grossWeight, licence, certificate, invoice, ioss,
      dispatchId, receptacleId, expectedArrival;
  RawParty sender, addressee;
  std::vector<RawContent> contents;
  sdk::Errors errors;  ///< found while reading (schema, syntax), each with its path and position
};

/// " (line L, column C)", or "" when the position is unknown.
inline std::string position(int line, int column) {
  if (line <= 0) return {};
  return " (line " + std::to_string(line) + ", column " + std::to_string(column) + ")";
}

}  // namespace swhub::plugins::upu_post
