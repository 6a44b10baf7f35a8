#include "notification_encoder.hpp"

#include <cstdio>
#include <string>
#include <string_view>

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

void jsonString(std::string& out, std::string_view text) {
  out += '"';
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
          out += buffer;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string csv(const std::vector<sdk::Notification>& batch) {
  std::string out = "house_waybill,case_id,event,state,reason,at,delivery_id\r\n";
  for (const auto& n : batch) {
    for (const std::string* field : {&n.reference, &n.case_id, &n.event, &n.state, &n.reason, &n.at, &n.id}) {
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
      jsonString(out, *value);
      out += ',';
    }
    out += "\"details\":{";
    for (std::size_t d = 0; d < n.details.size(); ++d) {
      if (d) out += ',';
      jsonString(out, n.details[d].first);
      out += ':';
      jsonString(out, n.details[d].second);
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
