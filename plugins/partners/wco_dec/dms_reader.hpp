#pragma once
// Reads one XML document with xerces-c SAX2, validated against a locked grammar pool, into a small
// element tree that keeps an XPath-like path and the line of every element.
//
// Hardening (DESIGN.md "Security rules"): the body is capped before parsing; a DOCTYPE is an error
// (so no DTD, no internal or external entity is ever read); every entity resolution is refused
// (the grammar comes from the pool only; schemaLocation hints are ignored); element depth and
// entity expansion are bounded.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <xercesc/framework/XMLGrammarPool.hpp>

#include "swhub/sdk/status.hpp"

namespace swhub::plugins::wco_dec {

/// One element: local name, namespace, text (concatenated character data), attributes, children.
struct XmlNode {
  std::string name;
  std::string ns;
  std::string path;  ///< "/MetaData/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[2]"
  int line = 0;
  std::string text;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<std::unique_ptr<XmlNode>> children;

  /// The first child with this local name, or nullptr.
  const XmlNode* child(std::string_view local) const;
  /// Every child with this local name, in order.
  std::vector<const XmlNode*> all(std::string_view local) const;
  /// Follows "A/B/C" through first children; nullptr when a step is missing.
  const XmlNode* find(std::string_view relative) const;
  /// Trimmed text of find(relative), "" when missing.
  std::string value(std::string_view relative) const;
  /// The attribute's value, "" when missing.
  std::string attribute(std::string_view local) const;
};

struct ReadLimits {
  std::size_t max_bytes = 4u << 20;
  std::size_t max_depth = 64;
  std::size_t max_errors = 50;  ///< then one "further errors omitted" and the parse stops
};

/// The root element a message must have: anything else is refused at once (one clear error
/// instead of one per element that the grammar does not know).
struct ExpectedRoot {
  std::string ns;
  std::string name;
  std::string prefixed;  ///< for the message: "md:MetaData"
};

/// The root element, or the errors: parser and schema errors carry the element's path and end
/// with "(line L, column C)".
struct ReadResult {
  std::unique_ptr<XmlNode> root;
  sdk::Errors errors;
};

/// `pool` is this parse's alone while it runs (a GrammarCache lease): xerces fills a grammar in
/// on first use, so two parses must not share one.
ReadResult readValidated(std::string_view body, xercesc::XMLGrammarPool* pool, const ExpectedRoot& root,
                         const ReadLimits& limits);

}  // namespace swhub::plugins::wco_dec
