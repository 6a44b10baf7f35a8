// Every jurisdiction of the example config (config/jurisdictions/) on the same typical parcels,
// filed in euros and assessed on 2026-12-06 by the consumer model: hand-computed figures, each
// worked out in the comment beside it with the file's own (illustrative) exchange rates.
// customs_settings_test.cpp checks that this table covers every file of the folder.

#include "customs_test_support.hpp"

using namespace swhub::testing::customs;

namespace {

// Typical parcels, all from China unless said otherwise.
Consignment headphones() { return consignment({item(1, "851830", "45")}); }  // 45 EUR
Consignment jacket() { return consignment({item(1, "610130", "200")}); }     // 200 EUR, knitted

struct Parcel {
  const char* name;
  Consignment filing;
  const char* expected;
};

struct Jurisdiction {
  const char* file;
  std::vector<Parcel> parcels;
};

TEST(CustomsJurisdictions, TypicalParcelsInEveryJurisdictionOfTheExampleConfig) {
  const std::vector<Jurisdiction> table = {
      {"pt-eu-2026.yaml",
       {
           // Up to 150 EUR: the flat 3 EUR per classification replaces the tariff and is in the
           // VAT base: (45 + 3) x 23 % = 11.04; due 3 + 11.04.
           {"headphones", headphones(), "duty#1 3.00; vat#1 48.00x23.00=11.04; due 14.04 cat 3 model consumer"},
           // Above 150 EUR: tariff 61 at 12 % = 24.00; VAT (200 + 24) x 23 % = 51.52; category 4.
           {"jacket", jacket(), "duty#1 200.00x12.00=24.00; vat#1 224.00x23.00=51.52; due 75.52 cat 4 model consumer"},
       }},
      {"gb-2026.yaml",
       {
           // 45 / 1.15 = 39.1304 -> 39.13 GBP, at most 135: VAT was charged at sale, no duty.
           {"headphones", headphones(), "due 0.00 cat 2 model consumer"},
           // 200 / 1.15 = 173.913 -> 173.91 GBP: duty at the default 0 %; VAT 173.91 x 20 % = 34.782 -> 34.78.
           {"jacket", jacket(), "duty#1 173.91x0.00=0.00; vat#1 173.91x20.00=34.78; due 34.78 cat 4 model consumer"},
       }},
      {"us-2026.yaml",
       {
           // 45 / 0.8 = 56.25 USD; no de minimis since 29 August 2025; default rate 0 %; no VAT.
           {"headphones", headphones(), "duty#1 56.25x0.00=0.00; due 0.00 cat 2 model consumer"},
           // 200 / 0.8 = 250 USD, default rate 0 %.
           {"jacket", jacket(), "duty#1 250.00x0.00=0.00; due 0.00 cat 2 model consumer"},
           // 20 / 0.8 = 25 USD; a T-shirt of China: 16.5 % + Section 301's 7.5 % = 24 %: 6.00.
           {"T-shirt from China", consignment({item(1, "610910", "20")}),
            "duty#1 25.00x24.00=6.00; due 6.00 cat 3 model consumer"},
           // The same from Viet Nam: 25 x 16.5 % = 4.125 -> 4.13 (half-up).
           {"T-shirt from Viet Nam", consignment({from(item(1, "610910", "20"), "VN")}),
            "duty#1 25.00x16.50=4.13; due 4.13 cat 3 model consumer"},
       }},
      {"au-2026.yaml",
       {
           // 45 / 0.56 = 80.357 -> 80.36 AUD, at most 1,000: GST was charged at sale.
           {"headphones", headphones(), "due 0.00 cat 2 model consumer"},
           // 200 / 0.56 = 357.14 AUD: the same.
           {"jacket", jacket(), "due 0.00 cat 2 model consumer"},
           // 600 / 0.56 = 1071.4286 -> 1071.43 AUD: duty 5 % = 53.5715 -> 53.57;
           // GST (1071.43 + 53.57) x 10 % = 112.50; category 4.
           {"laptop", consignment({item(1, "847130", "600")}),
            "duty#1 1071.43x5.00=53.57; gst#1 1125.00x10.00=112.50; due 166.07 cat 4 model consumer"},
       }},
      {"ca-2026.yaml",
       {
           // 45 / 0.62 = 72.5806 -> 72.58 CAD by courier from China: above the general 20 CAD;
           // default rate 0 %; GST 72.58 x 5 % = 3.629 -> 3.63.
           {"headphones", shipped(headphones(), "CN", TransportMode::Air),
            "duty#1 72.58x0.00=0.00; gst#1 72.58x5.00=3.63; due 3.63 cat 3 model consumer"},
           // 200 / 0.62 = 322.5806 -> 322.58 CAD: 61 at 18 % = 58.0644 -> 58.06;
           // GST (322.58 + 58.06) x 5 % = 19.032 -> 19.03.
           {"jacket", shipped(jacket(), "CN", TransportMode::Air),
            "duty#1 322.58x18.00=58.06; gst#1 380.64x5.00=19.03; due 77.09 cat 3 model consumer"},
           // The headphones by courier from the US: 72.58 CAD is at most 150 (no duty) but above
           // 40: GST 3.63 alone.
           {"headphones shipped from the US", shipped(headphones(), "US", TransportMode::Air),
            "gst#1 72.58x5.00=3.63; due 3.63 cat 3 model consumer"},
       }},
  };
  for (const Jurisdiction& j : table) {
    const RevenueEngine engine = engineFrom(jurisdiction(j.file));
    for (const Parcel& p : j.parcels) {
      EXPECT_EQ(summary(engine.assess(p.filing, day("2026-12-06"))), p.expected) << j.file << ": " << p.name;
    }
  }
}

}  // namespace
