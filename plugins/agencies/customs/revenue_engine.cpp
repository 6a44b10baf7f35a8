#include "revenue_engine.hpp"

#include <algorithm>
#include <utility>

namespace swhub::plugins::customs {

namespace {

std::string money(sdk::Decimal amount, const std::string& currency) { return amount.toString() + " " + currency; }

// A line's why with the legal basis of its rule, when the settings give one.
std::string based(std::string why, const std::string& basis) { return basis.empty() ? why : why + "; basis: " + basis; }

// " (shipped from US, MX; ...)" for a scoped threshold, "" for an open one.
std::string scopeNote(const DatedMoney& d) { return d.scope.open() ? "" : " (" + d.scope.describe() + ")"; }

std::string upper(std::string word) {
  for (char& ch : word) ch = static_cast<char>(ch >= 'a' && ch <= 'z' ? ch - 'a' + 'A' : ch);
  return word;
}

std::string percent(sdk::Decimal p) {
  std::string text = p.toString();
  // "23.00" reads better as "23".
  if (text.ends_with(".00")) text.resize(text.size() - 3);
  return text + " %";
}

// One assessment: the consignment, its date and what has been computed so far.
class Assessor {
 public:
  Assessor(const Settings& settings, const sdk::Consignment& consignment, Date day)
      : s_(settings), c_(consignment), day_(day) {
    out_.currency = s_.currency;
    out_.declared_model = consignment.fiscal.model;
    out_.model = consignment.fiscal.model;
  }

  Assessment run() {
    if (std::all_of(c_.items.begin(), c_.items.end(), [](const sdk::Item& i) { return i.nature == sdk::Nature::Documents; })) {
      out_.category = 1;
      out_.notes.push_back("documents only: no duty or tax");
      return std::move(out_);
    }
    if (!values() || !assessDuty() || !assessVat()) return failed();
    applyModel();
    for (const RevenueLine& line : out_.lines) {
      if (!line.collected_at_sale) out_.due = out_.due + line.amount;
    }
    const DatedMoney* lowValue = inForce(s_.low_value, day_, c_);
    std::optional<sdk::Decimal> lowValueLocal;
    if (lowValue != nullptr && !(lowValueLocal = local(lowValue->money))) return failed();
    if (lowValueLocal && out_.value > *lowValueLocal) out_.category = 4;
    else out_.category = out_.due == sdk::Decimal() ? 2 : 3;
    return std::move(out_);
  }

 private:
  // The rate in force on the filing date: the latest table on or before it that lists the currency.
  const Rate* rate(const std::string& currency) const {
    auto byCurrency = s_.rates.find(currency);
    if (byCurrency == s_.rates.end()) return nullptr;
    auto it = byCurrency->second.upper_bound(day_);
    if (it == byCurrency->second.begin()) return nullptr;
    return &std::prev(it)->second;
  }

  // `m` in the jurisdiction's currency, rounded; on failure the reason is in `reason`.
  std::optional<sdk::Decimal> localOr(const Money& m, std::string& reason) const {
    if (m.currency == s_.currency) return s_.rounding.apply(m.amount);
    const Rate* r = rate(m.currency);
    if (r == nullptr) {
      reason = "no rate for " + (m.currency.empty() ? std::string("an empty currency") : m.currency) + " on " +
               day_.toString();
      return std::nullopt;
    }
    auto converted = convert(m.amount, *r, s_.rounding);
    if (!converted) reason = money(m.amount, m.currency) + " is out of range once converted";
    return converted;
  }

  std::optional<sdk::Decimal> local(const Money& m) {
    std::string reason;
    auto v = localOr(m, reason);
    if (!v && error_.empty()) error_ = reason;
    return v;
  }

  Assessment failed() {
    Assessment a;
    a.currency = s_.currency;
    a.declared_model = c_.fiscal.model;
    a.model = c_.fiscal.model;
    a.error = "cannot assess: " + (error_.empty() ? std::string("amount out of range") : error_);
    return a;
  }

