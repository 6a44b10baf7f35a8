#pragma once
// Large request bodies go through spool files rather than memory: a body above the memory limit
// is streamed into <spool folder>/<random>.body while its SHA-256 is computed
// (intake/spool_file.hpp: the files themselves).

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <string>

#include "api/http_result.hpp"
#include "intake/spool_file.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::api {

// Spool files, file and string sources and streamed bodies live with the intake pipeline.
using intake::FileSource;
using intake::jsonQuoted;
using intake::kSpoolThreshold;
using intake::spoolFolder;
using intake::spoolPath;
using intake::SpoolFile;
using intake::StreamedBody;

// A request body as received.
struct ReceivedBody {
  enum class Status { Ok, TooLarge, Failed };
  Status status = Status::Ok;
  std::string bytes;                  // the body when it stayed in memory
  std::unique_ptr<SpoolFile> file;    // the body when it was spooled (bytes empty)
  std::int64_t size = 0;
  std::string digest;                 // "sha256:<hex>" when spooled
  std::string error;                  // for Failed: why the spool file could not be written
};

// Reads `in` (`contentLength` < 0: unknown) up to `limit` bytes: in memory up to `memoryLimit`,
// then into a spool file in `folder`. Past `limit` the rest is drained up to 16 times the limit
// (so that the client reads its 413) and TooLarge is returned.
ReceivedBody receiveBody(std::istream& in, std::int64_t contentLength, std::int64_t limit, std::int64_t memoryLimit,
                         const std::filesystem::path& folder);

// What the filing path answers: a result, whose body may come from a stream instead.
struct FilingOutcome {
  HttpResult result;
  std::optional<StreamedBody> stream;  // set: result.body is empty, send this instead
};

}  // namespace swhub::api
