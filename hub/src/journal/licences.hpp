#pragma once
// OGA licences and certificates in the journal: an agency's registry (what each licence allows,
// to whom, for how long, how much is left) and the uses of it by cases. Quantities are kept in
// ten-thousandths (sdk::Decimal units): exact, and comparable by the store itself.

#include <cstdint>
#include <string>
#include <vector>

namespace swhub::journal {

struct Licence {
  std::string agency;      // the agency whose registry holds it
  std::string id;          // as filed in an item's documents
  std::string type;        // the document type it is filed under ("C640")
  std::string holder;      // the importer it belongs to (the buyer's id as filed)
  std::string valid_from;  // YYYY-MM-DD, inclusive
  std::string valid_to;    // YYYY-MM-DD, inclusive: valid on its expiry day
  std::int64_t quantity = 0;   // granted, in units of 1/10000
  std::int64_t remaining = 0;  // not yet written down; never below 0 (a CHECK of the table)
  std::string updated_at;
};

// What a case holds of a licence for one item of one agency's decision.
struct LicenceUse {
  std::string case_id;
  std::string agency;
  int item = 0;
  std::string licence_id;
  std::int64_t quantity = 0;  // units of 1/10000, > 0
  std::string at;
};

// A change of one case's use of a licence, applied with the batch's case update: `quantity` is
// the use after it (0 = given back whole). The store takes the difference from the use it holds
// off the licence's remaining quantity (or gives it back); a write-down is made only while the
// licence has that much left, otherwise the whole batch is refused (Stale) and the caller plans
// again, so two cases can never both take the last unit.
struct LicenceChange {
  std::string agency;
  std::string licence_id;
  std::string case_id;
  int item = 0;
  std::int64_t quantity = 0;
};

// How putLicence writes: add a new one, add it unless it exists (seeding from a file at start),
// or update an existing one.
enum class LicencePut { Insert, InsertIfAbsent, Update };

struct LicencePutResult {
  enum class Status { Written, Unchanged, Exists, Missing, BelowUsed };
  Status status = Status::Written;
  Licence stored;  // the licence as stored after the call (Written, Unchanged, Exists, BelowUsed)
};

}  // namespace swhub::journal
