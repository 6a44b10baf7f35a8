#pragma once
// Compiled copies of one grammar, each used by one parse at a time. xerces fills parts of a
// grammar in on first use (content models, the character classes of pattern facets) without a
// lock, so concurrent parses over one shared pool, even a locked one, failed or crashed (tests:
// upuPostConcurrency, wcoDecConcurrency). A parse leases a copy of its own instead; a copy is
// compiled when every existing one is leased, up to a bound if there is one, and kept for later
// parses.
//
// The bound is the caller's choice (a constructor argument), because it depends on how leases
// are held: upu_post has none (a decoder holds its copy across the hub's work between items and
// one thread may hold several decoders: waiting could make a thread wait for itself); wco_dec
// caps copies at max(2, cores) and waits (a lease lasts one parse, a copy costs megabytes).

#include <xercesc/framework/XMLGrammarPool.hpp>

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <vector>

namespace swhub::plugins::xml {

class GrammarPools {
 public:
  /// Returns a new, locked pool; throws when it cannot. Called concurrently: it may read shared
  /// state, never change it.
  using Compile = std::function<std::unique_ptr<xercesc::XMLGrammarPool>()>;

  /// `most` for no bound: lease() never waits, it compiles a copy whenever every one is leased.
  static constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

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
  /// to `most` copies in all (at least 1; kUnbounded: no limit).
  GrammarPools(std::unique_ptr<xercesc::XMLGrammarPool> first, Compile compile, std::size_t most);
  ~GrammarPools();  // every lease must be gone
  GrammarPools(const GrammarPools&) = delete;
  GrammarPools& operator=(const GrammarPools&) = delete;

  /// An idle copy, or a new one (compiled outside the lock: other parses do not wait for it);
  /// when `most` copies are leased, waits for one to come back (so a thread that holds `most`
  /// leases itself would wait forever; never with kUnbounded). Thread-safe. Throws what Compile
  /// throws, or std::bad_alloc; a failed compilation frees its place under the bound.
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

}  // namespace swhub::plugins::xml
