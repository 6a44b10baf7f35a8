#include "schema_folder.hpp"

#include <system_error>
#include <vector>

namespace swhub::plugins::wco_dec {

namespace fs = std::filesystem;

SchemaFolder findSchemaFolder(const std::string& setting, const std::string& configDir, const char* variable,
                              const std::string& at) {
  SchemaFolder found;
  const bool fromVariable = variable != nullptr && *variable != '\0';
  const std::string written = fromVariable ? std::string(variable) : setting;
  fs::path path = written;
  std::error_code ec;
  if (path.is_relative()) {
    // The variable is typed in a shell: relative to the working folder. The setting is relative to
    // the config file's folder, like the hub's own paths.
    if (fromVariable) {
      path = fs::absolute(path, ec);
    } else if (!configDir.empty()) {
      path = fs::path(configDir) / path;
    }
  }
  found.path = path.lexically_normal();

  // 'dms-schemas' (/srv/swhub/config/dms-schemas), 'x' (SWHUB_WCO_DEC_SCHEMA_DIR): what was
  // written, where it came from when not the setting, and the folder it names when that differs.
  std::vector<std::string> notes;
  if (fromVariable) notes.push_back(kSchemaDirVariable);
  if (found.path.string() != written) notes.push_back(found.path.string());
  std::string shown = "'" + written + "'";
  for (std::size_t i = 0; i < notes.size(); ++i) shown += (i == 0 ? " (" : ", ") + notes[i];
  if (!notes.empty()) shown += ")";

  if (!fs::exists(found.path, ec)) {
    found.off = "DMS filings are off: the schema folder " + shown +
                " does not exist; install HMRC's DMS XSDs there or point " + kSchemaDirVariable +
                " at them (plugins/partners/wco_dec/README.md). Canonical JSON and XML filings still work; "
                "DMS responses (RES) cannot be encoded";
    return found;
  }
  if (!fs::is_directory(found.path, ec)) {
    found.errors.push_back({at, shown + " is not a folder"});
    return found;
  }
  for (const char* file : {kDecMetaData, kDecSchema, kResMetaData, kResSchema}) {
    if (!fs::is_regular_file(found.path / file, ec)) found.errors.push_back({at, shown + " has no " + file});
  }
  return found;
}

}  // namespace swhub::plugins::wco_dec
