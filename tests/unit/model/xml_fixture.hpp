#pragma once
// One codec for the whole test program: the XSD is compiled once, as in the hub.

#include <memory>
#include <string>

#include "model/canonical_xml.hpp"

namespace swhub::test {

inline const std::string kXsdPath = SWHUB_SOURCE_ROOT "/schemas/canonical/consignment.xsd";

inline const model::CanonicalXmlCodec& xmlCodec() {
  static const auto codec = std::make_unique<model::CanonicalXmlCodec>(model::SchemaFile{kXsdPath});
  return *codec;
}

/// `xml` with the first `from` replaced by `to`.
inline std::string replaced(std::string xml, const std::string& from, const std::string& to) {
  return xml.replace(xml.find(from), from.size(), to);
}

}  // namespace swhub::test