  bool add(RevenueLine line) {
    line.currency = s_.currency;
    out_.lines.push_back(std::move(line));
    return true;
  }

  bool values() {
    for (const sdk::Item& item : c_.items) {
      auto v = local(Money{item.value, item.currency});
      if (!v) return false;
      values_.push_back(*v);
      out_.value = out_.value + *v;
    }
    return true;
  }

  // The charges in force for this consignment's value, each with its amount in local currency.
  bool applyingCharges(std::vector<std::pair<const Charge*, sdk::Decimal>>& out) {
    for (const Charge& ch : s_.charges) {
      if (!ch.when.inForce(day_)) continue;
      if (ch.max_value) {
        auto ceiling = local(*ch.max_value);
        if (!ceiling) return false;
        if (out_.value > *ceiling) continue;
      }
      auto amount = local(ch.amount);
      if (!amount) return false;
      out.emplace_back(&ch, *amount);
    }
    return true;
  }

  bool assessDuty() {
    std::vector<std::pair<const Charge*, sdk::Decimal>> charges;
    if (!applyingCharges(charges)) return false;
    const auto replacing = std::find_if(charges.begin(), charges.end(), [](const auto& c) { return c.first->replaces_tariff; });
    const DatedMoney* threshold = inForce(s_.duty_threshold, day_, c_);
    std::optional<sdk::Decimal> thresholdLocal;
    if (threshold != nullptr && !(thresholdLocal = local(threshold->money))) return false;

    if (replacing != charges.end()) {
      out_.notes.push_back("no ad valorem duty: replaced by " + replacing->first->name);
    } else if (thresholdLocal && out_.value <= *thresholdLocal) {
      out_.notes.push_back("no duty: value " + money(out_.value, s_.currency) + " is at most the duty threshold " +
                           money(*thresholdLocal, s_.currency) + scopeNote(*threshold));
    } else {
      for (std::size_t i = 0; i < c_.items.size(); ++i) {
        const sdk::Item& item = c_.items[i];
        const PrefixRate* r = s_.tariff.find(item.hs, item.origin);
        const sdk::Decimal p = r != nullptr ? r->percent : s_.tariff_default;
        auto amount = percentOf(values_[i], p, s_.rounding);
        if (!amount) return false;
        std::string why = r != nullptr ? "tariff HS " + r->hs_prefix + (r->name.empty() ? "" : " (" + r->name + ")") +
                                             (r->origins.empty() ? "" : " for origin " + item.origin)
                                       : "tariff default rate (no prefix of HS " + item.hs + ")";
        add({"duty", item.sequence, values_[i], p, *amount, {}, based(why + ": " + percent(p), s_.tariff_basis), false});
        vatBaseExtra(item.sequence, *amount);
      }
    }
    for (const auto& [ch, amount] : charges) {
      if (!charge(*ch, amount)) return false;
    }
    return true;
  }

  bool charge(const Charge& ch, sdk::Decimal amount) {
    switch (ch.per) {
      case ChargeBasis::Item:
        for (std::size_t i = 0; i < c_.items.size(); ++i) {
          add({ch.tax, c_.items[i].sequence, values_[i], std::nullopt, amount, {},
               based(ch.name + ": " + money(amount, s_.currency) + " per item", ch.basis), false});
          if (ch.in_vat_base) vatBaseExtra(c_.items[i].sequence, amount);
        }
        return true;
      case ChargeBasis::Consignment:
        add({ch.tax, std::nullopt, out_.value, std::nullopt, amount, {},
             based(ch.name + ": " + money(amount, s_.currency) + " per consignment", ch.basis), false});
        if (ch.in_vat_base) consignmentVatBase_ = consignmentVatBase_ + amount;
        return true;
      case ChargeBasis::Classification: break;
    }
    // Distinct classifications in order of first appearance; the line goes to the first item.
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < c_.items.size(); ++i) {
      const std::string key = c_.items[i].hs.substr(0, ch.classification_digits);
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
      seen.push_back(key);
      sdk::Decimal base;
      std::string sequences;
      for (std::size_t k = i; k < c_.items.size(); ++k) {
        if (c_.items[k].hs.substr(0, ch.classification_digits) != key) continue;
        base = base + values_[k];
        sequences += (sequences.empty() ? "" : ", ") + std::to_string(c_.items[k].sequence);
      }
      add({ch.tax, c_.items[i].sequence, base, std::nullopt, amount, {},
           based(ch.name + ": " + money(amount, s_.currency) + " per distinct tariff classification (HS " + key +
               ": item" + (sequences.find(',') != std::string::npos ? "s " : " ") + sequences + ")",
                 ch.basis),
           false});
      if (ch.in_vat_base) vatBaseExtra(c_.items[i].sequence, amount);
    }
    return true;
  }

