// One item's licence against the agency's registry (README "Licences and certificates"): table-driven, every
// refusal with its exact reason; the expiry day and the first day are valid, the day after and
// the day before are not; a partial quantity takes only what is left.

#include <gtest/gtest.h>

#include <ostream>

#include "common/calendar_day.hpp"
#include "release/licence_control.hpp"

namespace swhub::release {
namespace {

const LicenceRequirement kVet{"veterinary-certificate", {"0201", "0202"}, {"C640"}};

struct Row {
  const char* name;
  bool documented = true;                   // the item carries a C640
  std::optional<double> documentQuantity = 1;
  bool registered = true;
  const char* type = "C640";
  const char* holder = "PT-IMP-1";
  const char* importer = "PT-IMP-1";
  const char* filedOn = "2026-06-15";
  std::int64_t remaining = 10000;           // 1.0
  std::int64_t held = 0;                    // what the case holds already
  LicenceVerdict verdict = LicenceVerdict::Ok;
  std::int64_t quantity = 0;                // taken, when Ok
  const char* reason = "";
};

// A row is shown by its name (not as 112 bytes of hex in CTest's list).
void PrintTo(const Row& row, std::ostream* out) { *out << row.name; }

const Row kRows[] = {
    {"valid", true, 1, true, "C640", "PT-IMP-1", "PT-IMP-1", "2026-06-15", 10000, 0, LicenceVerdict::Ok, 10000, ""},
    {"missing", false, 1, true, "C640", "PT-IMP-1", "PT-IMP-1", "2026-06-15", 10000, 0, LicenceVerdict::Missing, 0,
     "licence missing: item 1 (HS 020130) needs a document of type C640 (veterinary-certificate)"},
    {"unknown", true, 1, false, "C640", "PT-IMP-1", "PT-IMP-1", "2026-06-15", 10000, 0, LicenceVerdict::Unknown, 0,
     "licence unknown: C640 'VET-1' is not in the registry of agency 'veterinary'"},
    {"another type", true, 1, true, "C641", "PT-IMP-1", "PT-IMP-1", "2026-06-15", 10000, 0, LicenceVerdict::Unknown, 0,
     "licence unknown: C640 'VET-1' is not in the registry of agency 'veterinary' (it is registered as a C641)"},
    {"expiry day itself", true, 1, true, "C640", "PT-IMP-1", "PT-IMP-1", "2026-12-31", 10000, 0, LicenceVerdict::Ok,
     10000, ""},
    {"day after expiry", true, 1, true, "C640", "PT-IMP-1", "PT-IMP-1", "2027-01-01", 10000, 0, LicenceVerdict::Expired,
     0, "licence expired: 'VET-1' was valid until 2026-12-31, the case was filed on 2027-01-01"},
    {"first day", true, 1, true, "C640", "PT-IMP-1", "PT-IMP-1", "2026-01-01", 10000, 0, LicenceVerdict::Ok, 10000, ""},
    {"day before", true, 1, true, "C640", "PT-IMP-1", "PT-IMP-1", "2025-12-31", 10000, 0, LicenceVerdict::NotYetValid,
     0, "licence not yet valid: 'VET-1' is valid from 2026-01-01, the case was filed on 2025-12-31"},
    {"foreign", true, 1, true, "C640", "PT-OTHER", "PT-IMP-1", "2026-06-15", 10000, 0, LicenceVerdict::Foreign, 0,
     "licence foreign: 'VET-1' belongs to PT-OTHER, not to the importer PT-IMP-1"},
    {"buyer without id", true, 1, true, "C640", "PT-IMP-1", "", "2026-06-15", 10000, 0, LicenceVerdict::Foreign, 0,
     "licence foreign: 'VET-1' belongs to PT-IMP-1, not to the importer (the buyer has no id)"},
    {"exhausted", true, 1, true, "C640", "PT-IMP-1", "PT-IMP-1", "2026-06-15", 0, 0, LicenceVerdict::Exhausted, 0,
     "licence exhausted: 'VET-1' has 0.00 left, item 1 (HS 020130) needs 1.00"},
    {"less left than filed", true, 1, true, "C640", "PT-IMP-1", "PT-IMP-1", "2026-06-15", 5000, 0,
     LicenceVerdict::Exhausted, 0, "licence exhausted: 'VET-1' has 0.50 left, item 1 (HS 020130) needs 1.00"},
    {"partial quantity", true, 0.5, true, "C640", "PT-IMP-1", "PT-IMP-1", "2026-06-15", 5000, 0, LicenceVerdict::Ok,
     5000, ""},
    {"no document quantity: the item's", true, std::nullopt, true, "C640", "PT-IMP-1", "PT-IMP-1", "2026-06-15", 10000,
     0, LicenceVerdict::Exhausted, 0, "licence exhausted: 'VET-1' has 1.00 left, item 1 (HS 020130) needs 2.00"},
    {"held already: takes the difference", true, 1, true, "C640", "PT-IMP-1", "PT-IMP-1", "2026-06-15", 0, 10000,
     LicenceVerdict::Ok, 10000, ""},
    {"no quantity", true, 0, true, "C640", "PT-IMP-1", "PT-IMP-1", "2026-06-15", 10000, 0, LicenceVerdict::NoQuantity, 0,
     "licence quantity: item 1 (HS 020130) takes no quantity of 'VET-1' (neither the document nor the item states one "
     "above 0)"},
};

class release_licence_check : public ::testing::TestWithParam<Row> {};

TEST_P(release_licence_check, VerdictAndReason) {
  const Row& row = GetParam();
  sdk::Item item;
  item.sequence = 1;
  item.hs = "020130";
  item.quantity = 2;
  if (row.documented) item.documents.push_back({"C640", "VET-1", row.documentQuantity});
  item.documents.push_back({"N935", "INV-7", std::nullopt});
  std::optional<journal::Licence> entry;
  if (row.registered) {
    entry = journal::Licence{"veterinary", "VET-1", row.type, row.holder, "2026-01-01", "2026-12-31", 10000,
                             row.remaining, ""};
  }
  const LicenceCheck checked =
      LicenceControl::check(kVet, item, row.importer, "veterinary", entry, *common::parseDay(row.filedOn), row.held);
  EXPECT_EQ(checked.verdict, row.verdict);
  EXPECT_EQ(checked.reason, row.reason);
  if (row.verdict == LicenceVerdict::Ok) {
    EXPECT_EQ(checked.quantity, row.quantity);
    EXPECT_EQ(checked.licence_id, "VET-1");
    EXPECT_EQ(checked.code, "");
  } else {
    EXPECT_EQ(checked.code.rfind("LICENCE-", 0), 0u) << checked.code;
  }
}

INSTANTIATE_TEST_SUITE_P(Rows, release_licence_check, ::testing::ValuesIn(kRows),
                         [](const ::testing::TestParamInfo<Row>& info) {
                           std::string name;
                           for (const char* c = info.param.name; *c; ++c) name += std::isalnum(*c) ? *c : '_';
                           return name;
                         });

TEST(release_licence_scope, ItemsInScopeByHsPrefixOnlyForAgenciesThatRequireLicences) {
  const LicenceControl control({{"veterinary", {kVet}}});
  sdk::Item beef;
  beef.hs = "020230";
  sdk::Item pork;
  pork.hs = "020311";
  EXPECT_NE(control.scope("veterinary", beef), nullptr);
  EXPECT_EQ(control.scope("veterinary", pork), nullptr);
  EXPECT_EQ(control.scope("food-safety", beef), nullptr);
  EXPECT_TRUE(control.governs("veterinary"));
  EXPECT_FALSE(control.governs("food-safety"));
}

TEST(release_licence_days, RealDaysOnly) {
  EXPECT_TRUE(common::parseDay("2026-02-28"));
  EXPECT_TRUE(common::parseDay("2026-12-06T10:00:00.000Z"));
  EXPECT_FALSE(common::parseDay("2026-02-30"));
  EXPECT_FALSE(common::parseDay("2026-13-01"));
  EXPECT_FALSE(common::parseDay("26-12-06"));
  EXPECT_EQ(common::dayText(*common::parseDay("2026-12-06T23:59:59Z")), "2026-12-06");
}

}  // namespace
}  // namespace swhub::release
