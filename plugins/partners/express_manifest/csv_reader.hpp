#pragma once
// A strict, bounded, streaming RFC 4180 reader: quoted fields, "" escapes, commas and line breaks
// inside quotes, CRLF or LF. It holds one record at a time, at most max_record_bytes of it: a
// longer record is consumed to its end without being stored and flagged too long.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "chunk_reader.hpp"

namespace swhub::plugins::express_manifest {

struct CsvRecord {
  std::vector<std::string> fields;  // reused between records: only the first `count` are valid
  std::size_t count = 0;
  std::uint64_t line = 0;  // physical line (1-based) where the record starts
  bool too_long = false;
  std::vector<std::pair<std::size_t, std::string>> problems;  // field index, what is wrong
};

class CsvReader {
 public:
  enum class Status { Record, End, Fatal };

  CsvReader(sdk::ByteSource& source, std::size_t maxRecordBytes) : input_(source), maxBytes_(maxRecordBytes) {}

  /// Reads the next non-blank record into `record`. Fatal: the input cannot be read further
  /// (an unclosed quote at the end); fatalMessage() says why.
  Status next(CsvRecord& record);
  const std::string& fatalMessage() const { return fatal_; }

 private:
  void startField(CsvRecord& record);
  void append(CsvRecord& record, char c);

  ChunkReader input_;
  std::size_t maxBytes_;
  std::uint64_t line_ = 1;
  std::size_t recordBytes_ = 0;
  bool first_ = true;
  std::string fatal_;
};

}  // namespace swhub::plugins::express_manifest
