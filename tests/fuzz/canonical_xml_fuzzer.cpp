// libFuzzer target for the canonical XML codec (hub/src/model, xerces-c SAX2 validating against
// schemas/canonical/consignment.xsd): no crash, no sanitizer report, no exception; a body is
// decoded or refused with errors.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "fuzz_support.hpp"
#include "model/canonical_xml.hpp"

namespace {
std::unique_ptr<swhub::model::CanonicalXmlCodec> codec;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  codec = std::make_unique<swhub::model::CanonicalXmlCodec>(
      swhub::model::SchemaFile{std::string(SWHUB_SOURCE_ROOT) + "/schemas/canonical/consignment.xsd"});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)codec->decode(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
