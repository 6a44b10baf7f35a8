#include <gtest/gtest.h>

#include "swhub/sdk/model.hpp"

using swhub::sdk::Decimal;

TEST(modelDecimal, ParsesPlainDecimals) {
  EXPECT_EQ(Decimal::parse("45")->units(), 450000);
  EXPECT_EQ(Decimal::parse("45.5")->units(), 455000);
  EXPECT_EQ(Decimal::parse("0.0001")->units(), 1);
  EXPECT_EQ(Decimal::parse("-0.0001")->units(), -1);
  EXPECT_EQ(Decimal::parse("007.10")->units(), 71000);
}

TEST(modelDecimal, RefusesWhatIsNotAPlainDecimal) {
  for (const char* text : {"", "-", ".5", "45.", "4 5", "1e3", "+1", "0x10", "45.00001", "1.2.3", "abc", "45,00"})
    EXPECT_FALSE(Decimal::parse(text).has_value()) << text;
}

TEST(modelDecimal, RefusesOutOfRange) {
  EXPECT_FALSE(Decimal::parse("99999999999999999999").has_value());
  EXPECT_TRUE(Decimal::parse("900000000000000").has_value());
}

TEST(modelDecimal, FormatsWithAtLeastTwoFractionDigits) {
  EXPECT_EQ(Decimal::fromUnits(450000).toString(), "45.00");
  EXPECT_EQ(Decimal::fromUnits(1250).toString(), "0.125");
  EXPECT_EQ(Decimal::fromUnits(1).toString(), "0.0001");
  EXPECT_EQ(Decimal::fromUnits(-1).toString(), "-0.0001");
  EXPECT_EQ(Decimal::fromUnits(-455000).toString(), "-45.50");
  EXPECT_EQ(Decimal().toString(), "0.00");
}

TEST(modelDecimal, RoundsDoublesHalfAwayFromZero) {
  EXPECT_EQ(Decimal::fromDouble(0.1)->units(), 1000);
  EXPECT_EQ(Decimal::fromDouble(0.00005)->units(), 1);
  EXPECT_EQ(Decimal::fromDouble(-0.00005)->units(), -1);
  EXPECT_EQ(Decimal::fromDouble(45.0)->toString(), "45.00");
  EXPECT_FALSE(Decimal::fromDouble(1.0 / 0.0).has_value());
  EXPECT_FALSE(Decimal::fromDouble(1e300).has_value());
}

TEST(modelEnums, SpellingsRoundTrip) {
  using namespace swhub::sdk;
  EXPECT_EQ(toString(FilingKind::PreArrival), "pre-arrival");
  EXPECT_EQ(parseFilingKind("pre-loading"), FilingKind::PreLoading);
  EXPECT_FALSE(parseFilingKind("Pre-Arrival").has_value());
  EXPECT_EQ(allowedNatures(), "sale, gift, sample, return, documents, other");
  EXPECT_EQ(allowedFilingKinds(),
            "pre-loading, pre-arrival, declaration, amendment, cancellation, arrival, return, supplementary, "
            "final-supplementary");
  EXPECT_EQ(allowedCollectionModels(), "vendor, intermediary, consumer, account");
  EXPECT_EQ(allowedTransportModes(), "air, sea, road, rail, post, multimodal");
  EXPECT_EQ(parseTransportMode("post"), TransportMode::Post);
  EXPECT_EQ(toString(CollectionModel::Intermediary), "intermediary");
}

TEST(modelEnums, FollowUpFilingsConcernAnExistingCase) {
  using swhub::sdk::FilingKind;
  EXPECT_TRUE(concernsExistingCase(FilingKind::Amendment));
  EXPECT_TRUE(concernsExistingCase(FilingKind::Cancellation));
  EXPECT_TRUE(concernsExistingCase(FilingKind::Arrival));
  EXPECT_TRUE(concernsExistingCase(FilingKind::Return));
  EXPECT_FALSE(concernsExistingCase(FilingKind::PreArrival));
  EXPECT_FALSE(concernsExistingCase(FilingKind::Declaration));
}
