// Every SDK type that a call into an isolated plugin carries comes back whole, every field set to
// something other than its default: a field forgotten in the codec fails here.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "plugin/isolation_protocol.hpp"
#include "plugin/wire_codec.hpp"

namespace swhub::plugin::wire {
namespace {

template <class T>
T roundTrip(const T& value) {
  return decode<T>(encode(value));
}

sdk::Party party(const std::string& tag) {
  return {"name-" + tag, "id-" + tag, "reg-" + tag, "platform-" + tag, "address-" + tag, "C" + tag, "business"};
}

sdk::Consignment fullConsignment() {
  sdk::Consignment c;
  c.case_id = "C-1";
  c.reference = "REF-1";
  c.partner = "demo-post";
  c.filing = sdk::FilingKind::Return;
  c.version = 3;
  c.parties = {party("S"), party("B"), party("D"), party("K")};
  c.transport = {sdk::TransportMode::Multimodal, "TP1234", "999-1", "CN", "PT", "2026-11-29T08:00:00Z"};
  sdk::Item item;
  item.sequence = 2;
  item.description = "headphones";
  item.hs = "851830";
  item.quantity = 1.5;
  item.unit = "pce";
  item.net_kg = 0.1;  // not exact in binary: must come back bit for bit
  item.gross_kg = 0.4;
  item.value = sdk::Decimal::fromUnits(450001);
  item.currency = "EUR";
  item.origin = "CN";
  item.nature = sdk::Nature::Other;
  item.documents = {{"licence", "L-1", 2.0}, {"certificate", "X", std::nullopt}};
  c.items = {item, sdk::Item{}};
  c.fiscal = {sdk::CollectionModel::Account, true, "IM123", sdk::Decimal::fromUnits(-7), "USD", {"P-1", "P-2"}};
  c.derived = {3, sdk::Decimal::fromUnits(11), sdk::Decimal::fromUnits(22), "EUR", 77, {"RISK-A", "RISK-B"}};
  return c;
}

sdk::HubEvent fullEvent() {
  return {sdk::HubEvent::Kind::RefundExecuted, "C-9", "REF-9", "T-2", sdk::Decimal::fromUnits(123), "EUR",
          "2026-12-01T10:00:00Z", "T-1"};
}

TEST(wire_codec, ConsignmentComesBackWithEveryField) {
  const auto c = fullConsignment();
  EXPECT_EQ(roundTrip(c), c);
  EXPECT_EQ(roundTrip(sdk::Consignment{}), sdk::Consignment{});
}

TEST(wire_codec, DecodedPiecesComeBackWhicheverTheyAre) {
  const sdk::Decoded filing = sdk::DecodedFiling{fullConsignment(), "line 12"};
  const auto back = roundTrip(filing);
  ASSERT_EQ(back.index(), 0u);
  EXPECT_EQ(std::get<0>(back).consignment, fullConsignment());
  EXPECT_EQ(std::get<0>(back).location, "line 12");
  EXPECT_EQ(std::get<sdk::HubEvent>(roundTrip(sdk::Decoded{fullEvent()})), fullEvent());
  const sdk::Errors errors{{"/items/0/hs", "must be 6 digits"}, {"", "whole"}};
  EXPECT_EQ(std::get<sdk::Errors>(roundTrip(sdk::Decoded{errors})), errors);
  EXPECT_FALSE(roundTrip(std::optional<sdk::Decoded>{}).has_value());
  // SDK 3.3: a declaration's facts, from a plugin in a process of its own.
  sdk::DeclarationFacts facts;
  facts.additional_type = "Q";
  facts.simplified = false;
  facts.completes = {{"Y", "SDE", "C-1", "/MetaData/Declaration/GoodsShipment/PreviousDocument[1]/ID"}};
  facts.account = "1108654";
  facts.period = "2026-11";
  facts.counts = {{"Y", 45, 48}, {"Z", 0, 0}};
  facts.totals = {{"vat", *sdk::Decimal::parse("240.00"), "GBP", "/x"}};
  EXPECT_EQ(std::get<sdk::DeclarationFacts>(roundTrip(sdk::Decoded{facts})), facts);
}

TEST(wire_codec, MessageContextNotificationsAndEncodedMessage) {
  const sdk::MessageContext context{"demo-pay", "application/json", {{"x-signature", "abc"}, {"x-b", ""}},
                                    "2026-12-01T10:00:00.123Z"};
  const auto back = roundTrip(context);
  EXPECT_EQ(back.partner, context.partner);
  EXPECT_EQ(back.content_type, context.content_type);
  EXPECT_EQ(back.headers, context.headers);
  EXPECT_EQ(back.received_at, context.received_at);
  const std::vector<sdk::Notification> batch{
      {"N-1", "C-1", "REF", "released", "released", "all clear", "2026-12-01T10:00:00Z", {{"a", "1"}, {"b", "2"}}},
      {}};
  EXPECT_EQ(roundTrip(batch), batch);
  const sdk::EncodedMessage encoded{"application/xml", std::string("<a>\0</a>", 8)};
  const auto encodedBack = roundTrip(encoded);
  EXPECT_EQ(encodedBack.content_type, encoded.content_type);
  EXPECT_EQ(encodedBack.body, encoded.body);
  sdk::Result<sdk::EncodedMessage> failed = sdk::Errors{{"/0", "cannot"}};
  Writer w;
  put(w, failed);
  Reader r(w.buffer());
  EXPECT_EQ(getResult<sdk::EncodedMessage>(r).errors(), failed.errors());
}

TEST(wire_codec, AssessmentRequestAndCaseAssessment) {
  sdk::AssessmentRequest request{fullConsignment(), {{"seller", "S-1", 10, 2, true}, {"buyer", "B-1", 1, 0, false}},
                                 "customs", "2026-12-01T10:00:00.000Z"};
  const auto back = roundTrip(request);
  EXPECT_EQ(back.consignment, request.consignment);
  ASSERT_EQ(back.parties.size(), 2u);
  EXPECT_EQ(back.parties[0].role, "seller");
  EXPECT_EQ(back.parties[0].id, "S-1");
  EXPECT_EQ(back.parties[0].cases_seen, 10);
  EXPECT_EQ(back.parties[0].cases_held, 2);
  EXPECT_TRUE(back.parties[0].trusted);
  EXPECT_EQ(back.agency, "customs");
  EXPECT_EQ(back.received_at, request.received_at);

  sdk::Decision decision{"hold", "why", {1, 3}, {"R1"}, 42, sdk::Decimal::fromUnits(5), sdk::Decimal::fromUnits(6)};
  sdk::CaseAssessment assessed;
  assessed.assessment = {true, {decision}};
  assessed.findings.category = 3;
  assessed.findings.risk_score = 61;
  assessed.findings.risk_reasons = {{"RISK-X", -5, "trusted"}};
  assessed.findings.revenue_assessed = true;
  assessed.findings.model = sdk::CollectionModel::Intermediary;
  assessed.findings.model_reason = "because";
  assessed.findings.revenue = {{"vat", 1, sdk::Decimal::fromUnits(100), sdk::Decimal::fromUnits(23), sdk::Decimal::fromUnits(2),
                                "EUR", "rule", true}};
  assessed.findings.due = sdk::Decimal::fromUnits(9);
  assessed.findings.currency = "EUR";
  const auto out = roundTrip(assessed);
  EXPECT_TRUE(out.assessment.pending);
  ASSERT_EQ(out.assessment.decisions.size(), 1u);
  const auto& d = out.assessment.decisions[0];
  EXPECT_EQ(d.decision, "hold");
  EXPECT_EQ(d.reason, "why");
  EXPECT_EQ(d.items, decision.items);
  EXPECT_EQ(d.reason_codes, decision.reason_codes);
  EXPECT_EQ(d.risk_score, 42);
  EXPECT_EQ(d.duties, decision.duties);
  EXPECT_EQ(d.taxes, decision.taxes);
  const auto& f = out.findings;
  EXPECT_EQ(f.category, 3);
  EXPECT_EQ(f.risk_score, 61);
  ASSERT_EQ(f.risk_reasons.size(), 1u);
  EXPECT_EQ(f.risk_reasons[0].code, "RISK-X");
  EXPECT_EQ(f.risk_reasons[0].weight, -5);
  EXPECT_EQ(f.risk_reasons[0].detail, "trusted");
  EXPECT_TRUE(f.revenue_assessed);
  EXPECT_EQ(f.model, sdk::CollectionModel::Intermediary);
  EXPECT_EQ(f.model_reason, "because");
  EXPECT_EQ(f.revenue, assessed.findings.revenue);
  EXPECT_EQ(f.due, assessed.findings.due);
  EXPECT_EQ(f.currency, "EUR");
}

TEST(wire_codec, DeliveryItemOutcomeAndAvailability) {
  const sdk::DeliveryItem item{"D-1", "task", "customs", "application/json", "{}", 4};
  const auto back = roundTrip(item);
  EXPECT_EQ(back.id, item.id);
  EXPECT_EQ(back.kind, item.kind);
  EXPECT_EQ(back.recipient, item.recipient);
  EXPECT_EQ(back.content_type, item.content_type);
  EXPECT_EQ(back.body, item.body);
  EXPECT_EQ(back.attempt, 4);
  const sdk::DeliveryOutcome outcome{sdk::DeliveryOutcome::Status::FailedForGood, "gone", std::chrono::milliseconds(1500)};
  const auto outcomeBack = roundTrip(outcome);
  EXPECT_EQ(outcomeBack.status, outcome.status);
  EXPECT_EQ(outcomeBack.detail, outcome.detail);
  EXPECT_EQ(outcomeBack.retry_after, outcome.retry_after);
  const sdk::Availability off{{"application/xml"}, "DMS filings are off"};
  const auto offBack = roundTrip(off);
  EXPECT_EQ(offBack.unavailable_types, off.unavailable_types);
  EXPECT_EQ(offBack.reason, off.reason);
}

TEST(wire_codec, AnOutOfRangeStatusFromAPluginIsRefusedNotTruncated) {
  sdk::DeliveryOutcome odd;
  odd.status = static_cast<sdk::DeliveryOutcome::Status>(77);
  EXPECT_THROW(roundTrip(odd), WireError);
  odd.status = static_cast<sdk::DeliveryOutcome::Status>(259);  // would be 3 in a byte
  EXPECT_THROW(roundTrip(odd), WireError);
}

bool sameValue(const sdk::Value& a, const sdk::Value& b) {
  if (a.type() != b.type() || a.asString() != b.asString() || a.line != b.line || a.column != b.column) return false;
  if (a.type() == sdk::ValueType::Bool && a.asBool() != b.asBool()) return false;
  if (a.type() == sdk::ValueType::Int && a.asInt() != b.asInt()) return false;
  if (a.type() == sdk::ValueType::Double && !(a.asDouble() == b.asDouble() || (std::isnan(a.asDouble()) && std::isnan(b.asDouble())))) return false;
  if (a.items().size() != b.items().size() || a.entries().size() != b.entries().size()) return false;
  for (std::size_t i = 0; i < a.items().size(); ++i) {
    if (!sameValue(a.items()[i], b.items()[i])) return false;
  }
  for (std::size_t i = 0; i < a.entries().size(); ++i) {
    if (a.entries()[i].first != b.entries()[i].first || !sameValue(a.entries()[i].second, b.entries()[i].second)) return false;
  }
  return true;
}

TEST(wire_codec, InstanceContextKeepsSettingsAsWritten) {
  sdk::Value hs = sdk::Value::plain("0101");  // an integer that keeps its leading zero as text
  hs.line = 7;
  hs.column = 9;
  sdk::Value settings = sdk::Value::map({{"hs", hs},
                                         {"quoted", sdk::Value::string("true")},
                                         {"flag", sdk::Value::plain("yes")},
                                         {"on", sdk::Value::boolean(true)},
                                         {"ratio", sdk::Value::plain("1.50")},
                                         {"nan", sdk::Value::plain(".nan")},
                                         {"big", sdk::Value::integer(std::numeric_limits<std::int64_t>::min())},
                                         {"none", sdk::Value()},
                                         {"list", sdk::Value::list({sdk::Value::number(0.1), sdk::Value::list()})}});
  settings.line = 3;
  const sdk::InstanceContext context{"demo-post", "partners.demo-post.settings", settings, "/etc/swhub"};
  const auto back = roundTrip(context);
  EXPECT_EQ(back.id, context.id);
  EXPECT_EQ(back.path, context.path);
  EXPECT_EQ(back.config_dir, context.config_dir);
  EXPECT_TRUE(sameValue(back.settings, settings));
  EXPECT_EQ(back.settings.find("hs")->asString(), "0101");
  EXPECT_EQ(back.settings.find("quoted")->type(), sdk::ValueType::String);
}

TEST(wire_codec, HelloAndItsAnswerComeBackWhole) {
  isolation::Hello hello;
  hello.kind = sdk::PluginKind::Agency;
  hello.plugin = "faulty_agency";
  hello.library = "/x/fixture_faulty_agency.so";
  hello.context = {"customs", "agencies.customs.settings", sdk::Value::map({{"a", sdk::Value::string("b")}}), "/cfg"};
  const auto back = isolation::decodeHello(isolation::encodeHello(hello));
  EXPECT_EQ(back.version, isolation::kProtocolVersion);
  EXPECT_EQ(back.kind, hello.kind);
  EXPECT_EQ(back.plugin, hello.plugin);
  EXPECT_EQ(back.library, hello.library);
  EXPECT_EQ(back.context.id, "customs");
  EXPECT_TRUE(sameValue(back.context.settings, hello.context.settings));
  isolation::HelloOk ok{isolation::kProtocolVersion, 2, {{"p", "m"}}, {"text/x-faulty"}, {{"text/x-faulty"}, "off"}};
  const auto okBack = isolation::decodeHelloOk(isolation::encodeHelloOk(ok));
  EXPECT_EQ(okBack.abiMinor, 2u);
  EXPECT_EQ(okBack.errors, ok.errors);
  EXPECT_EQ(okBack.contentTypes, ok.contentTypes);
  EXPECT_EQ(okBack.availability.unavailable_types, ok.availability.unavailable_types);
  EXPECT_EQ(okBack.availability.reason, "off");
}

TEST(wire_codec, ReadingNeverTrustsTheBytes) {
  const std::string bytes = encode(fullConsignment());
  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, bytes.size() / 2, bytes.size() - 1}) {
    EXPECT_THROW(decode<sdk::Consignment>(std::string_view(bytes).substr(0, cut)), WireError) << cut;
  }
  EXPECT_THROW(decode<sdk::Consignment>(bytes + "x"), WireError);
  Writer huge;
  huge.u32(0xffffffffu);  // a list of four billion items in four bytes
  EXPECT_THROW(decode<std::vector<sdk::Notification>>(huge.buffer()), WireError);
}

}  // namespace
}  // namespace swhub::plugin::wire