  void vatBaseExtra(int sequence, sdk::Decimal amount) {
    for (std::size_t i = 0; i < c_.items.size(); ++i) {
      if (c_.items[i].sequence == sequence) {
        if (extra_.size() < c_.items.size()) extra_.resize(c_.items.size());
        extra_[i] = extra_[i] + amount;
        return;
      }
    }
  }

  bool assessVat() {
    if (s_.vat.empty()) {
      out_.notes.push_back("no VAT or GST in " + s_.jurisdiction);
      return true;
    }
    const DatedMoney* threshold = inForce(s_.tax_threshold, day_, c_);
    std::optional<sdk::Decimal> thresholdLocal;
    if (threshold != nullptr && !(thresholdLocal = local(threshold->money))) return false;
    const std::string taxWord = upper(s_.tax_name);
    if (thresholdLocal && out_.value <= *thresholdLocal) {
      out_.notes.push_back("no " + taxWord + ": value " + money(out_.value, s_.currency) + " is at most the tax threshold " +
                           money(*thresholdLocal, s_.currency) + scopeNote(*threshold));
      return true;
    }
    const auto rates = std::find_if(s_.vat.begin(), s_.vat.end(), [&](const VatRates& v) { return v.when.inForce(day_); });
    if (rates == s_.vat.end()) {
      error_ = "no " + taxWord + " rates in force on " + day_.toString();
      return false;
    }
    extra_.resize(c_.items.size());
    for (std::size_t i = 0; i < c_.items.size(); ++i) {
      const sdk::Item& item = c_.items[i];
      const PrefixRate* reduced = rates->reduced.find(item.hs);
      const sdk::Decimal p = reduced != nullptr ? reduced->percent : rates->standard;
      const sdk::Decimal base = values_[i] + extra_[i];
      auto amount = percentOf(base, p, s_.rounding);
      if (!amount) return false;
      std::string why = reduced != nullptr
                            ? (reduced->name.empty() ? std::string("reduced") : reduced->name) + " rate for HS " + reduced->hs_prefix
                            : std::string("standard rate");
      if (extra_[i] != sdk::Decimal()) why += " on value and duty";
      taxLines_.push_back(out_.lines.size());
      add({s_.tax_name, item.sequence, base, p, *amount, {}, based(why + ": " + percent(p), rates->basis), false});
      // What a vendor collects at sale: VAT on the price, before any duty is known.
      auto atSale = percentOf(values_[i], p, s_.rounding);
      if (!atSale) return false;
      saleVat_ = saleVat_ + *atSale;
    }
    if (consignmentVatBase_ != sdk::Decimal()) {
      auto amount = percentOf(consignmentVatBase_, rates->standard, s_.rounding);
      if (!amount) return false;
      taxLines_.push_back(out_.lines.size());
      add({s_.tax_name, std::nullopt, consignmentVatBase_, rates->standard, *amount, {},
           based("standard rate on the consignment's charges: " + percent(rates->standard), rates->basis), false});
    }
    return true;
  }

