#include "csv_reader.hpp"

namespace swhub::plugins::express_manifest {

void CsvReader::startField(CsvRecord& record) {
  if (record.too_long) return;
  if (record.count == record.fields.size()) record.fields.emplace_back();
  record.fields[record.count++].clear();
}

void CsvReader::append(CsvRecord& record, char c) {
  if (recordBytes_++ >= maxBytes_) record.too_long = true;
  if (!record.too_long) record.fields[record.count - 1].push_back(c);
}

CsvReader::Status CsvReader::next(CsvRecord& record) {
  record.count = 0;
  record.too_long = false;
  record.problems.clear();
  recordBytes_ = 0;

  if (first_) {  // a UTF-8 byte order mark is not part of the first column name
    first_ = false;
    if (input_.peek() == 0xEF) {
      input_.get();
      if (input_.get() != 0xBB || input_.get() != 0xBF) {
        fatal_ = "line 1: the input starts with a broken UTF-8 byte order mark";
        return Status::Fatal;
      }
    }
  }
  for (;;) {  // blank lines between records are skipped
    const int c = input_.peek();
    if (c == ChunkReader::kEnd) return Status::End;
    if (c == '\n') {
      input_.get();
      ++line_;
    } else if (c == '\r') {
      input_.get();
      if (input_.peek() != '\n') {
        record.line = line_;
        startField(record);
        record.problems.emplace_back(0, "a carriage return not followed by a line feed");
        break;
      }
    } else {
      break;
    }
  }
  if (record.count == 0) {
    record.line = line_;
    startField(record);
  }

  bool quoted = false;      // inside a quoted field
  bool afterQuote = false;  // a quoted field was closed: only a separator may follow
  bool fieldStart = true;
  for (;;) {
    const int c = input_.get();
    if (quoted) {
      if (c == ChunkReader::kEnd) {
        fatal_ = "line " + std::to_string(record.line) + ": a quoted field is not closed before the end of the input";
        return Status::Fatal;
      }
      if (c == '"') {
        if (input_.peek() == '"') {
          input_.get();
          append(record, '"');
        } else {
          quoted = false;
          afterQuote = true;
        }
        continue;
      }
      if (c == '\n') ++line_;
      append(record, static_cast<char>(c));
      continue;
    }
    if (c == ChunkReader::kEnd) return Status::Record;
    if (c == ',') {
      ++recordBytes_;
      startField(record);
      afterQuote = false;
      fieldStart = true;
      continue;
    }
    if (c == '\n') {
      ++line_;
      return Status::Record;
    }
    if (c == '\r' && input_.peek() == '\n') {
      input_.get();
      ++line_;
      return Status::Record;
    }
    const std::size_t field = record.count == 0 ? 0 : record.count - 1;
    if (c == '"' && fieldStart) {
      quoted = true;
      fieldStart = false;
      ++recordBytes_;
      continue;
    }
    fieldStart = false;
    if (afterQuote) {
      record.problems.emplace_back(field, "unexpected character after a closing quote: a quoted field ends at "
                                          "its closing quote (double a quote inside it)");
      afterQuote = false;
    } else if (c == '"') {
      record.problems.emplace_back(field, "a quote inside an unquoted field: quote the whole field and double "
                                          "the quotes inside it");
    } else if (c == '\r') {
      record.problems.emplace_back(field, "a carriage return not followed by a line feed");
    }
    append(record, static_cast<char>(c));
  }
}

}  // namespace swhub::plugins::express_manifest
