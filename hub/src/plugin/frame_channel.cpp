#include "plugin/frame_channel.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "plugin/wire_codec.hpp"

namespace swhub::plugin::isolation {

FrameChannel::~FrameChannel() { close(); }

void FrameChannel::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Io FrameChannel::waitFor(short events, std::optional<Clock::time_point> deadline) {
  for (;;) {
    int timeout = -1;
    if (deadline) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now()).count();
      if (left <= 0) return Io::TimedOut;
      timeout = static_cast<int>(std::min<long long>(left + 1, 60'000));
    }
    pollfd p{fd_, events, 0};
    const int n = ::poll(&p, 1, timeout);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Io::Closed;
    if (n == 0) continue;  // loop: the deadline check above decides
    if (p.revents & events) return Io::Ok;
    return Io::Closed;  // POLLHUP / POLLERR without what was asked
  }
}

Io FrameChannel::send(FrameType type, std::string_view payload, std::optional<Clock::time_point> deadline) {
  if (fd_ < 0) return Io::Closed;
  wire::Writer head;
  head.u32(static_cast<std::uint32_t>(payload.size() + 1));
  head.u8(static_cast<std::uint8_t>(type));
  const std::string& h = head.buffer();
  std::size_t sent = 0;
  const std::size_t total = h.size() + payload.size();
  while (sent < total) {
    iovec parts[2];
    int count = 0;
    if (sent < h.size()) {
      parts[count++] = {const_cast<char*>(h.data() + sent), h.size() - sent};
      parts[count++] = {const_cast<char*>(payload.data()), payload.size()};
    } else {
      parts[count++] = {const_cast<char*>(payload.data() + (sent - h.size())), total - sent};
    }
    msghdr message{};
    message.msg_iov = parts;
    message.msg_iovlen = static_cast<std::size_t>(count);
    const ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (Io io = waitFor(POLLOUT, deadline); io != Io::Ok) return io;
      continue;
    }
    return Io::Closed;
  }
  return Io::Ok;
}

Io FrameChannel::fill(std::optional<Clock::time_point> deadline) {
  if (at_ == buffer_.size()) {
    buffer_.clear();
    at_ = 0;
  }
  char chunk[64 * 1024];
  for (;;) {
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, MSG_DONTWAIT);
    if (n > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(n));
      return Io::Ok;
    }
    if (n == 0) return Io::Closed;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (Io io = waitFor(POLLIN, deadline); io != Io::Ok) return io;
      continue;
    }
    return Io::Closed;
  }
}

Io FrameChannel::readExactly(char* out, std::size_t n, std::optional<Clock::time_point> deadline) {
  std::size_t got = 0;
  while (got < n) {
    if (at_ == buffer_.size()) {
      if (Io io = fill(deadline); io != Io::Ok) return io;
    }
    const std::size_t take = std::min(n - got, buffer_.size() - at_);
    std::memcpy(out + got, buffer_.data() + at_, take);
    at_ += take;
    got += take;
  }
  return Io::Ok;
}

Io FrameChannel::receive(Frame& frame, std::optional<Clock::time_point> deadline) {
  if (fd_ < 0) return Io::Closed;
  char head[5];
  if (Io io = readExactly(head, sizeof head, deadline); io != Io::Ok) return io;
  wire::Reader r(std::string_view(head, sizeof head));
  const std::uint32_t length = r.u32();
  if (length == 0 || length > kMaxFrameBytes) return Io::Garbage;
  frame.type = static_cast<FrameType>(r.u8());
  frame.payload.resize(length - 1);
  return readExactly(frame.payload.data(), frame.payload.size(), deadline);
}

}  // namespace swhub::plugin::isolation
