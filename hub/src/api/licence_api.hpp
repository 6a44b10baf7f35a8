#pragma once
// Admin endpoints of the agencies' licence registries (README "Licences and certificates"):
//   GET  /v1/admin/licences[?agency=ID]        every licence (of one agency)
//   POST /v1/admin/licences                    add one: {agency, id, type, holder, valid_from,
//                                              valid_to, quantity}; 201, 409 when it exists
//   GET  /v1/admin/licences/{agency}/{id}      one licence and the cases that use it
//   PUT  /v1/admin/licences/{agency}/{id}      update it (fields given change; what cases use
//                                              stays used: 409 below that)

#include <set>
#include <string>

#include "api/http_result.hpp"
#include "journal/journal.hpp"

namespace swhub::api {

class LicenceApi {
 public:
  // `agencies`: the ids of the configured agencies (a licence belongs to one of them).
  LicenceApi(journal::Journal& journal, std::set<std::string> agencies)
      : journal_(journal), agencies_(std::move(agencies)) {}

  HttpResult list(const std::string& agency) const;
  HttpResult add(const std::string& body) const;
  HttpResult get(const std::string& agency, const std::string& id) const;
  HttpResult update(const std::string& agency, const std::string& id, const std::string& body) const;

 private:
  journal::Journal& journal_;
  std::set<std::string> agencies_;
};

}  // namespace swhub::api
