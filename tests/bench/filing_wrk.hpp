#pragma once
// filing_bench's wrk mode and its bare server mode (README.md "filing_bench --wrk").

namespace swhub::bench {

struct WrkOptions {
  int threads = 2;
  int connections = 64;
  int seconds = 10;
  int rounds = 3;
};

// Per round: the bare POCO server, then a fresh swhub, each under the same wrk load; prints every
// round, the medians and their ratio, and the journal's bytes and rows per filing. 0 when both
// answered.
int runWrkMode(const WrkOptions& options);

// `filing_bench --serve-bare`: the bare server alone on 127.0.0.1:0 (prints its address) until
// SIGINT or SIGTERM, to point any load generator at.
int serveBare();

}  // namespace swhub::bench
