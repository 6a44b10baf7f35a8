#include "intake/case_lookup.hpp"

namespace swhub::intake {

std::optional<journal::CaseRecord> followUpTarget(journal::Journal& journal, const std::string& partnerId,
                                                  const sdk::Consignment& filing, std::string& error) {
  std::optional<journal::CaseRecord> target;
  if (!filing.case_id.empty()) {
    target = journal.getCase(filing.case_id);
    if (target && target->partner != partnerId) target.reset();  // never widen the caller's scope
  } else {
    auto found = journal.findCases(partnerId, filing.reference);
    if (!found.empty()) target = found.back();
  }
  if (!target) {
    error = "no case of partner '" + partnerId + "' with " +
            (filing.case_id.empty() ? "reference '" + filing.reference + "'" : "case id '" + filing.case_id + "'") +
            " for this " + std::string(sdk::toString(filing.filing));
  }
  return target;
}

std::optional<journal::CaseRecord> caseForEvent(journal::Journal& journal,
                                                const std::map<std::string, std::unique_ptr<PartnerRuntime>>& partners,
                                                const sdk::HubEvent& event, sdk::Errors& errors) {
  if (!event.case_id.empty()) {
    if (auto record = journal.getCase(event.case_id)) return record;
    errors.push_back({"/case_id", "no case '" + event.case_id + "'"});
    return std::nullopt;
  }
  std::vector<journal::CaseRecord> found;
  for (const auto& [id, _] : partners) {
    for (auto& record : journal.findCases(id, event.reference)) found.push_back(std::move(record));
  }
  if (found.size() == 1) return found.front();
  errors.push_back({"/reference", found.empty() ? "no case with reference '" + event.reference + "'"
                                                : "reference '" + event.reference + "' names " +
                                                      std::to_string(found.size()) + " cases: give the case_id"});
  return std::nullopt;
}

}  // namespace swhub::intake
