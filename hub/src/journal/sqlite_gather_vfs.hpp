#pragma once
// A VFS shim for the journal's writer: it gathers what SQLite writes to a WAL file into one
// write call. SQLite writes each WAL frame as two calls (its 24-byte header, then the page), so
// a commit of 300 pages made 600 system calls, and a 200,000-line manifest's staging some
// 17,000 a second; gathered, consecutive writes go out in one call of up to 96 KiB.
//
// Nothing becomes visible or durable later than it did: the gathered bytes are written before
// the file is synced (a commit in synchronous=FULL syncs the WAL before it publishes the frames
// to readers in the WAL index), read, truncated, measured, controlled or closed, and before any
// write that does not follow them. Every other file (the database, its shared memory, temporary
// files) is the base VFS's own, untouched.

#include <string>

namespace swhub::journal::sqlite {

// The name of the gathering VFS over `base` ("" = SQLite's default), registered on first use.
// When no VFS is named `base`, `base` itself (so that opening fails, naming it).
std::string gatheringVfs(const std::string& base);

}  // namespace swhub::journal::sqlite
