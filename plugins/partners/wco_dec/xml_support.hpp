#pragma once
// The pieces of the XML plugins' support library (plugins/support/xml) that wco_dec uses:
// xerces-c start-up, UTF-16 <-> UTF-8 without a xerces lock, and SAX handler helpers.

#include "xml/parsing.hpp"
#include "xml/utf.hpp"
#include "xml/xerces_runtime.hpp"

namespace swhub::plugins::wco_dec {

using xml::appendUtf8;
using xml::StopParsing;
using xml::toUtf8;
using xml::toXml;
using xml::trim;
using xml::validationMessage;
using xml::XercesRuntime;

}  // namespace swhub::plugins::wco_dec
