#pragma once
// The payload encoding of the isolation protocol (isolation_protocol.hpp): every SDK type a call
// into an isolated plugin carries, field by field.
//
// Why a small binary encoding of our own rather than JSON or protobuf: both ends are the same swhub
// binary (the child is this executable, exec'd again), so there is no schema to evolve between
// builds beyond the hello's version; doubles must come back bit for bit (a weight of 0.1 kg is not
// reformatted); a 200,000-line manifest crosses as 200,000 frames, so encoding must cost
// microseconds, not a parse; and adding a dependency to the hub for this is not worth it.
// Layout: integers little-endian fixed width, strings and lists a u32 count then the items, an
// optional a u8 flag then the value, an enum a u8 checked against its range on reading.
//
// put(Writer&, const T&) / get(Reader&, T&) exist for every type below; a field missed in either
// fails the round-trip tests (tests/unit/plugin/wire_codec_test.cpp). Reading never trusts the
// bytes: an underflow, an oversized count or an enum out of range throws WireError, which the
// caller turns into FailureKind::Garbage.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "swhub/sdk/plugin.hpp"

namespace swhub::plugin::wire {

class WireError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Writer {
 public:
  void u8(std::uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void f64(double v);
  void bytes(std::string_view v);
  std::string& buffer() { return out_; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint8_t u8();
  std::uint32_t u32();
  std::uint64_t u64();
  double f64();
  std::string bytes();
  // A count of items each at least `minItemBytes` long: refused when the rest cannot hold them.
  std::uint32_t count(std::size_t minItemBytes = 1);
  bool atEnd() const { return at_ == in_.size(); }

 private:
  const char* take(std::size_t n);
  std::string_view in_;
  std::size_t at_ = 0;
};

// Scalars.
inline void put(Writer& w, bool v) { w.u8(v ? 1 : 0); }
inline void put(Writer& w, int v) { w.u64(static_cast<std::uint64_t>(static_cast<std::int64_t>(v))); }
inline void put(Writer& w, std::int64_t v) { w.u64(static_cast<std::uint64_t>(v)); }
inline void put(Writer& w, double v) { w.f64(v); }
inline void put(Writer& w, const std::string& v) { w.bytes(v); }
void get(Reader& r, bool& v);
void get(Reader& r, int& v);
void get(Reader& r, std::int64_t& v);
inline void get(Reader& r, double& v) { v = r.f64(); }
inline void get(Reader& r, std::string& v) { v = r.bytes(); }

// The SDK's types.
#define SWHUB_WIRE_TYPE(T) \
  void put(Writer& w, const T& v); \
  void get(Reader& r, T& v);
SWHUB_WIRE_TYPE(sdk::Decimal)
SWHUB_WIRE_TYPE(sdk::FilingKind)
SWHUB_WIRE_TYPE(sdk::Nature)
SWHUB_WIRE_TYPE(sdk::CollectionModel)
SWHUB_WIRE_TYPE(sdk::TransportMode)
SWHUB_WIRE_TYPE(sdk::PluginKind)
SWHUB_WIRE_TYPE(sdk::Value)
SWHUB_WIRE_TYPE(sdk::Error)
SWHUB_WIRE_TYPE(sdk::Party)
SWHUB_WIRE_TYPE(sdk::Parties)
SWHUB_WIRE_TYPE(sdk::Transport)
SWHUB_WIRE_TYPE(sdk::Document)
SWHUB_WIRE_TYPE(sdk::Item)
SWHUB_WIRE_TYPE(sdk::Fiscal)
SWHUB_WIRE_TYPE(sdk::Derived)
SWHUB_WIRE_TYPE(sdk::Consignment)
SWHUB_WIRE_TYPE(sdk::HubEvent)
SWHUB_WIRE_TYPE(sdk::Notification)
SWHUB_WIRE_TYPE(sdk::EncodedMessage)
SWHUB_WIRE_TYPE(sdk::MessageContext)
SWHUB_WIRE_TYPE(sdk::DecodedFiling)
SWHUB_WIRE_TYPE(sdk::PreviousDocument)
SWHUB_WIRE_TYPE(sdk::SupplementaryCount)
SWHUB_WIRE_TYPE(sdk::ReportedTotal)
SWHUB_WIRE_TYPE(sdk::DeclarationFacts)
SWHUB_WIRE_TYPE(sdk::Decoded)
SWHUB_WIRE_TYPE(sdk::Availability)
SWHUB_WIRE_TYPE(sdk::PartyProfile)
SWHUB_WIRE_TYPE(sdk::AssessmentRequest)
SWHUB_WIRE_TYPE(sdk::Decision)
SWHUB_WIRE_TYPE(sdk::Assessment)
SWHUB_WIRE_TYPE(sdk::RiskReason)
SWHUB_WIRE_TYPE(sdk::RevenueLine)
SWHUB_WIRE_TYPE(sdk::Findings)
SWHUB_WIRE_TYPE(sdk::CaseAssessment)
SWHUB_WIRE_TYPE(sdk::DeliveryItem)
SWHUB_WIRE_TYPE(sdk::DeliveryOutcome)
SWHUB_WIRE_TYPE(sdk::InstanceContext)
#undef SWHUB_WIRE_TYPE

// Containers.
template <class T>
void put(Writer& w, const std::optional<T>& v) {
  w.u8(v ? 1 : 0);
  if (v) put(w, *v);
}
template <class T>
void get(Reader& r, std::optional<T>& v) {
  if (r.u8() == 0) {
    v.reset();
    return;
  }
  T value{};
  get(r, value);
  v = std::move(value);
}
template <class A, class B>
void put(Writer& w, const std::pair<A, B>& v) {
  put(w, v.first);
  put(w, v.second);
}
template <class A, class B>
void get(Reader& r, std::pair<A, B>& v) {
  get(r, v.first);
  get(r, v.second);
}
template <class T>
void put(Writer& w, const std::vector<T>& v) {
  w.u32(static_cast<std::uint32_t>(v.size()));
  for (const auto& item : v) put(w, item);
}
template <class T>
void get(Reader& r, std::vector<T>& v) {
  const std::uint32_t n = r.count();
  v.clear();
  v.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    T item{};
    get(r, item);
    v.push_back(std::move(item));
  }
}

// A Result: a u8 (1 ok) then the value or the errors.
template <class T>
void put(Writer& w, const sdk::Result<T>& v) {
  put(w, v.ok());
  if (v.ok()) {
    put(w, v.value());
  } else {
    put(w, v.errors());
  }
}
template <class T>
sdk::Result<T> getResult(Reader& r) {
  bool ok = false;
  get(r, ok);
  if (ok) {
    T value{};
    get(r, value);
    return value;
  }
  sdk::Errors errors;
  get(r, errors);
  if (errors.empty()) throw WireError("a failed result without errors");
  return errors;
}

// A whole payload of one value; decode() refuses trailing bytes.
template <class T>
std::string encode(const T& value) {
  Writer w;
  put(w, value);
  return w.take();
}
template <class T>
T decode(std::string_view bytes) {
  Reader r(bytes);
  T value{};
  get(r, value);
  if (!r.atEnd()) throw WireError("trailing bytes after the value");
  return value;
}

}  // namespace swhub::plugin::wire
