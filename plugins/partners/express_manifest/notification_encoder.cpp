#include "notification_encoder.hpp"

#include <string>
#include <string_view>

#include "json/text.hpp"

namespace swhub::plugins::express_manifest {

namespace {

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

// reason_codes comes last, so that a reader of the earlier seven columns by position still works.
std::string csv(const std::vector<sdk::Notification>& batch) {
  std::string out = "house_waybill,case_id,event,state,reason,at,delivery_id,reason_codes\r\n";
  for (const auto& n : batch) {
    for (const std::string* field : {&n.reference, &n.case_id, &n.event, &n.state, &n.reason, &n.at, &n.id,
                                     &reasonCodes(n)}) {
      if (field != &n.reference) out += ',';
      csvField(out, *field);
    }
    out += "\r\n";
  }
  return out;
}

std::string json(const std::vector<sdk::Notification>& batch) {
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
    for (std::size_t d = 0; d < n.details.size(); ++d) {
      if (d) out += ',';
      json::appendString(out, n.details[d].first);
      out += ':';
      json::appendString(out, n.details[d].second);
    }
    out += "}}";
  }
  out += "]}";
  return out;
}

}  // namespace

sdk::EncodedMessage encodeNotifications(const std::vector<sdk::Notification>& batch, NotifyFormat format) {
  if (format == NotifyFormat::Json) return {kJsonType, json(batch)};
  return {kCsvType, csv(batch)};
}

}  // namespace swhub::plugins::express_manifest
