#pragma once
// The OpenAPI 3.1 document of the HTTP API (schemas/openapi.yaml), compiled into the hub and
// served at GET /v1/openapi.yaml, and the canonical consignment's JSON Schema it references
// (GET /v1/canonical/consignment.schema.json): no file is looked up at run time.

#include <string_view>

namespace swhub::api {

std::string_view openApiDocument();
// schemas/canonical/consignment.schema.json, which the document references (served beside it).
std::string_view consignmentJsonSchema();

}  // namespace swhub::api