  // "" when the vendor model holds, else why it does not. `vatComputed` is the VAT on the items'
  // values alone: a vendor collects at sale on its price, before any duty is known.
  std::string vendorRefusal(sdk::Decimal vatComputed) const {
    const Vendor& v = *s_.vendor;
    const sdk::Fiscal& f = c_.fiscal;
    if (!f.collected_at_sale) return "the filing does not declare tax collected at sale";
    std::string registration = f.registration;
    if (registration.empty() && c_.parties.seller) registration = c_.parties.seller->registration;
    if (registration.empty()) return "no registration number";
    if (!std::regex_match(registration, v.registration_format)) {
      return "registration '" + registration + "' is malformed (expected " + v.registration_format_text + ")";
    }
    if (!std::binary_search(v.registry.begin(), v.registry.end(), registration)) {
      return "registration '" + registration + "' is not in the registry";
    }
    std::string reason;
    if (v.ceiling) {
      auto ceiling = localOr(*v.ceiling, reason);
      if (!ceiling) return reason;
      if (out_.value > *ceiling) {
        return "value " + money(out_.value, s_.currency) + " is above the vendor model's ceiling " + money(*ceiling, s_.currency);
      }
    }
    if (!f.tax_collected) return "no amount of tax collected declared";
    auto collected = localOr(Money{*f.tax_collected, f.tax_currency.empty() ? s_.currency : f.tax_currency}, reason);
    if (!collected) return "tax collected: " + reason;
    sdk::Decimal tolerance = v.tolerance_amount;
    if (auto share = percentOf(vatComputed, v.tolerance_percent, s_.rounding); share && *share > tolerance) tolerance = *share;
    const sdk::Decimal gap = *collected > vatComputed ? *collected - vatComputed : vatComputed - *collected;
    if (gap > tolerance) {
      return "tax collected " + money(*collected, s_.currency) + " is implausible against " +
             money(vatComputed, s_.currency) + " computed (tolerance " + money(tolerance, s_.currency) + ")";
    }
    return "";
  }

  void applyModel() {
    const auto& accepted = s_.accepted_models;
    if (std::find(accepted.begin(), accepted.end(), out_.declared_model) == accepted.end()) {
      out_.model = sdk::CollectionModel::Consumer;
      out_.model_reason = std::string(sdk::toString(out_.declared_model)) + " model not accepted here: the consumer pays";
      return;
    }
    if (out_.declared_model != sdk::CollectionModel::Vendor) return;
    const std::string refusal = s_.vendor ? vendorRefusal(saleVat_) : std::string("no vendor registry configured");
    if (!refusal.empty()) {
      out_.model = sdk::CollectionModel::Consumer;
      out_.model_reason = "vendor model refused: " + refusal + "; the consumer pays";
      for (std::size_t i : taxLines_) out_.lines[i].why += "; due at import: " + refusal;
      return;
    }
    const std::string& reg = c_.fiscal.registration.empty() && c_.parties.seller ? c_.parties.seller->registration
                                                                                  : c_.fiscal.registration;
    for (std::size_t i : taxLines_) {
      out_.lines[i].collected_at_sale = true;
      out_.lines[i].why += "; collected at sale under " + reg;
    }
  }

  const Settings& s_;
  const sdk::Consignment& c_;
  const Date day_;
  Assessment out_;
  std::string error_;
  std::vector<sdk::Decimal> values_;  // per item, in local currency
  std::vector<sdk::Decimal> extra_;   // per item: duty and charges in its VAT base
  sdk::Decimal consignmentVatBase_;
  sdk::Decimal saleVat_;  // VAT on the items' values alone: what the vendor model should have collected
  std::vector<std::size_t> taxLines_;  // the VAT/GST lines: a charge may share their word, never their fate
};

}  // namespace

Assessment RevenueEngine::assess(const sdk::Consignment& consignment, Date filed) const {
  return Assessor(settings_, consignment, filed).run();
}

}  // namespace swhub::plugins::customs
