#include "common/calendar_day.hpp"

#include <charconv>
#include <cstdio>

namespace swhub::common {

std::optional<std::chrono::sys_days> parseDay(const std::string& text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  if (text.size() > 10 && text[10] != 'T') return std::nullopt;
  auto number = [&](std::size_t at, std::size_t len, auto& into) {
    const char* begin = text.data() + at;
    auto [end, ec] = std::from_chars(begin, begin + len, into);
    return ec == std::errc() && end == begin + len;
  };
  int y = 0;
  unsigned m = 0, d = 0;
  if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

std::string dayText(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd{day};
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return out;
}

}  // namespace swhub::common
