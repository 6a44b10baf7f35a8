#include "res_encoder.hpp"

#include <algorithm>
#include <vector>

#include "res_text.hpp"
#include "swhub/sdk/validate.hpp"
#include "tax_response.hpp"

namespace swhub::plugins::wco_dec {

namespace {

constexpr std::size_t kMaxFunctionalReference = 35;  // Response and Declaration FunctionalReferenceID: an..35
constexpr std::size_t kMaxDeclarationId = 70;        // Declaration/ID: an..70
constexpr std::size_t kMaxText = 512;                // Error/Description, StatementDescription: an..512
constexpr std::size_t kMaxStatementCode = 17;        // AdditionalInformation/StatementCode: an..17

// The item sequence an error path names: ".../GovernmentAgencyGoodsItem[3]/..." or ".../item[3]/...".
std::string itemSequence(const std::string& path) {
  for (const char* marker : {"GovernmentAgencyGoodsItem[", "/item["}) {
    const auto at = path.find(marker);
    if (at == std::string::npos) continue;
    const auto start = at + std::char_traits<char>::length(marker);
    const auto end = path.find(']', start);
    const std::string digits = path.substr(start, end - start);
    if (!digits.empty() && digits.size() <= 5 && digits.find_first_not_of("0123456789") == std::string::npos)
      return digits;
  }
  return {};
}

// The reason, and the deciding agency's codes for it (details "reason_codes", comma-separated):
// one AdditionalInformation per code, StatementCode (an..17) each, the first with the reason's
// StatementDescription; a reason without codes is a description alone.
void additionalInformation(std::string& out, const sdk::Notification& n) {
  std::vector<std::string> codes;
  for (const auto& [key, value] : n.details) {
    if (key != "reason_codes") continue;
    std::size_t start = 0;
    while (start <= value.size()) {
      const auto comma = value.find(',', start);
      const std::string code = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!code.empty()) codes.push_back(clip(code, kMaxStatementCode));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (codes.empty() && n.reason.empty()) return;
  const std::size_t blocks = std::max<std::size_t>(codes.size(), 1);
  for (std::size_t i = 0; i < blocks; ++i) {
    out += "<AdditionalInformation>";
    if (i < codes.size()) leaf(out, "StatementCode", codes[i]);
    if (i == 0 && !n.reason.empty()) leaf(out, "StatementDescription", clip(n.reason, kMaxText));
    out += "<StatementTypeCode>AFB</StatementTypeCode></AdditionalInformation>";
  }
}

// One Error per "error..." detail; its value is "PATH: MESSAGE" (sdk::formatError) or a message.
void errors(std::string& out, const sdk::Notification& n) {
  bool any = false;
  for (const auto& [key, value] : n.details) {
    if (key.rfind("error", 0) != 0) continue;
    any = true;
    std::string path;
    if (!value.empty() && value.front() == '/') {
      const auto colon = value.find(": ");
      if (colon != std::string::npos) path = value.substr(0, colon);
    }
    out += "<Error>";
    leaf(out, "Description", clip(value, kMaxText));
    // 42A = Declaration, 67A = GovernmentAgencyGoodsItem (WCO class ids, as DMS pointers use them).
    out += "<Pointer><DocumentSectionCode>42A</DocumentSectionCode></Pointer>";
    if (const std::string seq = itemSequence(path); !seq.empty())
      out += "<Pointer><SequenceNumeric>" + seq + "</SequenceNumeric><DocumentSectionCode>67A</DocumentSectionCode></Pointer>";
    out += "</Error>";
  }
  if (!any && !n.reason.empty()) {
    out += "<Error>";
    leaf(out, "Description", clip(n.reason, kMaxText));
    out += "<Pointer><DocumentSectionCode>42A</DocumentSectionCode></Pointer></Error>";
  }
}

}  // namespace

std::string functionCodeOf(const sdk::Notification& n) {
  const std::string& e = n.event;
  const std::string& s = n.state;
  if (e == "rejected" || e == "reject" || s == "rejected") return "03";
  if (s == "cancelled" || e == "cancelled") return "10";
  if (s == "cleared" || s == "released" || e == "released" || e == "cleared") return "09";
  if (s == "held" || e == "inspect" || e == "hold" || e == "held" || e == "do-not-load") return "05";
  if (s == "info-requested" || e == "request-info" || e == "info-requested") return "06";
  if (e == "accepted" || e == "under-assessment" || s == "accepted" || s == "under-assessment") return "01";
  return {};
}

std::string dmsDateTime(const std::string& t) {
  if (!sdk::isRfc3339Utc(t) || t.rfind("20", 0) != 0) return {};
  return t.substr(0, 4) + t.substr(5, 2) + t.substr(8, 2) + t.substr(11, 2) + t.substr(14, 2) + t.substr(17, 2) + "Z";
}

sdk::Result<std::string> encodeResponses(const std::vector<sdk::Notification>& batch) {
  if (batch.empty()) return sdk::Result<std::string>::failure("/notifications", "no notification to encode");
  sdk::Errors problems;
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<md:MetaData xmlns:md=\"urn:wco:datamodel:WCO:DocumentMetaData-DMS:2\" "
      "xmlns=\"urn:wco:datamodel:WCO:RES-DMS:2\" xmlns:ds=\"urn:wco:datamodel:WCO:Response_DS:DMS:2\">"
      "<md:WCODataModelVersionCode>3.6</md:WCODataModelVersionCode><md:WCOTypeName>RES</md:WCOTypeName>";
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const sdk::Notification& n = batch[i];
    const std::string at = "/notifications[" + std::to_string(i + 1) + "]";
    const std::string code = functionCodeOf(n);
    if (code.empty())
      problems.push_back({at, "no DMS function code for event '" + n.event + "' in state '" + n.state + "'"});
    if (n.id.empty() || n.id.size() > kMaxFunctionalReference)
      problems.push_back({at + "/id", "'" + n.id + "' does not fit Response/FunctionalReferenceID (1 to 35 characters)"});
    if (n.reference.size() > kMaxFunctionalReference)
      problems.push_back({at + "/reference", "'" + n.reference + "' does not fit Declaration/FunctionalReferenceID (an..35)"});
    if (n.case_id.size() > kMaxDeclarationId)
      problems.push_back({at + "/case_id", "'" + n.case_id + "' does not fit Declaration/ID (an..70)"});
    if (!problems.empty()) continue;

    const std::string when = dmsDateTime(n.at);
    out += "<Response>";
    leaf(out, "FunctionCode", code);
    leaf(out, "FunctionalReferenceID", n.id);
    dateTime(out, "IssueDateTime", when);
    if (code != "03") additionalInformation(out, n);
    if (code == "03") errors(out, n);
    out += "<Declaration>";
    if (code == "01") dateTime(out, "AcceptanceDateTime", when);
    if (code == "10") dateTime(out, "CancellationDateTime", when);
    if (!n.reference.empty()) leaf(out, "FunctionalReferenceID", n.reference);
    if (!n.case_id.empty()) leaf(out, "ID", n.case_id);  // the hub's case id stands where CDS puts the MRN
    if (code == "03") dateTime(out, "RejectionDateTime", when);
    out += "</Declaration></Response>";
    // What is due and why follows as the DMS's own tax calculation response (13, DMSTAX).
    if (code == "03" || code == "10") continue;
    auto revenue = json::readRevenue(n);
    if (!revenue) {
      problems.push_back({at + revenue.errors().front().path, revenue.errors().front().message});
      continue;
    }
    if (!revenue.value()) continue;
    auto tax = taxResponse(n, *revenue.value(), when, at);
    if (!tax) problems.insert(problems.end(), tax.errors().begin(), tax.errors().end());
    else out += tax.value();
  }
  if (!problems.empty()) return problems;
  out += "</md:MetaData>\n";
  return out;
}

}  // namespace swhub::plugins::wco_dec
