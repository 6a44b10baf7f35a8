#include "xml/grammar_pools.hpp"

#include <algorithm>
#include <utility>

namespace swhub::plugins::xml {

GrammarPools::Lease::~Lease() {
  if (pool_) owner_->giveBack(std::move(pool_));
}

GrammarPools::GrammarPools(std::unique_ptr<xercesc::XMLGrammarPool> first, Compile compile, std::size_t most)
    : compile_(std::move(compile)), most_(std::max<std::size_t>(most, 1)) {
  idle_.reserve(1);
  idle_.push_back(std::move(first));
  compiled_ = 1;
}

GrammarPools::~GrammarPools() = default;

GrammarPools::Lease GrammarPools::lease() const {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [this] { return !idle_.empty() || compiled_ < most_; });
  if (!idle_.empty()) {
    std::unique_ptr<xercesc::XMLGrammarPool> pool = std::move(idle_.back());
    idle_.pop_back();
    return Lease(*this, std::move(pool));
  }
  // Room for every copy, so that giveBack() never allocates; counted before it is compiled, so
  // that the bound holds while it is.
  idle_.reserve(compiled_ + 1);
  ++compiled_;
  lock.unlock();
  try {
    return Lease(*this, compile_());
  } catch (...) {
    lock.lock();
    --compiled_;
    lock.unlock();
    returned_.notify_one();
    throw;
  }
}

void GrammarPools::giveBack(std::unique_ptr<xercesc::XMLGrammarPool> pool) const noexcept {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(pool));
  }
  returned_.notify_one();
}

}  // namespace swhub::plugins::xml
