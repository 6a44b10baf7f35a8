#include "api/connection_gate.hpp"

#include <Poco/Net/TCPServerParams.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "api/gated_connection.hpp"

namespace swhub::api {
namespace {

// How often the gate looks at its deadlines when nothing else wakes it.
constexpr int kTickMs = 20;

bool headComplete(std::string_view bytes) {
  return bytes.find("\r\n\r\n") != std::string_view::npos || bytes.find("\n\n") != std::string_view::npos;
}

// Best effort: the answer fits in the socket's send buffer. What the client already sent is read
// and dropped first (up to 64 KiB), since closing with unread bytes resets the connection and the
// client might not see the answer.
void answer(int fd, const std::string& raw) {
  char sink[16384];
  for (int i = 0; i < 4 && ::recv(fd, sink, sizeof sink, MSG_DONTWAIT) > 0; ++i) {
  }
  [[maybe_unused]] auto sent = ::send(fd, raw.data(), raw.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  ::shutdown(fd, SHUT_WR);
}

// What a look at a socket (its bytes peeked at, left for the parser) tells of the next request.
enum class HeadState { Whole, Partial, TooLarge, Nothing, Closed };

HeadState peekHead(int fd) {
  char buffer[kMaxHeadBytes];
  const auto n = ::recv(fd, buffer, sizeof buffer, MSG_PEEK | MSG_DONTWAIT);
  if (n == 0) return HeadState::Closed;
  if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? HeadState::Nothing : HeadState::Closed;
  if (headComplete(std::string_view(buffer, static_cast<std::size_t>(n)))) return HeadState::Whole;
  return static_cast<std::size_t>(n) >= sizeof buffer ? HeadState::TooLarge : HeadState::Partial;
}

}  // namespace

ConnectionGate::ConnectionGate(Poco::Net::ServerSocket socket, GateOptions options, Poco::ThreadPool& pool,
                               Poco::Net::HTTPServerParams::Ptr params,
                               Poco::Net::HTTPRequestHandlerFactory::Ptr handlers)
    : listen_(std::move(socket)), options_(std::move(options)) {
  Poco::Net::TCPServerParams::Ptr dispatcherParams(params);
  dispatcher_ = new Poco::Net::TCPServerDispatcher(new GatedConnectionFactory(*this, params, handlers), pool,
                                                   dispatcherParams);
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_ < 0 || wake_ < 0) throw std::runtime_error(std::string("http front: ") + std::strerror(errno));
  listen_.setBlocking(false);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = listen_.impl()->sockfd();
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, ev.data.fd, &ev);
  ev.data.fd = wake_;
  ::epoll_ctl(epoll_, EPOLL_CTL_ADD, wake_, &ev);
}

ConnectionGate::~ConnectionGate() {
  stop();
  if (dispatcher_ != nullptr) dispatcher_->release();
  if (epoll_ >= 0) ::close(epoll_);
  if (wake_ >= 0) ::close(wake_);
}

void ConnectionGate::start() { thread_ = std::thread([this] { run(); }); }

void ConnectionGate::stop() {
  if (stopped_.exchange(true)) return;
  stopping_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  for (auto& [fd, pending] : pending_) pending.socket.close();
  pending_.clear();
  {
    std::lock_guard lock(mutex_);
    for (auto& socket : readmitted_) socket.close();
    readmitted_.clear();
  }
  listen_.close();
  deadlines_.expire(GateClock::now(), true);
  dispatcher_->stop();
}

void ConnectionGate::readmit(const Poco::Net::StreamSocket& socket) {
  Poco::Net::StreamSocket copy(socket);
  if (stopping_) {
    copy.close();
    return;
  }
  {
    std::lock_guard lock(mutex_);
    readmitted_.push_back(copy);
  }
  const std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(wake_, &one, sizeof one);
}

bool ConnectionGate::nextHeadWithinLinger(int fd) const {
  if (options_.tls || stopping_ || dispatcher_->queuedConnections() > 0) return false;
  pollfd p{fd, POLLIN | POLLRDHUP, 0};
  if (::poll(&p, 1, kLingerMs) != 1 || (p.revents & (POLLERR | POLLHUP | POLLRDHUP | POLLNVAL)) != 0) return false;
  // Anything but a whole head (a trickled one, a closed connection) is the gate's to wait for.
  return peekHead(fd) == HeadState::Whole;
}

void ConnectionGate::releaseAddress(const std::string& address) {
  std::lock_guard lock(mutex_);
  auto it = perAddress_.find(address);
  if (it != perAddress_.end() && --it->second <= 0) perAddress_.erase(it);
}

ConnectionGate::Counts ConnectionGate::counts() const {
  Counts c;
  c.waiting = waiting_.load();
  c.queued = dispatcher_->queuedConnections();
  c.headTimeouts = headTimeouts_.load();
  c.refusedAddress = refusedAddress_.load();
  c.refusedQueue = refusedQueue_.load();
  return c;
}

void ConnectionGate::run() {
  epoll_event events[64];
  const int listenFd = listen_.impl()->sockfd();
  while (!stopping_) {
    const int n = ::epoll_wait(epoll_, events, 64, kTickMs);
    for (int i = 0; i < n && !stopping_; ++i) {
      const int fd = events[i].data.fd;
      if (fd == listenFd) {
        acceptAll();
      } else if (fd == wake_) {
        std::uint64_t count = 0;
        [[maybe_unused]] auto r = ::read(wake_, &count, sizeof count);
        std::vector<Poco::Net::StreamSocket> back;
        {
          std::lock_guard lock(mutex_);
          back.swap(readmitted_);
        }
        for (auto& socket : back) admit(socket, true);
      } else {
        examine(fd);
      }
    }
    const auto now = GateClock::now();
    expire(now);
    deadlines_.expire(now);
  }
}

