#pragma once
// The operator console (GET /console/): plain HTML, CSS and JavaScript from hub/console/,
// compiled into the binary (hub/CMakeLists.txt), so that nothing is looked up on disk at run time
// and no path a client sends can reach a file: a name is found in the table or it is a 404.

#include <string_view>
#include <vector>

#include "api/http_result.hpp"

namespace swhub::api {

struct ConsoleFile {
  std::string_view name;  // "index.html": the file's name in hub/console/ (no folders)
  std::string_view body;
};

// Every file of hub/console/ (generated: embedded_console.cpp).
const std::vector<ConsoleFile>& consoleFiles();

// The media type of a console file by its extension ("text/html; charset=utf-8"); "" when the
// console serves no such kind of file.
std::string_view consoleMediaType(std::string_view name);

// GET /console/ ("" = index.html) and /console/{file}: the file with its media type and the
// console's security headers (a Content-Security-Policy that allows only the hub's own scripts,
// styles and API, nosniff, no referrer, not framed); a 404 problem for a name not in the table.
HttpResult consoleFile(std::string_view name);

// GET /console: to /console/, so that the page's relative links resolve under it.
HttpResult consoleRedirect();

}  // namespace swhub::api
