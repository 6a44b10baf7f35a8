#pragma once
// How a plugin's failure reaches the rest of the hub. A plugin that throws, times out, crashes (in
// a child process, isolation: process) or returns garbage does not take the hub down: the call
// that failed returns sdk::Errors holding one failureError(), and each caller turns it into a
// recorded outcome (a filing refused with problem type "plugin-failed", an assessment retried
// then held with the reason, a delivery retried then dead-lettered). isPluginFailure() tells such
// an error from an error of the input (a filing's own mistakes are not the plugin's fault).

#include <optional>
#include <string>
#include <string_view>

#include "swhub/sdk/status.hpp"

namespace swhub::plugin {

enum class FailureKind {
  Threw,     // an exception escaped the plugin
  TimedOut,  // the call took longer than the plugin's call_timeout_ms
  Crashed,   // its child process died (signal or exit) during the call
  Garbage,   // it answered something the hub cannot use (an unreadable frame, an invalid result)
  Busy,      // every way to reach it was taken by calls that did not return: refused at once
};

std::string_view toString(FailureKind kind);  // "threw", "timed-out", "crashed", "garbage", "busy"

struct Failure {
  std::string plugin;  // the library's registered name ("upu_post")
  FailureKind kind = FailureKind::Threw;
  std::string call;    // what the hub asked: "decode", "encode", "assess", "deliver", "start"
  std::string detail;  // for an operator: "SIGSEGV", "no answer within 2000 ms", ...
};

// The error path of every failure error: "plugins.<name>" (the config entry of the library).
std::string failurePath(const std::string& plugin);

// One error, path failurePath(plugin), message "plugin '<name>' <kind in words> during <call>:
// <detail>", e.g. "plugin 'upu_post' crashed during decode: SIGSEGV (restarted)".
sdk::Error failureError(const Failure& failure);

// The failure an error of failureError() describes (its plugin, kind, call and detail), read back
// from its path and message: a caller that only has the error counts it by plugin and kind.
// nullopt for any other error.
std::optional<Failure> failureOf(const sdk::Error& error);

// True when `errors` came from failureError() (its first error's path starts with "plugins.").
bool isPluginFailure(const sdk::Errors& errors);

}  // namespace swhub::plugin
