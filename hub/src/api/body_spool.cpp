#include "api/body_spool.hpp"

#include <cstdio>
#include <string_view>
#include <system_error>
#include <vector>

#include "common/sha256.hpp"

namespace swhub::api {
namespace {

constexpr std::int64_t kDrainFactor = 16;
constexpr std::size_t kReadChunk = 65536;

void drain(std::istream& in, std::int64_t atMost) {
  char buffer[16384];
  while (atMost > 0 && (in.read(buffer, sizeof buffer) || in.gcount() > 0)) atMost -= in.gcount();
}


struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};

}  // namespace

ReceivedBody receiveBody(std::istream& in, std::int64_t contentLength, std::int64_t limit, std::int64_t memoryLimit,
                         const std::filesystem::path& folder) {
  ReceivedBody body;
  if (contentLength > limit) {
    if (contentLength <= limit * kDrainFactor) drain(in, contentLength);
    body.status = ReceivedBody::Status::TooLarge;
    return body;
  }
  if (contentLength >= 0 && contentLength <= memoryLimit) body.bytes.reserve(static_cast<std::size_t>(contentLength));
  std::unique_ptr<std::FILE, FileCloser> out;
  common::Sha256 sha;
  std::vector<char> buffer(kReadChunk);
  auto spool = [&](const char* data, std::size_t size) {
    if (std::fwrite(data, 1, size, out.get()) != size) {
      body.status = ReceivedBody::Status::Failed;
      body.error = "cannot write the spool file " + body.file->path().string();
    }
    sha.update(std::string_view(data, size));
  };
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    const auto n = static_cast<std::size_t>(in.gcount());
    body.size += static_cast<std::int64_t>(n);
    if (body.size > limit) {
      drain(in, limit * kDrainFactor);
      body.status = ReceivedBody::Status::TooLarge;
      body.file.reset();
      return body;
    }
    if (!out && body.size > memoryLimit) {
      // Past the memory limit: what was kept so far goes first into the spool file.
      body.file = std::make_unique<SpoolFile>(spoolPath(folder, ".body"));
      out.reset(std::fopen(body.file->path().c_str(), "wb"));
      if (!out) {
        drain(in, limit);
        body.status = ReceivedBody::Status::Failed;
        body.error = "cannot create the spool file " + body.file->path().string();
        body.file.reset();
        return body;
      }
      spool(body.bytes.data(), body.bytes.size());
      std::string().swap(body.bytes);
    }
    if (out) {
      spool(buffer.data(), n);
      if (body.status == ReceivedBody::Status::Failed) {
        drain(in, limit);
        body.file.reset();
        return body;
      }
    } else {
      body.bytes.append(buffer.data(), n);
    }
  }
  if (out) {
    if (std::fflush(out.get()) != 0) {
      body.status = ReceivedBody::Status::Failed;
      body.error = "cannot write the spool file " + body.file->path().string();
      body.file.reset();
      return body;
    }
    body.digest = "sha256:" + sha.hex();
  }
  return body;
}

}  // namespace swhub::api
