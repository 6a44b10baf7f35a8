#pragma once
// A partner plugin's decoder under its call_timeout_ms, in process (isolation: in-process).
//
// The plugin's open() and Decoder::next() run ahead of their reader on a thread of their own,
// handing what they decode through a small bounded queue: one thread per message rather than a
// thread hop per filing, so that a 200,000-line manifest pays no more than a one-filing message,
// and decoding overlaps with journaling. The reader waits at most the timeout for open() and for
// each piece; past it, it gets failureError(TimedOut) once and then the end, and the thread is
// abandoned: it stops at its next return from the plugin, and counts as a stuck call of the
// plugin's bulkhead while it is inside the plugin. When every call thread's worth of calls is
// stuck, a new message is refused at once with Busy.
//
// The input stays the caller's: the thread reads it through a guard that the reader closes when it
// stops reading (end, failure, or destruction), so a plugin that runs on after being abandoned
// reads an empty input and never the caller's freed memory. Closing waits for a read in progress,
// which is short: the hub's sources are a message in memory or a spool file.

#include <memory>

#include "plugin/call_bulkhead.hpp"
#include "swhub/sdk/plugin.hpp"

namespace swhub::plugin {

// Opens `input` with `plugin` on a decoding thread; `keepAlive` holds the plugin (and its library)
// for as long as that thread may run in it. nullptr when the plugin's open() answered nullptr.
std::unique_ptr<sdk::Decoder> openBounded(std::shared_ptr<const void> keepAlive, const sdk::PartnerPlugin& plugin,
                                          std::shared_ptr<CallBulkhead> calls, const sdk::MessageContext& context,
                                          sdk::ByteSource& input);

}  // namespace swhub::plugin
