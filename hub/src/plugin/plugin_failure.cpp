#include "plugin/plugin_failure.hpp"

namespace swhub::plugin {

std::string_view toString(FailureKind kind) {
  switch (kind) {
    case FailureKind::Threw: return "threw";
    case FailureKind::TimedOut: return "timed-out";
    case FailureKind::Crashed: return "crashed";
    case FailureKind::Garbage: return "garbage";
    case FailureKind::Busy: return "busy";
  }
  return "failed";
}

namespace {
std::string_view inWords(FailureKind kind) {
  switch (kind) {
    case FailureKind::Threw: return "threw an exception";
    case FailureKind::TimedOut: return "did not answer in time";
    case FailureKind::Crashed: return "crashed";
    case FailureKind::Garbage: return "answered something unusable";
    case FailureKind::Busy: return "is busy with calls that did not return";
  }
  return "failed";
}
}  // namespace

std::string failurePath(const std::string& plugin) { return "plugins." + plugin; }

sdk::Error failureError(const Failure& failure) {
  std::string message = "plugin '" + failure.plugin + "' " + std::string(inWords(failure.kind)) + " during " +
                        failure.call;
  if (!failure.detail.empty()) message += ": " + failure.detail;
  return {failurePath(failure.plugin), message};
}

bool isPluginFailure(const sdk::Errors& errors) {
  return !errors.empty() && errors.front().path.rfind("plugins.", 0) == 0;
}

}  // namespace swhub::plugin
