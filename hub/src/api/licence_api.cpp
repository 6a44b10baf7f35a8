#include "api/licence_api.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <optional>
#include <sstream>

#include "common/calendar_day.hpp"
#include "swhub/sdk/model.hpp"

namespace swhub::api {
namespace {

std::string amount(std::int64_t units) { return sdk::Decimal::fromUnits(units).toString(); }

Poco::JSON::Object licenceJson(const journal::Licence& l) {
  Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
  o.set("agency", l.agency);
  o.set("id", l.id);
  o.set("type", l.type);
  o.set("holder", l.holder);
  o.set("valid_from", l.valid_from);
  o.set("valid_to", l.valid_to);
  o.set("quantity", amount(l.quantity));
  o.set("remaining", amount(l.remaining));
  o.set("used", amount(l.quantity - l.remaining));
  o.set("updated_at", l.updated_at);
  return o;
}

// The body's fields, checked; `adding` requires every one, an update only those given.
struct LicenceInput {
  journal::Licence licence;
  sdk::Errors errors;
};

LicenceInput readInput(const std::string& body, bool adding, const journal::Licence& base) {
  LicenceInput in{base, {}};
  Poco::JSON::Object::Ptr object;
  try {
    const Poco::Dynamic::Var parsed = Poco::JSON::Parser().parse(body);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
      in.errors.push_back({"", "expected a JSON object {agency, id, type, holder, valid_from, valid_to, quantity}"});
      return in;
    }
    object = parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    in.errors.push_back({"", "not valid JSON: " + e.displayText()});
    return in;
  }
  auto text = [&](const std::string& key, std::string& into) {
    if (!object->has(key) || object->isNull(key)) {
      if (adding) in.errors.push_back({"/" + key, "required field missing"});
      return;
    }
    if (!object->get(key).isString() || object->getValue<std::string>(key).empty()) {
      in.errors.push_back({"/" + key, "expected a non-empty string"});
      return;
    }
    into = object->getValue<std::string>(key);
  };
  if (adding) {
    text("agency", in.licence.agency);
    text("id", in.licence.id);
  } else {
    for (const char* key : {"agency", "id"}) {
      if (object->has(key)) in.errors.push_back({std::string("/") + key, "names the licence in the URL: not changed here"});
    }
  }
  text("type", in.licence.type);
  text("holder", in.licence.holder);
  for (auto [key, into] : {std::pair{"valid_from", &in.licence.valid_from}, std::pair{"valid_to", &in.licence.valid_to}}) {
    std::string day;
    text(key, day);
    if (day.empty()) continue;
    if (day.size() != 10 || !common::parseDay(day)) {
      in.errors.push_back({std::string("/") + key, "'" + day + "' is not a date (YYYY-MM-DD)"});
    } else {
      *into = day;
    }
  }
  if (object->has("quantity") && !object->isNull("quantity")) {
    const std::string q = object->get("quantity").toString();
    const auto parsed = sdk::Decimal::parse(q);
    if (!parsed || *parsed <= sdk::Decimal()) {
      in.errors.push_back({"/quantity", "'" + q + "' is not a decimal above 0 (at most 4 fraction digits)"});
    } else {
      in.licence.quantity = parsed->units();
    }
  } else if (adding) {
    in.errors.push_back({"/quantity", "required field missing"});
  }
  for (const auto& [key, _] : *object) {
    static const std::set<std::string> kKnown = {"agency", "id", "type", "holder", "valid_from", "valid_to", "quantity"};
    if (!kKnown.count(key)) in.errors.push_back({"/" + key, "unknown field (agency, id, type, holder, valid_from, valid_to, quantity)"});
  }
  const auto from = common::parseDay(in.licence.valid_from);
  const auto to = common::parseDay(in.licence.valid_to);
  if (from && to && *to < *from) {
    in.errors.push_back({"/valid_to", in.licence.valid_to + " is before valid_from " + in.licence.valid_from});
  }
  return in;
}

// The journal could not write: nothing changed, try again later.
HttpResult unavailable(const std::string& why) {
  HttpResult r = problem(503, "journal-unavailable", "Service Unavailable", why);
  r.headers.push_back({"Retry-After", "30"});
  return r;
}

}  // namespace

