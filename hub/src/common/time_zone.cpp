#include "common/time_zone.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace swhub::common {
namespace {

std::int64_t bigEndian(const std::string& bytes, std::size_t at, std::size_t width) {
  if (at + width > bytes.size()) throw std::out_of_range("truncated");
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  if (width == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

bool safeName(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' || c == '_' ||
           c == '-' || c == '+';
  });
}

}  // namespace

TimeZone TimeZone::utc() { return TimeZone(); }

TimeZone TimeZone::load(const std::string& name, const std::string& zoneinfoDir) {
  if (name == "UTC" || name == "Etc/UTC") return utc();
  if (!safeName(name)) throw std::invalid_argument("'" + name + "' is not a time zone name (e.g. Europe/Lisbon or UTC)");
  std::string dir = zoneinfoDir;
  if (dir.empty()) {
    const char* env = std::getenv("TZDIR");
    dir = env != nullptr && *env != '\0' ? env : "/usr/share/zoneinfo";
  }
  const std::string path = dir + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::invalid_argument("unknown time zone '" + name + "' (no " + path + "; is tzdata installed?)");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  TimeZone zone;
  zone.name_ = name;
  try {
    if (bytes.compare(0, 4, "TZif") != 0) throw std::out_of_range("not TZif");
    // Header: magic, version, 15 unused bytes, then six counts.
    auto counts = [&](std::size_t at) {
      std::vector<std::int64_t> c;
      for (int i = 0; i < 6; ++i) c.push_back(bigEndian(bytes, at + 20 + 4 * i, 4));
      return c;  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
    };
    auto blockSize = [](const std::vector<std::int64_t>& c, std::size_t timeWidth) {
      return static_cast<std::size_t>(c[3] * timeWidth + c[3] + c[4] * 6 + c[5] + c[2] * (timeWidth + 4) + c[1] + c[0]);
    };
    std::size_t header = 0;
    std::size_t width = 4;
    auto c = counts(header);
    if (bytes[4] >= '2') {  // the 64-bit block follows the 32-bit one
      header = 44 + blockSize(c, 4);
      if (bytes.compare(header, 4, "TZif") != 0) throw std::out_of_range("no second header");
      c = counts(header);
      width = 8;
    }
    const std::size_t times = header + 44;
    const std::size_t indices = times + static_cast<std::size_t>(c[3]) * width;
    const std::size_t types = indices + static_cast<std::size_t>(c[3]);
    std::vector<std::int32_t> typeOffsets;
    for (std::int64_t t = 0; t < c[4]; ++t) {
      typeOffsets.push_back(static_cast<std::int32_t>(bigEndian(bytes, types + static_cast<std::size_t>(t) * 6, 4)));
    }
    if (typeOffsets.empty()) throw std::out_of_range("no local time types");
    zone.initial_ = typeOffsets.front();
    for (std::int64_t i = 0; i < c[3]; ++i) {
      const auto at = bigEndian(bytes, times + static_cast<std::size_t>(i) * width, width);
      const auto type = static_cast<unsigned char>(bytes.at(indices + static_cast<std::size_t>(i)));
      if (type >= typeOffsets.size()) throw std::out_of_range("bad type index");
      zone.transitions_.push_back(at);
      zone.offsets_.push_back(typeOffsets[type]);
    }
  } catch (const std::out_of_range&) {
    throw std::invalid_argument("time zone '" + name + "': " + path + " is not a readable zoneinfo (TZif) file");
  }
  return zone;
}

std::int64_t TimeZone::offsetAt(std::int64_t utcSeconds) const {
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utcSeconds);
  if (it == transitions_.begin()) return initial_;
  return offsets_[static_cast<std::size_t>(it - transitions_.begin()) - 1];
}

std::int64_t TimeZone::toUtc(std::int64_t localSeconds) const {
  // Try the offsets in force around the wall time: the earliest instant whose local time is it.
  const std::int64_t before = localSeconds - offsetAt(localSeconds - 86400);
  if (before + offsetAt(before) == localSeconds) return before;
  const std::int64_t after = localSeconds - offsetAt(localSeconds + 86400);
  if (after + offsetAt(after) == localSeconds) return after;
  // Skipped by a change (a gap): the instant of the change itself.
  const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), std::min(before, after));
  return it == transitions_.end() ? after : *it;
}

}  // namespace swhub::common
