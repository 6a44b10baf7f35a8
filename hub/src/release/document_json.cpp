#include "release/document_json.hpp"

#include "common/actor.hpp"
#include "common/instant.hpp"

namespace swhub::release {

void writeDocumentFields(model::ObjectWriter& o, const journal::CaseDocument& d) {
  o.string("digest", d.digest, true);
  o.string("type", d.type, true);
  if (d.code.empty()) {
    o.raw("code", "null");
  } else {
    o.string("code", d.code, true);
  }
  o.string("id", d.id, true);
  o.string("media_type", d.media_type, true);
  o.integer("size", d.size);
  o.string("uploaded_by", common::toString(d.uploaded_by), true);
  o.string("uploaded_at", common::toString(d.uploaded_at), true);
}

}  // namespace swhub::release
