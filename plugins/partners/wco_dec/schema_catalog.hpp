#pragma once
// Compiles XSDs from a local folder into a locked xerces grammar pool, once. Imports and includes
// are served only from that folder (a local catalog): a schemaLocation that leaves it, or names a
// URL, is refused, so nothing is ever fetched from the network.
//
// Thread safety: the pool is locked after loading: read-only, shared by parsers on many threads.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <xercesc/framework/XMLGrammarPool.hpp>

namespace swhub::plugins::wco_dec {

class GrammarCache {
 public:
  /// Loads every file of `xsds` (paths relative to `root`, in order) into one pool. Throws
  /// std::runtime_error naming the file and xerces' first error when one cannot be compiled.
  GrammarCache(const std::filesystem::path& root, const std::vector<std::string>& xsds);
  ~GrammarCache();
  GrammarCache(const GrammarCache&) = delete;
  GrammarCache& operator=(const GrammarCache&) = delete;

  xercesc::XMLGrammarPool* pool() const { return pool_.get(); }

 private:
  std::unique_ptr<xercesc::XMLGrammarPool> pool_;
};

/// True when `candidate` (already canonical) lies inside `root` (already canonical).
bool isInside(const std::filesystem::path& root, const std::filesystem::path& candidate);

}  // namespace swhub::plugins::wco_dec
