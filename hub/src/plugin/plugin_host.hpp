#pragma once
// `swhub plugin-host`: the child process of a plugin under isolation: process. It reads the hub's
// hello on `fd` (isolation_protocol.hpp), loads the library with the registry's own checks, builds
// the instance from the hub's InstanceContext and answers the hub's calls one at a time until Bye
// or the end of the channel. Returns the process's exit code.

namespace swhub::plugin::isolation {

int runPluginHost(int fd);

}  // namespace swhub::plugin::isolation
