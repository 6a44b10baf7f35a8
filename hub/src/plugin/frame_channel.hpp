#pragma once
// One end of the isolation protocol's socket: whole frames in and out, each bounded by a deadline
// (a child that stops reading or answering must not hold the hub's thread).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "plugin/isolation_protocol.hpp"

namespace swhub::plugin::isolation {

using Clock = std::chrono::steady_clock;

struct Frame {
  FrameType type = FrameType::Bye;
  std::string payload;
};

enum class Io {
  Ok,
  Closed,    // the other end is gone (EOF, EPIPE, ECONNRESET)
  TimedOut,  // the deadline passed
  Garbage,   // not a frame (a length beyond kMaxFrameBytes)
};

class FrameChannel {
 public:
  explicit FrameChannel(int fd) : fd_(fd) {}  // owns fd
  ~FrameChannel();
  FrameChannel(const FrameChannel&) = delete;
  FrameChannel& operator=(const FrameChannel&) = delete;

  // nullopt deadline: wait for ever (the child, which waits for the hub's next call).
  Io send(FrameType type, std::string_view payload, std::optional<Clock::time_point> deadline = std::nullopt);
  Io receive(Frame& frame, std::optional<Clock::time_point> deadline = std::nullopt);
  // Ends the stream: the other end reads EOF.
  void close();

 private:
  Io waitFor(short events, std::optional<Clock::time_point> deadline);
  Io fill(std::optional<Clock::time_point> deadline);
  Io readExactly(char* out, std::size_t n, std::optional<Clock::time_point> deadline);

  int fd_;
  std::string buffer_;  // received, not yet taken
  std::size_t at_ = 0;
};

}  // namespace swhub::plugin::isolation
