#pragma once
// Compiled copies of one grammar, each used by one parse at a time. xerces fills parts of a
// grammar in on first use (content models, the character classes of pattern facets) without a
// lock, so concurrent parses over one shared pool, even a locked one, failed or crashed
// (tests: wcoDecConcurrency). A parse leases a copy of its own instead; a copy is compiled
// when every existing one is leased, up to a bound, and kept for later parses. (upu_post has
// the same without the bound: a plugin links only the SDK and xerces-c, so each keeps its own.)

#include <xercesc/framework/XMLGrammarPool.hpp>

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace swhub::plugins::wco_dec {

class GrammarPools {
 public:
  /// Returns a new, locked pool; throws when it cannot. Called concurrently: it may read shared
  /// state, never change it.
  using Compile = std::function<std::unique_ptr<xercesc::XMLGrammarPool>()>;

  /// Sole use of one pool until the lease goes; then the pool waits for the next parse.
  class Lease {
   public:
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    xercesc::XMLGrammarPool* pool() const { return pool_.get(); }

   private:
    friend class GrammarPools;
    Lease(const GrammarPools& owner, std::unique_ptr<xercesc::XMLGrammarPool> pool)
        : owner_(&owner), pool_(std::move(pool)) {}
    const GrammarPools* owner_;
    std::unique_ptr<xercesc::XMLGrammarPool> pool_;
  };

  /// `first`: a copy compiled by the caller, who reports its errors (a grammar that does not
  /// compile fails at start, not per message). `compile` makes the others, from any thread, up
  /// to `most` copies in all (at least 1): a parse is CPU work, so more copies than cores would
  /// only cost memory (a DMS grammar takes megabytes).
  GrammarPools(std::unique_ptr<xercesc::XMLGrammarPool> first, Compile compile, std::size_t most);
  ~GrammarPools();  // every lease must be gone
  GrammarPools(const GrammarPools&) = delete;
  GrammarPools& operator=(const GrammarPools&) = delete;

  /// An idle copy, or a new one (compiled outside the lock: other parses do not wait for it);
  /// when `most` copies are leased, waits for one to come back (so a thread that holds `most`
  /// leases itself would wait forever). Thread-safe. Throws what Compile throws, or bad_alloc.
  Lease lease() const;

 private:
  void giveBack(std::unique_ptr<xercesc::XMLGrammarPool> pool) const noexcept;

  Compile compile_;
  const std::size_t most_;
  mutable std::mutex mutex_;
  mutable std::condition_variable returned_;
  mutable std::vector<std::unique_ptr<xercesc::XMLGrammarPool>> idle_;  // capacity >= compiled_
  mutable std::size_t compiled_ = 0;  // and being compiled
};

}  // namespace swhub::plugins::wco_dec
