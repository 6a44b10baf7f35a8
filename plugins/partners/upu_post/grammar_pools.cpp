#include "grammar_pools.hpp"

#include <utility>

namespace swhub::plugins::upu_post {

GrammarPools::Lease::~Lease() {
  if (pool_) owner_->giveBack(std::move(pool_));
}

GrammarPools::GrammarPools(std::unique_ptr<xercesc::XMLGrammarPool> first, Compile compile)
    : compile_(std::move(compile)) {
  idle_.reserve(1);
  idle_.push_back(std::move(first));
  compiled_ = 1;
}

GrammarPools::~GrammarPools() = default;

GrammarPools::Lease GrammarPools::lease() const {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      std::unique_ptr<xercesc::XMLGrammarPool> pool = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(pool));
    }
  }
  std::unique_ptr<xercesc::XMLGrammarPool> pool = compile_();
  std::lock_guard lock(mutex_);
  // Room for every copy, so that giveBack() never allocates.
  idle_.reserve(compiled_ + 1);
  ++compiled_;
  return Lease(*this, std::move(pool));
}

void GrammarPools::giveBack(std::unique_ptr<xercesc::XMLGrammarPool> pool) const noexcept {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(pool));
}

}  // namespace swhub::plugins::upu_post
