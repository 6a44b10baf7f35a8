#include "plugin/isolation_protocol.hpp"

#include "plugin/wire_codec.hpp"

namespace swhub::plugin::isolation {

std::string encodeHello(const Hello& hello) {
  wire::Writer w;
  w.u32(hello.version);
  wire::put(w, hello.kind);
  wire::put(w, hello.plugin);
  wire::put(w, hello.library);
  wire::put(w, hello.context);
  return w.take();
}

Hello decodeHello(const std::string& payload) {
  wire::Reader r(payload);
  Hello hello;
  hello.version = r.u32();
  // Another version may lay out the rest otherwise: read no further.
  if (hello.version != kProtocolVersion) return hello;
  wire::get(r, hello.kind);
  wire::get(r, hello.plugin);
  wire::get(r, hello.library);
  wire::get(r, hello.context);
  if (!r.atEnd()) throw wire::WireError("trailing bytes after the hello");
  return hello;
}

std::string encodeHelloOk(const HelloOk& ok) {
  wire::Writer w;
  w.u32(ok.version);
  w.u32(ok.abiMinor);
  wire::put(w, ok.errors);
  wire::put(w, ok.contentTypes);
  wire::put(w, ok.availability);
  return w.take();
}

HelloOk decodeHelloOk(const std::string& payload) {
  wire::Reader r(payload);
  HelloOk ok;
  ok.version = r.u32();
  if (ok.version != kProtocolVersion) return ok;
  ok.abiMinor = r.u32();
  wire::get(r, ok.errors);
  wire::get(r, ok.contentTypes);
  wire::get(r, ok.availability);
  if (!r.atEnd()) throw wire::WireError("trailing bytes after the hello answer");
  return ok;
}

}  // namespace swhub::plugin::isolation
