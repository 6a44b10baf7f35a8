#pragma once
// Pulls bytes from a ByteSource in fixed-size chunks: the only input buffer of a decoder, so its
// memory does not depend on the length of the manifest.

#include <cstddef>
#include <memory>

#include "swhub/sdk/plugin.hpp"

namespace swhub::plugins::express_manifest {

class ChunkReader {
 public:
  static constexpr std::size_t kChunkBytes = 16384;
  static constexpr int kEnd = -1;

  explicit ChunkReader(sdk::ByteSource& source) : source_(source), buffer_(new char[kChunkBytes]) {}

  /// The next byte (0..255), or kEnd.
  int get() {
    if (pos_ == end_ && !fill()) return kEnd;
    return static_cast<unsigned char>(buffer_[pos_++]);
  }
  int peek() {
    if (pos_ == end_ && !fill()) return kEnd;
    return static_cast<unsigned char>(buffer_[pos_]);
  }

 private:
  bool fill() {
    if (eof_) return false;
    end_ = source_.read(buffer_.get(), kChunkBytes);
    pos_ = 0;
    if (end_ == 0) eof_ = true;
    return !eof_;
  }

  sdk::ByteSource& source_;
  std::unique_ptr<char[]> buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool eof_ = false;
};

}  // namespace swhub::plugins::express_manifest
