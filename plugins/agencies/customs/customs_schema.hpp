#pragma once
// The schema of a `customs` agency's settings (README.md describes every key): `revenue` from a
// jurisdiction file or inline (checked against the revenue schema by the factory, where the file
// is read), and `risk`.

#include "swhub/sdk/schema.hpp"

namespace swhub::plugins::customs {

sdk::Schema customsSchema();

}  // namespace swhub::plugins::customs
