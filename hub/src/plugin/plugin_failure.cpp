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

std::optional<Failure> failureOf(const sdk::Error& error) {
  if (error.path.rfind("plugins.", 0) != 0) return std::nullopt;
  Failure failure;
  failure.plugin = error.path.substr(8);
  const std::string lead = "plugin '" + failure.plugin + "' ";
  if (error.message.rfind(lead, 0) != 0) return std::nullopt;
  const std::string_view rest = std::string_view(error.message).substr(lead.size());
  for (FailureKind kind : {FailureKind::Threw, FailureKind::TimedOut, FailureKind::Crashed, FailureKind::Garbage,
                           FailureKind::Busy}) {
    const std::string words = std::string(inWords(kind)) + " during ";
    if (rest.rfind(words, 0) != 0) continue;
    failure.kind = kind;
    const std::string_view call = rest.substr(words.size());
    const auto colon = call.find(": ");
    failure.call = std::string(call.substr(0, colon));
    if (colon != std::string_view::npos) failure.detail = std::string(call.substr(colon + 2));
    return failure;
  }
  return std::nullopt;
}

bool isPluginFailure(const sdk::Errors& errors) {
  return !errors.empty() && errors.front().path.rfind("plugins.", 0) == 0;
}

}  // namespace swhub::plugin
