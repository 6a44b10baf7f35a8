#include "notification_encoder.hpp"

#include <optional>
#include <string>
#include <string_view>

#include "json/revenue.hpp"
#include "json/text.hpp"

namespace swhub::plugins::express_manifest {

namespace {

using Revenues = std::vector<std::optional<json::Revenue>>;

void csvField(std::string& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += text;
    return;
  }
  out += '"';
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

// The deciding agency's reason codes ("FS-VET", several joined by commas), "" when none.
const std::string& reasonCodes(const sdk::Notification& n) {
  static const std::string kNone;
  for (const auto& [key, value] : n.details) {
    if (key == "reason_codes") return value;
  }
  return kNone;
}

// Columns are only ever added at the end, so that a reader of the earlier ones by position keeps
// working: reason_codes (issue 8), then what is due and why (issue 9).
std::string csv(const std::vector<sdk::Notification>& batch, const Revenues& revenues, bool revenueColumns) {
  std::string out = "house_waybill,case_id,event,state,reason,at,delivery_id,reason_codes";
  out += revenueColumns ? ",revenue_due,revenue_currency,revenue_why\r\n" : "\r\n";
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& n = batch[i];
    for (const std::string* field : {&n.reference, &n.case_id, &n.event, &n.state, &n.reason, &n.at, &n.id,
                                     &reasonCodes(n)}) {
      if (field != &n.reference) out += ',';
      csvField(out, *field);
    }
    if (revenueColumns) {
      const auto& r = revenues[i];
      out += ',';
      if (r && r->due) csvField(out, *r->due);
      out += ',';
      if (r && r->currency) csvField(out, *r->currency);
      out += ',';
      if (r) csvField(out, json::revenueSummary(*r));
    }
    out += "\r\n";
  }
  return out;
}

std::string json(const std::vector<sdk::Notification>& batch, const Revenues& revenues) {
  std::string out = "{\"notifications\":[";
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& n = batch[i];
    if (i) out += ',';
    const std::pair<const char*, const std::string*> fields[] = {
        {"house_waybill", &n.reference}, {"case_id", &n.case_id}, {"event", &n.event}, {"state", &n.state},
        {"reason", &n.reason},           {"at", &n.at},           {"delivery_id", &n.id}};
    out += '{';
    for (const auto& [name, value] : fields) {
      out += '"';
      out += name;
      out += "\":";
      json::appendString(out, *value);
      out += ',';
    }
    out += "\"details\":{";
    bool first = true;
    for (const auto& [key, value] : n.details) {
      if (key == "revenue_line") continue;  // repeated: the lines are revenue.lines
      if (!first) out += ',';
      first = false;
      json::appendString(out, key);
      out += ':';
      json::appendString(out, value);
    }
    out += '}';
    if (revenues[i]) {
      out += ",\"revenue\":";
      json::appendRevenueObject(out, *revenues[i]);
    }
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace

sdk::Result<sdk::EncodedMessage> encodeNotifications(const std::vector<sdk::Notification>& batch,
                                                     const Settings& settings) {
  Revenues revenues;
  revenues.reserve(batch.size());
  for (std::size_t i = 0; i < batch.size(); ++i) {
    auto revenue = json::readRevenue(batch[i]);
    if (!revenue)
      return sdk::Errors{{"/" + std::to_string(i) + revenue.errors().front().path, revenue.errors().front().message}};
    revenues.push_back(revenue.take());
  }
  if (settings.notify_format == NotifyFormat::Json) return sdk::EncodedMessage{kJsonType, json(batch, revenues)};
  return sdk::EncodedMessage{kCsvType, csv(batch, revenues, settings.csv_revenue_columns)};
}

}  // namespace swhub::plugins::express_manifest