HttpResult LicenceApi::list(const std::string& agency) const {
  if (!agency.empty() && !agencies_.count(agency)) {
    return problem(404, "not-found", "Not Found", "no agency '" + agency + "'", {{"agency", "no such agency"}});
  }
  Poco::JSON::Array licences;
  for (const auto& l : journal_.listLicences(agency)) licences.add(licenceJson(l));
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  out.set("licences", licences);
  return json(200, stringify(out));
}

HttpResult LicenceApi::add(const std::string& body) const {
  LicenceInput in = readInput(body, true, {});
  if (!in.licence.agency.empty() && !agencies_.count(in.licence.agency)) {
    in.errors.push_back({"/agency", "no agency '" + in.licence.agency + "'"});
  }
  if (!in.errors.empty()) return problem(400, "invalid-licence", "Bad Request", "the licence is not valid", in.errors);
  journal::LicencePutResult put;
  try {
    put = journal_.putLicence(in.licence, journal::LicencePut::Insert);
  } catch (const journal::JournalError& e) {
    return unavailable(e.what());
  }
  if (put.status == journal::LicencePutResult::Status::Exists) {
    return problem(409, "licence-exists", "Conflict",
                   "agency '" + in.licence.agency + "' has a licence '" + in.licence.id + "' already",
                   {{"/id", "already in the registry: PUT /v1/admin/licences/" + in.licence.agency + "/" + in.licence.id +
                                " changes it"}});
  }
  return json(201, stringify(licenceJson(put.stored)));
}

HttpResult LicenceApi::get(const std::string& agency, const std::string& id) const {
  auto licence = agencies_.count(agency) ? journal_.findLicence(agency, id) : std::nullopt;
  if (!licence) return problem(404, "not-found", "Not Found", "agency '" + agency + "' has no licence '" + id + "'");
  Poco::JSON::Object out = licenceJson(*licence);
  Poco::JSON::Array uses;
  for (const auto& use : journal_.usesOfLicence(agency, id)) {
    Poco::JSON::Object u(Poco::JSON_PRESERVE_KEY_ORDER);
    u.set("case_id", use.case_id);
    u.set("item", use.item);
    u.set("quantity", amount(use.quantity));
    u.set("at", use.at);
    uses.add(u);
  }
  out.set("uses", uses);
  return json(200, stringify(out));
}

HttpResult LicenceApi::update(const std::string& agency, const std::string& id, const std::string& body) const {
  auto stored = agencies_.count(agency) ? journal_.findLicence(agency, id) : std::nullopt;
  if (!stored) return problem(404, "not-found", "Not Found", "agency '" + agency + "' has no licence '" + id + "'");
  LicenceInput in = readInput(body, false, *stored);
  if (!in.errors.empty()) return problem(400, "invalid-licence", "Bad Request", "the licence is not valid", in.errors);
  journal::LicencePutResult put;
  try {
    put = journal_.putLicence(in.licence, journal::LicencePut::Update);
  } catch (const journal::JournalError& e) {
    return unavailable(e.what());
  }
  if (put.status == journal::LicencePutResult::Status::Missing) {
    return problem(404, "not-found", "Not Found", "agency '" + agency + "' has no licence '" + id + "'");
  }
  if (put.status == journal::LicencePutResult::Status::BelowUsed) {
    const std::int64_t used = put.stored.quantity - put.stored.remaining;
    return problem(409, "licence-used", "Conflict", "cases use more of licence '" + id + "' than that",
                   {{"/quantity", amount(in.licence.quantity) + " is below the " + amount(used) +
                                      " that cases use already"}});
  }
  return json(200, stringify(licenceJson(put.stored)));
}

}  // namespace swhub::api
