#pragma once
// wco_dec leases its grammar copies from the XML plugins' shared pools (plugins/support/xml),
// bounded at max(2, cores) copies per grammar: see schema_catalog.hpp.

#include "xml/grammar_pools.hpp"

namespace swhub::plugins::wco_dec {

using xml::GrammarPools;

}  // namespace swhub::plugins::wco_dec