void ConnectionGate::acceptAll() {
  for (;;) {
    Poco::Net::StreamSocket socket;
    try {
      socket = listen_.acceptConnection();
    } catch (const Poco::Exception&) {
      return;  // nothing more to accept now (EAGAIN), or a client that went before it was accepted
    }
    try {
      // A response goes out as its head, then its body: with Nagle's algorithm the body waits for
      // the client's ACK of the head, which a client delays by up to 40 ms (every keep-alive
      // response of more than a few hundred bytes took 40 ms on loopback). Set once: it stays
      // with the connection through every request.
      socket.setNoDelay(true);
    } catch (const Poco::Exception&) {
      continue;  // gone already
    }
    admit(socket, false);
  }
}

void ConnectionGate::admit(const Poco::Net::StreamSocket& socket, bool idle) {
  Pending entry;
  entry.socket = socket;
  try {
    entry.address = socket.peerAddress().host().toString();
  } catch (const Poco::Exception&) {
    entry.socket.close();
    return;
  }
  const int fd = entry.socket.impl()->sockfd();
  {
    std::lock_guard lock(mutex_);
    int& held = perAddress_[entry.address];
    if (held >= options_.limits.max_pending_per_address) {
      if (!options_.tls) {
        answer(fd, rawProblemResponse(503, "too-many-connections", "connection",
                                      "this address has " + std::to_string(held) +
                                          " connections waiting for their request head already",
                                      1));
      }
      entry.socket.close();
      ++refusedAddress_;
      return;
    }
    ++held;
  }
  entry.idle = idle;
  entry.deadline = GateClock::now() + std::chrono::milliseconds(idle ? options_.limits.keep_alive_timeout_ms
                                                                      : options_.limits.header_timeout_ms);
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | EPOLLET;  // edge: woken by new bytes, not by bytes still unread
  ev.data.fd = fd;
  pending_[fd] = std::move(entry);
  waiting_ = static_cast<std::int64_t>(pending_.size());
  if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev) != 0) close(fd, 0);
}

void ConnectionGate::examine(int fd) {
  auto it = pending_.find(fd);
  if (it == pending_.end()) return;
  Pending& p = it->second;
  if (options_.tls) {
    // Encrypted: the worker reads handshake and head under the same deadline.
    dispatch(fd);
    return;
  }
  switch (peekHead(fd)) {
    case HeadState::Closed:
      close(fd, 0);
      return;
    case HeadState::Nothing:
      return;
    case HeadState::Whole:
      dispatch(fd);
      return;
    case HeadState::TooLarge:
      close(fd, 431);
      return;
    case HeadState::Partial:
      break;
  }
  if (p.idle) {
    // The next request began: from now its head has header_timeout_ms.
    p.idle = false;
    p.deadline = GateClock::now() + std::chrono::milliseconds(options_.limits.header_timeout_ms);
  }
  p.partial = true;
}

void ConnectionGate::dispatch(int fd) {
  auto it = pending_.find(fd);
  Poco::Net::StreamSocket socket = it->second.socket;
  const std::string address = it->second.address;
  // Waiting means queued and not about to be taken by a free worker: a burst that free workers
  // are starting to take is not turned away.
  const int free = std::max(0, dispatcher_->maxThreads() - dispatcher_->currentConnections());
  if (dispatcher_->queuedConnections() >= options_.maxQueued + free) {
    ++refusedQueue_;
    close(fd, 503);
    return;
  }
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
  pending_.erase(it);
  waiting_ = static_cast<std::int64_t>(pending_.size());
  if (!options_.tls) releaseAddress(address);  // a TLS connection's worker gives it back after the head
  dispatcher_->enqueue(socket);
}

void ConnectionGate::close(int fd, int status) {
  auto it = pending_.find(fd);
  if (it == pending_.end()) return;
  if (status != 0 && !options_.tls) {
    std::string raw;
    if (status == 408) {
      raw = rawProblemResponse(408, "request-head-timeout", "head",
                               "the request head did not arrive whole within " +
                                   std::to_string(options_.limits.header_timeout_ms) + " ms",
                               0);
    } else if (status == 431) {
      raw = rawProblemResponse(431, "request-head-too-large", "head",
                               "the request head is larger than " + std::to_string(kMaxHeadBytes) + " bytes", 0);
    } else {
      raw = rawProblemResponse(503, "overloaded", "connection", "every worker is busy and the queue is full", 1);
    }
    answer(fd, raw);
  }
  ::epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
  Poco::Net::StreamSocket socket = it->second.socket;
  const std::string address = it->second.address;
  pending_.erase(it);
  waiting_ = static_cast<std::int64_t>(pending_.size());
  if (status == 408) ++headTimeouts_;
  releaseAddress(address);
  try {
    socket.close();
  } catch (const Poco::Exception&) {
  }
}

void ConnectionGate::expire(GateClock::time_point now) {
  std::vector<std::pair<int, int>> due;
  for (const auto& [fd, p] : pending_) {
    if (p.deadline <= now) due.emplace_back(fd, p.partial ? 408 : 0);
  }
  for (const auto& [fd, status] : due) close(fd, status);
}

}  // namespace swhub::api
