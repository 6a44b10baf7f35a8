#include "response_encoder.hpp"

#include <array>
#include <optional>

#include "json/revenue.hpp"
#include "settings.hpp"
#include "swhub/sdk/validate.hpp"

namespace swhub::plugins::upu_post {

namespace {

// item-response.xsd: Identifier is 1 to 128 characters.
constexpr std::size_t kMaxIdentifier = 128;

constexpr std::array<std::string_view, 10> kStatuses = {
    "accepted", "rejected", "held", "info-requested", "cleared",
    "released", "do-not-load", "cancelled", "returned", "refunded"};

bool isStatus(std::string_view s) {
  for (auto status : kStatuses)
    if (status == s) return true;
  return false;
}

// Length of the valid UTF-8 sequence at `i`, 0 when the byte does not start one.
std::size_t utf8Length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size() || (len == 2 && c < 0xC2) || (len == 4 && c > 0xF4)) return 0;
  for (std::size_t k = 1; k < len; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  const auto c1 = static_cast<unsigned char>(s[i + 1 < s.size() ? i + 1 : i]);
  if (len == 3 && ((c == 0xE0 && c1 < 0xA0) || (c == 0xED && c1 >= 0xA0))) return 0;
  if (len == 4 && ((c == 0xF0 && c1 < 0x90) || (c == 0xF4 && c1 >= 0x90))) return 0;
  return len;
}

// XML 1.0 text: markup escaped; control characters (not allowed even as references) and bytes
// that are not UTF-8 become U+FFFD, so a reason from any agency still yields a valid document.
void appendText(std::string& out, std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const char ch = s[i];
    const std::size_t len = utf8Length(s, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
      continue;
    }
    if (len > 1) {
      out.append(s.substr(i, len));
      i += len;
      continue;
    }
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\r': out += "&#13;"; break;
      case '\n':
      case '\t': out += ch; break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) out += "\xEF\xBF\xBD";
        else out += ch;
    }
    ++i;
  }
}

void leaf(std::string& out, std::string_view name, std::string_view text) {
  out += "    <";
  out += name;
  out += '>';
  appendText(out, text);
  out += "</";
  out += name;
  out += ">\n";
}

// item-response.xsd 1.1, element revenue: what is due and why, in the schema's order.
void appendRevenue(std::string& out, const json::Revenue& r) {
  // leaf() indents by 4: revenue's children by 6, a line's by 8.
  auto child = [&out](std::string_view indent, std::string_view name, std::string_view text) {
    out += indent;
    leaf(out, name, text);
  };
  out += "    <revenue>\n";
  if (r.model) child("  ", "model", *r.model);
  if (r.model_reason) child("  ", "modelReason", *r.model_reason);
  if (r.due) child("  ", "due", *r.due);
  if (r.paid) child("  ", "paid", *r.paid);
  if (r.currency) child("  ", "currency", *r.currency);
  if (r.settled) child("  ", "settled", *r.settled ? "true" : "false");
  for (const json::RevenueLine& l : r.lines) {
    out += "      <line>\n";
    child("    ", "tax", l.tax);
    if (l.item) child("    ", "item", std::to_string(*l.item));
    if (!l.base.empty()) child("    ", "base", l.base);
    if (l.rate) child("    ", "rate", *l.rate);
    child("    ", "amount", l.amount);
    child("    ", "currency", l.currency);
    if (!l.why.empty()) child("    ", "why", l.why);
    child("    ", "collectedAtSale", l.collected_at_sale ? "true" : "false");
    out += "      </line>\n";
  }
  out += "    </revenue>\n";
}

}  // namespace

std::string_view responseStatus(const sdk::Notification& n) {
  if (n.event == "do-not-load") return "do-not-load";
  if (n.state == "under-assessment") return "accepted";
  if (!n.state.empty()) return isStatus(n.state) ? std::string_view(n.state) : std::string_view();
  if (n.event == "under-assessment") return "accepted";
  return isStatus(n.event) ? std::string_view(n.event) : std::string_view();
}

sdk::Result<sdk::EncodedMessage> encodeResponses(const std::vector<sdk::Notification>& batch, bool revenueElement) {
  sdk::Errors errors;
  std::vector<std::optional<json::Revenue>> revenues(batch.size());
  if (batch.empty()) errors.push_back({"", "no notification to encode"});
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const sdk::Notification& n = batch[i];
    const std::string at = "/" + std::to_string(i);
    if (n.reference.empty()) errors.push_back({at + "/reference", "must not be empty: it is the item id"});
    if (responseStatus(n).empty())
      errors.push_back({at + "/state", "state '" + n.state + "' with event '" + n.event +
                                           "' has no upu_post status; one of: accepted, rejected, held, "
                                           "info-requested, cleared, released, do-not-load, cancelled, "
                                           "returned, refunded, under-assessment"});
    if (!sdk::isRfc3339Utc(n.at))
      errors.push_back({at + "/at", "'" + n.at + "' is not an RFC 3339 UTC timestamp like 2026-11-29T08:00:00Z"});
    if (n.id.empty()) errors.push_back({at + "/id", "must not be empty: posts drop duplicates by it"});
    for (auto [field, value] : {std::pair{"/reference", &n.reference}, {"/case_id", &n.case_id}, {"/id", &n.id}})
      if (value->size() > kMaxIdentifier)
        errors.push_back({at + field, "longer than " + std::to_string(kMaxIdentifier) + " characters"});
    for (std::size_t d = 0; d < n.details.size(); ++d)
      if (n.details[d].first.empty() || n.details[d].first.size() > kMaxIdentifier)
        errors.push_back({at + "/details/" + std::to_string(d), "a detail needs a key of 1 to " +
                                                                   std::to_string(kMaxIdentifier) + " characters"});
    if (!revenueElement) continue;
    auto revenue = json::readRevenue(n);
    if (revenue) revenues[i] = revenue.take();
    else errors.push_back({at + revenue.errors().front().path, revenue.errors().front().message});
  }
  if (!errors.empty()) return errors;

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<itemResponses xmlns=\"";
  out += kNamespace;
  out += "\">\n";
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const sdk::Notification& n = batch[i];
    out += "  <response>\n";
    leaf(out, "itemId", n.reference);
    leaf(out, "status", responseStatus(n));
    if (!n.reason.empty()) leaf(out, "reason", n.reason);
    if (!n.case_id.empty()) leaf(out, "caseId", n.case_id);
    leaf(out, "at", n.at);
    leaf(out, "deliveryId", n.id);
    for (const auto& [key, value] : n.details) {
      out += "    <detail key=\"";
      appendText(out, key);
      out += "\">";
      appendText(out, value);
      out += "</detail>\n";
    }
    if (revenues[i]) appendRevenue(out, *revenues[i]);
    out += "  </response>\n";
  }
  out += "</itemResponses>\n";
  return sdk::EncodedMessage{kContentType, std::move(out)};
}

}  // namespace swhub::plugins::upu_post
