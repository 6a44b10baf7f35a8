#pragma once
// Generated express manifests (CSV, one house waybill per line, plugin express_manifest) and the
// POST that files one, shared by tests/integration/large_manifest_test.cpp and
// tests/bench/large_manifest_bench.cpp.

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "hub_process.hpp"

namespace swhub::testing {

// "HWB000000042" for i = 42: the house waybill of line i.
inline std::string house(std::size_t i) {
  char text[32];
  std::snprintf(text, sizeof text, "HWB%09zu", i);
  return text;
}

// `lines` house waybills (about 177 bytes a line) behind the header row; `salt` prefixes every
// house waybill (another body with the same lines); the lines whose index is in `bad` carry an
// HS code that is not one.
inline std::string expressManifest(std::size_t lines, const std::string& salt = "",
                                   const std::vector<std::size_t>& bad = {}) {
  std::string csv =
      "master_waybill,house_waybill,shipper_name,shipper_country,consignee_name,consignee_address,"
      "consignee_country,description,hs_code,quantity,unit,net_kg,gross_kg,value,currency,origin,nature,"
      "flight,departure,destination,arrival\n";
  csv.reserve(lines * 190 + csv.size());
  for (std::size_t i = 0; i < lines; ++i) {
    const bool broken = std::find(bad.begin(), bad.end(), i) != bad.end();
    csv += "999-12345675," + salt + house(i) + ",Shenzhen Gadget Co,CN,Ana Silva,\"Rua Augusta 10, Lisboa\",PT,"
           "Bluetooth headphones," + std::string(broken ? "85X830" : "851830") +
           ",1,pce,0.25,0.4,45.00,EUR,CN,,TP1234,CN,PT,2026-11-29T08:00:00Z\n";
  }
  return csv;
}

// POST /v1/messages of a CSV manifest, as request() does but with a timeout fit for the largest
// manifest on a busy machine.
inline HttpResponse fileManifest(const std::string& address, const std::string& body, const std::string& key,
                                 const std::string& token, std::chrono::seconds timeout) {
  const auto colon = address.rfind(':');
  Poco::Net::HTTPClientSession session(address.substr(0, colon),
                                       static_cast<Poco::UInt16>(std::stoi(address.substr(colon + 1))));
  session.setTimeout(Poco::Timespan(static_cast<long>(timeout.count()), 0));
  Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, "/v1/messages", Poco::Net::HTTPMessage::HTTP_1_1);
  req.set("Authorization", "Bearer " + token);
  req.set("Idempotency-Key", key);
  req.setContentType("text/csv");
  req.setContentLength64(static_cast<Poco::Int64>(body.size()));
  session.sendRequest(req).write(body.data(), static_cast<std::streamsize>(body.size()));
  Poco::Net::HTTPResponse res;
  std::istream& in = session.receiveResponse(res);
  HttpResponse out;
  out.status = static_cast<int>(res.getStatus());
  Poco::StreamCopier::copyToString(in, out.body);
  return out;
}

}  // namespace swhub::testing
