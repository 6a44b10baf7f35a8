#pragma once
// The SQL of the licence registry and its uses (journal/licences.hpp).

#include <optional>
#include <string>
#include <vector>

#include "journal/licences.hpp"
#include "journal/sqlite_db.hpp"

namespace swhub::journal::sqlite {

// Applies a batch's licence changes inside the caller's transaction. Returns why the batch must
// be refused (a licence that is missing or has less left than a write-down takes), or nullopt.
std::optional<std::string> applyLicenceChanges(Db& db, const std::vector<LicenceChange>& changes,
                                               const std::string& now);

std::optional<Licence> licenceById(Db& db, const std::string& agency, const std::string& id);
std::vector<Licence> licencesOf(Db& db, const std::string& agency);
std::vector<LicenceUse> usesOfCase(Db& db, const std::string& case_id);
std::vector<LicenceUse> usesOfLicence(Db& db, const std::string& agency, const std::string& id);
// On the writer, inside a transaction.
LicencePutResult putLicence(Db& db, const Licence& licence, LicencePut mode, const std::string& now);

}  // namespace swhub::journal::sqlite
