#include <gtest/gtest.h>

#include "examples.hpp"
#include "swhub/sdk/validate.hpp"

using namespace swhub::sdk;
using swhub::test::designConsignment;

TEST(modelCodeLists, CountryCodesAreTheAssignedOnes) {
  for (const char* code : {"PT", "CN", "AD", "ZW", "GB", "SS", "BQ", "AX"}) EXPECT_TRUE(isCountryCode(code)) << code;
  for (const char* code : {"XX", "XK", "UK", "EU", "ZZ", "pt", "P", "PRT", "", "AN"}) EXPECT_FALSE(isCountryCode(code)) << code;
}

TEST(modelCodeLists, CurrencyCodesAreActiveIso4217) {
  for (const char* code : {"EUR", "USD", "CNY", "AED", "ZWG", "XOF", "CHE"}) EXPECT_TRUE(isCurrencyCode(code)) << code;
  for (const char* code : {"EURO", "eur", "EU", "XTS", "XXX", "DEM", "HRK", "ABC", ""}) EXPECT_FALSE(isCurrencyCode(code)) << code;
}

TEST(modelCodeLists, HsCodesHaveSixToTenDigitsOfAnExistingChapter) {
  for (const char* code : {"851830", "0101210000", "97011000", "010121"}) EXPECT_TRUE(isHsCode(code)) << code;
  for (const char* code : {"8518", "85183000001", "001234", "770000", "980000", "99123456", "85183a", " 851830"})
    EXPECT_FALSE(isHsCode(code)) << code;
}

TEST(modelCodeLists, TimestampsAreRfc3339Utc) {
  for (const char* t : {"2026-11-29T08:00:00Z", "2024-02-29T23:59:59.123Z", "2026-12-31T23:59:60Z"})
    EXPECT_TRUE(isRfc3339Utc(t)) << t;
  for (const char* t : {"2026-11-29", "2026-11-29T08:00:00", "2026-11-29T08:00:00+01:00", "2025-02-29T00:00:00Z",
                        "2026-13-01T00:00:00Z", "2026-11-29t08:00:00z", "2026-11-29T24:00:00Z", "2026-11-29T08:00:00.Z"})
    EXPECT_FALSE(isRfc3339Utc(t)) << t;
}

TEST(modelValidateConsignment, DesignExampleIsValid) {
  EXPECT_EQ(validateConsignment(designConsignment(), PathStyle::JsonPointer), Errors{});
}

TEST(modelValidateConsignment, NamesTheBadValuesAsJsonPointers) {
  Consignment c = designConsignment();
  c.items[0].hs = "8518";
  c.items[0].origin = "XX";
  c.items[0].currency = "EURO";
  EXPECT_EQ(validateConsignment(c, PathStyle::JsonPointer),
            (Errors{{"/items/0/hs", "'8518' is not an HS code: 6 to 10 digits expected"},
                    {"/items/0/currency", "'EURO' is not an ISO 4217 currency code"},
                    {"/items/0/origin", "'XX' is not an ISO 3166-1 alpha-2 country code"}}));
}

TEST(modelValidateConsignment, UsesXPathsWhenAsked) {
  Consignment c = designConsignment();
  c.items.push_back(c.items[0]);
  c.items[1].sequence = 2;
  c.items[1].hs = "771234";
  c.items[1].documents = {{"", "X", -1.0}};
  EXPECT_EQ(validateConsignment(c, PathStyle::XPath),
            (Errors{{"/consignment/items/item[2]/hs", "'771234' is not an HS code: chapter 77 does not exist"},
                    {"/consignment/items/item[2]/documents/document[1]/type", "must not be empty"},
                    {"/consignment/items/item[2]/documents/document[1]/quantity", "must not be negative, got -1"}}));
}

TEST(modelValidateConsignment, ReportsEveryRuleAtOnce) {
  Consignment c = designConsignment();
  c.reference = "";
  c.version = 0;
  c.parties.buyer->country = "XX";
  c.transport.departure = "ZZ";
  c.transport.arrival = "tomorrow";
  c.fiscal.collected_at_sale = true;
  c.fiscal.tax_currency = "EURO";
  Item bad;
  bad.sequence = 1;  // duplicate of item 1
  bad.quantity = 0;
  bad.net_kg = 2;
  bad.gross_kg = 1;
  bad.value = Decimal::fromUnits(-10000);
  c.items.push_back(bad);
  EXPECT_EQ(validateConsignment(c, PathStyle::JsonPointer),
            (Errors{{"/reference", "must not be empty"},
                    {"/version", "must be at least 1, got 0"},
                    {"/parties/buyer/country", "'XX' is not an ISO 3166-1 alpha-2 country code"},
                    {"/transport/departure", "'ZZ' is not an ISO 3166-1 alpha-2 country code"},
                    {"/transport/arrival", "'tomorrow' is not an RFC 3339 UTC timestamp like 2026-11-29T08:00:00Z"},
                    {"/fiscal/registration", "required when tax was collected at sale"},
                    {"/fiscal/tax_currency", "'EURO' is not an ISO 4217 currency code"},
                    {"/items/1/description", "must not be empty"},
                    {"/items/1/hs", "must not be empty"},
                    {"/items/1/quantity", "must be greater than 0, got 0"},
                    {"/items/1/unit", "must not be empty"},
                    {"/items/1/net_kg", "net weight 2 kg exceeds gross weight 1 kg"},
                    {"/items/1/value", "must not be negative, got -1.00"},
                    {"/items/1/currency", "must not be empty"},
                    {"/items/1/origin", "must not be empty"},
                    {"/items/1/sequence", "sequence 1 is already used by /items/0"}}));
}

TEST(modelValidateConsignment, NeedsItemsUnlessFollowUp) {
  Consignment c = designConsignment();
  c.items.clear();
  EXPECT_EQ(validateConsignment(c, PathStyle::JsonPointer), (Errors{{"/items", "at least one item required"}}));
  c.filing = FilingKind::Cancellation;
  EXPECT_EQ(validateConsignment(c, PathStyle::JsonPointer), Errors{});
}

TEST(modelValidateConsignment, FollowUpNamesItsCase) {
  Consignment c = designConsignment();
  c.filing = FilingKind::Amendment;
  c.reference.clear();
  EXPECT_EQ(validateConsignment(c, PathStyle::JsonPointer),
            (Errors{{"/reference", "a filing of kind 'amendment' names the case it concerns: reference or case_id required"}}));
  c.case_id = "C-1";
  EXPECT_EQ(validateConsignment(c, PathStyle::JsonPointer), Errors{});
}

TEST(modelValidateConsignment, BoundsReferenceAndItemCount) {
  Consignment c = designConsignment();
  c.reference = std::string(65, 'R');
  c.items.resize(3, c.items[0]);
  c.items[1].sequence = 2;
  c.items[2].sequence = 3;
  EXPECT_EQ(validateConsignment(c, PathStyle::JsonPointer, 2),
            (Errors{{"/reference", "'" + std::string(64, 'R') + "...' is longer than 64 characters"},
                    {"/items", "3 items: at most 2 per consignment"}}));
}
