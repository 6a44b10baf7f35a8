// The return path of the release coordinator (README "Returns and refunds"): a `return` filing
// names the inbound case and the items going back; they are matched with the inbound items, and
// a return that matches and is proven gives back its share of what was paid.
#include <algorithm>

#include "common/ids.hpp"
#include "model/canonical_json.hpp"
#include "model/json_writer.hpp"
#include "release/coordinator.hpp"

namespace swhub::release {
namespace {

std::string detailJson(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  {
    model::ObjectWriter o(out);
    for (const auto& [k, v] : fields) o.string(k, v, true);
  }
  return out;
}

sdk::Consignment inboundOf(const journal::CaseRecord& record) {
  model::DecodeOptions options;
  options.allow_hub_fields = true;
  options.validate = false;
  auto decoded = model::decodeConsignmentJson(record.consignment_json, options);
  return decoded.ok() ? decoded.take() : sdk::Consignment{};
}

// Whether two returns name the same quantities of the same items.
bool sameItems(std::vector<ReturnItem> a, std::vector<ReturnItem> b) {
  auto key = [](const ReturnItem& x, const ReturnItem& y) { return x.item < y.item; };
  std::sort(a.begin(), a.end(), key);
  std::sort(b.begin(), b.end(), key);
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].item != b[i].item || a[i].quantity != b[i].quantity) return false;
  }
  return true;
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

std::string proofTypes(const ReturnPolicy& policy) { return joined(policy.proof_types, " or "); }

}  // namespace

