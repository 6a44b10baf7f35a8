#pragma once
// The protocol between the hub and a plugin's child process (isolation: process; README "Plugin
// faults"). One stream socket (a socketpair; the child's end is its fd 3), frames both ways:
//
//   u32 length (little-endian, of what follows) | u8 frame type | payload (wire_codec.hpp)
//
// The plugin's stdout is the hub's stderr and its stdin /dev/null, so nothing it prints can reach
// the channel. The hub speaks first (Hello, version checked by the child, which answers with its
// own); then every call is one request and one answer, strictly in turn, except that while the
// child decodes it asks for input bytes (Read) and the hub answers each with Bytes: the message is
// streamed on demand, never held whole by the protocol on either side.
//
//   hub -> child                                  child -> hub
//   Hello {version, kind, plugin, library,        HelloOk {version, abi minor, errors; partner:
//          InstanceContext}                                content types, availability}
//   Open {MessageContext}                         Opened {bool: a decoder was made}
//   Next                                          Item {optional Decoded}
//   Close                                         Closed
//   Encode {Notification list}                    Encoded {Result EncodedMessage}
//   Assess {bool findings, AssessmentRequest}     Assessed {Result CaseAssessment | Assessment}
//   Deliver {DeliveryItem}                        Delivered {DeliveryOutcome}
//   Bytes {the next bytes; empty at the end}      Read {u64 at most}  (during Open and Next)
//   Bye (the child exits)

#include <cstdint>
#include <string>

#include "swhub/sdk/plugin.hpp"

namespace swhub::plugin::isolation {

// Bumped on any change to a frame or a payload's layout.
inline constexpr std::uint32_t kProtocolVersion = 1;

// A frame bigger than this is not a frame: the channel is out of step (Garbage).
inline constexpr std::uint32_t kMaxFrameBytes = 256u << 20;

// How many input bytes the child asks for at a time.
inline constexpr std::uint64_t kReadChunk = 64 * 1024;

// The child's end of the socketpair.
inline constexpr int kChildFd = 3;

enum class FrameType : std::uint8_t {
  Hello = 1,
  Bye = 2,
  Open = 10,
  Next = 11,
  Close = 12,
  Bytes = 13,
  Encode = 20,
  Assess = 30,
  Deliver = 40,
  HelloOk = 101,
  Opened = 110,
  Item = 111,
  Closed = 112,
  Read = 113,
  Encoded = 120,
  Assessed = 130,
  Delivered = 140,
};

struct Hello {
  std::uint32_t version = kProtocolVersion;
  sdk::PluginKind kind = sdk::PluginKind::Partner;
  std::string plugin;   // the registered name ("faulty_partner")
  std::string library;  // the resolved path of the .so
  sdk::InstanceContext context;
};

struct HelloOk {
  std::uint32_t version = kProtocolVersion;
  std::uint32_t abiMinor = 0;  // of the library, as its descriptor says
  sdk::Errors errors;          // the load's or the factory's, exactly as in process; empty: ready
  std::vector<std::string> contentTypes;
  sdk::Availability availability;
};

std::string encodeHello(const Hello& hello);
Hello decodeHello(const std::string& payload);  // throws wire::WireError
std::string encodeHelloOk(const HelloOk& ok);
HelloOk decodeHelloOk(const std::string& payload);  // throws wire::WireError

}  // namespace swhub::plugin::isolation
