#pragma once
// Where the official DMS XSDs are. They are not part of the repository (HMRC publishes them), so a
// fresh checkout has none: the hub must start all the same, with DMS switched off and saying why.
//
// The folder is SWHUB_WCO_DEC_SCHEMA_DIR when that is set and not empty (relative to the working
// folder), else the `schema_dir` setting (relative to the config file's folder). A folder that
// does not exist switches DMS off; one that exists but is not a complete schema folder (a file
// where the folder should be, a required XSD missing) was clearly meant to be used, so it is a
// configuration error that stops the hub.

#include <filesystem>
#include <string>

#include "swhub/sdk/status.hpp"

namespace swhub::plugins::wco_dec {

/// The environment variable that overrides `schema_dir` for every wco_dec partner.
inline constexpr const char* kSchemaDirVariable = "SWHUB_WCO_DEC_SCHEMA_DIR";

/// The official files, relative to the folder (the layout of hmrc/customs-declarations
/// public/api/conf/1.0/schemas/wco).
inline constexpr const char* kDecMetaData = "declaration/DocumentMetaData_2_DMS.xsd";
inline constexpr const char* kDecSchema = "declaration/WCO_DEC_2_DMS.xsd";
inline constexpr const char* kResMetaData = "notification/DocumentMetaData_2_DMS.xsd";
inline constexpr const char* kResSchema = "notification/WCO_RES_2_DMS.xsd";

struct SchemaFolder {
  std::filesystem::path path;  ///< the folder to read, absolute and normal
  std::string off;             ///< why DMS is off when the folder does not exist; "" when it is there
  sdk::Errors errors;          ///< the folder exists but cannot be used
};

/// `setting`: `schema_dir` as written; `configDir`: the config file's folder ("" when unknown);
/// `variable`: the value of SWHUB_WCO_DEC_SCHEMA_DIR, nullptr when unset; `at`: the dotted path
/// of `schema_dir`, for the errors.
SchemaFolder findSchemaFolder(const std::string& setting, const std::string& configDir, const char* variable,
                              const std::string& at);

}  // namespace swhub::plugins::wco_dec
