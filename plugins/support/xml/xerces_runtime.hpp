#pragma once
// Process-wide xerces-c initialisation for an XML plugin. A plugin links only the SDK and
// xerces-c (and this library, hidden inside it), so it cannot share the hub's own guard.

namespace swhub::plugins::xml {

/// Holds xerces-c initialised while alive. XMLPlatformUtils counts Initialize/Terminate pairs
/// itself, so this guard coexists with the hub's and other plugins' own; a mutex of the plugin
/// that links this library serialises its guards built or dropped concurrently. Each
/// construction also fills in the objects xerces shares between all grammars of the process
/// (see xerces_runtime.cpp), so that parses on many threads cannot race on them. Create before,
/// destroy after every other xerces object.
class XercesRuntime {
 public:
  XercesRuntime();
  ~XercesRuntime();
  XercesRuntime(const XercesRuntime&) = delete;
  XercesRuntime& operator=(const XercesRuntime&) = delete;
};

}  // namespace swhub::plugins::xml
