#pragma once
// A supporting document as every answer shows it (the case view, an upload's receipt, a task
// offered again after a document): its digest, type, code, id, media type, size and who uploaded
// it when. README "Supporting documents".

#include "journal/journal.hpp"
#include "model/json_writer.hpp"

namespace swhub::release {

void writeDocumentFields(model::ObjectWriter& o, const journal::CaseDocument& d);

}  // namespace swhub::release