sdk::Result<CaseState> Coordinator::planReturn(journal::WriteBatch& batch, const journal::CaseRecord& record,
                                               CaseStatus status, const sdk::Consignment& filing,
                                               const std::string& messageId, const Actor& actor, Instant now,
                                               const std::string& location) const {
  const CaseState state = record.state;
  if (state != CaseState::Released && state != CaseState::Cleared && state != CaseState::Returned &&
      state != CaseState::Refunded) {
    return sdk::Result<CaseState>::failure(location, "case " + record.id + " is " + std::string(toString(state)) +
                                                           ": a return needs a released case, or a cleared one "
                                                           "whose goods are not yet delivered");
  }
  if (filing.items.empty()) {
    return sdk::Result<CaseState>::failure(location, "a return names the items going back (each by its inbound "
                                                       "sequence, with its hs, quantity and value): none given");
  }
  const ReturnPolicy& policy = directory_.returns;
  batch.events.push_back({0, record.id, now, actor, "received", {}, {}, detailJson({{"filing", "return"}}), messageId});
  const auto proof = proofOf(filing, policy);
  const std::vector<ReturnItem> filedItems = returnItems(filing);

  // Records `r` (new, or changed in place) and tells the filer; the case state stays.
  auto recordOnly = [&](const ReturnRecord& r, const std::string& event) {
    std::string detail;
    writeReturn(detail, r);
    batch.events.push_back({0, record.id, now, actor, "return", {}, {}, detail, messageId});
    batch.case_updates.push_back({record.id, record.version, state, "", "", now, status.toJson()});
    planTransition(batch, record, status, state, state, actor, now, messageId, event, r.reason, r.reason_codes, "",
                   {{"return_id", r.id}});
    return sdk::Result<CaseState>(state);
  };

  // The same return again with its proof of export completes the one awaiting it (README).
  auto awaiting = std::find_if(status.returns.begin(), status.returns.end(), [&](const ReturnRecord& r) {
    return r.state == ReturnState::AwaitingProof && sameItems(r.items, filedItems);
  });
  ReturnRecord ret;
  std::size_t position = status.returns.size();  // where the return is kept: the one completed stays in place
  if (awaiting != status.returns.end()) {
    if (!proof) return recordOnly(*awaiting, "return-awaiting-proof");
    ret = *awaiting;
    position = static_cast<std::size_t>(awaiting - status.returns.begin());
    status.returns.erase(awaiting);
  } else {
    const bool released = status.released;
    const Instant start = released && status.releasedAt ? *status.releasedAt : record.created_at;
    const ReturnCheck check =
        checkReturn(inboundOf(record), status.returns, filing, start, released ? "released" : "filed", now, policy);
    ret.id = common::newId("R-");
    ret.message_id = messageId;
    ret.filed_at = now;
    ret.items = check.items;
    if (!check.matches()) {
      ret.state = ReturnState::Held;
      ret.differences = check.differences;
      ret.reason_codes = check.reason_codes;
      std::vector<std::string> texts;
      for (const auto& d : check.differences) texts.push_back(d.text());
      ret.reason = "return held, no refund: " + joined(texts, "; ");
      status.returns.push_back(ret);
      return recordOnly(ret, "return-held");
    }
    if (!proof) {
      ret.state = ReturnState::AwaitingProof;
      ret.reason_codes = {kReturnNoProof};
      ret.reason = "proof of export awaited: a document of type " + proofTypes(policy) +
                   " on an item of this return, or this return filed again with it";
      status.returns.push_back(ret);
      return recordOnly(ret, "return-awaiting-proof");
    }
  }

  // Matched and proven: the goods went back; what was paid for them is given back.
  ret.proof_type = proof->type;
  ret.proof_id = proof->id;
  ret.reason_codes.clear();
  const RefundPlan plan = planRefund(refundableLines(status), inboundOf(record), status.returns, ret.items);
  const auto instructions = instructRefund(plan.total, plan.currency, status.payments);
  sdk::Decimal instructed;
  for (const auto& i : instructions) instructed = instructed + sdk::Decimal::parse(i.amount).value_or(sdk::Decimal());
  if (!instructions.empty()) {
    ret.state = ReturnState::Refunded;
    ret.refund = plan.lines;
    ret.refunded = instructed.toString();
    ret.currency = plan.currency;
    ret.instructions = instructions;
    ret.reason = "returned with proof of export " + ret.proof_type + " " + ret.proof_id + "; refund of " +
                 ret.refunded + " " + ret.currency + " instructed";
    if (instructed < plan.total) {
      ret.reason += " (the payments had " + instructed.toString() + " left of the " + plan.total.toString() + " due back)";
    }
    for (auto& p : status.payments) {
      for (const auto& i : instructions) {
        if (i.transaction_id != p.transaction_id) continue;
        const auto before = sdk::Decimal::parse(p.instructed.empty() ? "0" : p.instructed).value_or(sdk::Decimal());
        p.instructed = (before + sdk::Decimal::parse(i.amount).value_or(sdk::Decimal())).toString();
      }
    }
  } else if (status.collection == "account" && plan.total > sdk::Decimal()) {
    // Charged to an account, never paid at the border: the account's next statement credits it.
    ret.state = ReturnState::Returned;
    ret.refund = plan.lines;
    ret.credited = plan.total.toString();
    ret.currency = plan.currency;
    ret.reason = "returned with proof of export " + ret.proof_type + " " + ret.proof_id + "; credit of " +
                 ret.credited + " " + ret.currency + " on the account's next statement";
  } else {
    ret.state = ReturnState::Returned;
    ret.reason = "returned with proof of export " + ret.proof_type + " " + ret.proof_id + "; " +
                 (plan.total > sdk::Decimal() ? "nothing was paid through a payment provider for this case (model " +
                                                    status.collection + "): no refund instructed"
                                              : "nothing to refund");
  }
  status.returns.insert(status.returns.begin() + static_cast<std::ptrdiff_t>(position), ret);
  const CaseState after = deriveState(status);
  std::string detail;
  writeReturn(detail, ret);
  batch.events.push_back({0, record.id, now, actor, "return", {}, {}, detail, messageId});
  batch.case_updates.push_back({record.id, record.version, after, "", "", now, status.toJson()});

  const std::vector<std::pair<std::string, std::string>> returnDetail{{"return_id", ret.id}};
  if (state != CaseState::Returned && state != CaseState::Refunded) {
    planTransition(batch, record, status, state, CaseState::Returned, actor, now, messageId, "returned", ret.reason, {}, "",
                   returnDetail);
  }
  if (ret.state == ReturnState::Refunded) {
    std::vector<std::string> why;
    for (const auto& l : ret.refund) {
      why.push_back(l.tax + " item " + (l.item ? std::to_string(*l.item) : std::string("-")) + ": " + l.why);
    }
    const CaseState from = state == CaseState::Refunded ? state : CaseState::Returned;
    planTransition(batch, record, status, from, CaseState::Refunded, Actor::hub(), now, messageId, "refunded", ret.reason, {}, "",
                   {{"return_id", ret.id},
                    {"refund_amount", ret.refunded},
                    {"refund_currency", ret.currency},
                    {"refund_why", joined(why, "; ")}});
    // The payment provider that settled the case is told what to give back of which payment.
    for (const auto& i : ret.instructions) {
      sdk::Notification n{common::newId("N-"), record.id, record.reference, "refund-instructed",
                          std::string(toString(CaseState::Refunded)),
                          "goods returned: refund " + i.amount + " " + i.currency + " of payment " + i.transaction_id,
                          common::toString(now), {}};
      n.details = {{"return_id", ret.id},
                   {"refund_transaction_id", i.transaction_id},
                   {"refund_amount", i.amount},
                   {"refund_currency", i.currency}};
      planNotice(batch, record, i.partner, std::move(n), now);
    }
  } else if (state == CaseState::Returned || state == CaseState::Refunded) {
    // Already returned before: this return is told on its own.
    planTransition(batch, record, status, state, after, actor, now, messageId, "returned", ret.reason, {}, "",
                   returnDetail);
  }
  return after;
}

}  // namespace swhub::release
