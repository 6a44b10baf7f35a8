#pragma once
// Compiles XSDs from a local folder into locked xerces grammar pools. Imports and includes are
// served only from that folder (a local catalog): a schemaLocation that leaves it, or names a
// URL, is refused, so nothing is ever fetched from the network.
//
// The folder is read once, when the cache is built: every file the first compilation reads is
// kept in memory, and later copies of the grammar (one per parse under way, see
// grammar_pools.hpp) are compiled from those bytes, never from the folder again.
//
// Thread safety: lease() may be called from many threads; each lease is one parse's own pool.
// At most max(2, cores) copies are made; further parses wait for one to come back.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "grammar_pools.hpp"

namespace swhub::plugins::wco_dec {

/// The schema files one compilation read, as it asked for them.
struct SchemaSources {
  std::vector<std::string> roots;                                       ///< system ids, in order
  std::map<std::string, std::string> bytes;                             ///< system id -> content
  std::map<std::pair<std::string, std::string>, std::string> resolved;  ///< (base, location) -> system id
};

class GrammarCache {
 public:
  /// Loads every file of `xsds` (paths relative to `root`, in order) into one pool. Throws
  /// std::runtime_error naming the file and xerces' first error when one cannot be compiled.
  GrammarCache(const std::filesystem::path& root, const std::vector<std::string>& xsds);
  ~GrammarCache();
  GrammarCache(const GrammarCache&) = delete;
  GrammarCache& operator=(const GrammarCache&) = delete;

  using Lease = GrammarPools::Lease;
  /// A pool for one parse, held until the lease goes; waits while every copy is leased (the
  /// plugin holds one lease per parse, never two on one thread). Throws when a new copy cannot
  /// be made.
  Lease lease() const { return pools_->lease(); }

 private:
  std::filesystem::path root_;
  SchemaSources sources_;  // filled by the first compilation, read-only after the constructor
  std::unique_ptr<GrammarPools> pools_;
};

/// True when `candidate` (already canonical) lies inside `root` (already canonical).
bool isInside(const std::filesystem::path& root, const std::filesystem::path& candidate);

}  // namespace swhub::plugins::wco_dec
