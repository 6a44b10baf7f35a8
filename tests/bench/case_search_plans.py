#!/usr/bin/python3
# The two plans of the case search's agency filter (hub/src/journal/case_query.hpp) side by side,
# in SQL, on N synthetic cases (tests/bench/README.md "lookup_bench --search"):
#   List  = id IN (the agency's outbox rows), sorted;  Probe = a correlated EXISTS per case.
# Usage: swhub trace X --config config/hub.yaml --journal sqlite:J.db   (an empty journal: schema)
#        tests/bench/case_search_plans.py J.db 1000000
# Customs gets every case, food safety 1 in 6, strategic goods 1 in 1,000.
import sqlite3, time, random, sys
db = sys.argv[1]; n = int(sys.argv[2])
c = sqlite3.connect(db)
c.execute("PRAGMA journal_mode=WAL"); c.execute("PRAGMA synchronous=OFF")
c.execute("DROP TRIGGER IF EXISTS cases_party_insert"); c.execute("DROP TRIGGER IF EXISTS journal_totals_case_insert")
if c.execute("select count(*) from cases").fetchone()[0] == 0:
    random.seed(1)
    t0 = time.time()
    cases, out = [], []
    seq = 0
    for i in range(n):
        cid = "C-%012d" % i
        at = "2026-%02d-%02dT%02d:%02d:%02d.%03dZ" % (1 + i * 11 // n, 1 + (i // 3000) % 28, (i // 60) % 24, i % 60, (i * 7) % 60, i % 1000)
        cases.append((cid, "demo-post", "REF-%d" % i, "declaration", "released", 1, "{}", "M-%d" % i, at, at))
        recips = ["customs"]
        if i % 6 == 0: recips.append("food-safety")
        if i % 1000 == 0: recips.append("strategic-goods")
        for r in recips:
            for ch in ("assess",) if r == "customs" else ("task",):
                seq += 1
                out.append((seq, "O-%d" % seq, ch, r, cid, "application/json", b"{}", 1, "done", at, "", at))
        seq += 1
        out.append((seq, "O-%d" % seq, "notification", "demo-post", cid, "application/json", b"{}", 1, "done", at, "", at))
        if len(cases) >= 50000:
            c.executemany("INSERT INTO cases (id, partner, reference, filing, state, version, consignment_json, message_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", cases)
            c.executemany("INSERT INTO outbox (seq, id, channel, recipient, case_id, content_type, body, attempts, state, next_attempt_at, last_error, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", out)
            c.commit(); cases, out = [], []
    if cases:
        c.executemany("INSERT INTO cases (id, partner, reference, filing, state, version, consignment_json, message_id, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", cases)
        c.executemany("INSERT INTO outbox (seq, id, channel, recipient, case_id, content_type, body, attempts, state, next_attempt_at, last_error, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", out)
        c.commit()
    c.execute("ANALYZE")
    print("built in %.1f s" % (time.time() - t0))
old = (  # List"SELECT id FROM cases WHERE id IN (SELECT case_id FROM outbox WHERE recipient = ? AND channel IN ('task', 'assess'))"
       " ORDER BY created_at DESC, id DESC LIMIT 50")
new = (  # Probe"SELECT id FROM cases WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.case_id = cases.id AND o.recipient = ?"
       " AND o.channel IN ('task', 'assess')) ORDER BY created_at DESC, id DESC LIMIT 50")
for name, sql in (("List", old), ("Probe", new)):
    for agency in ("customs", "food-safety", "strategic-goods"):
        print(name, agency, [r[3] for r in c.execute("EXPLAIN QUERY PLAN " + sql, (agency,))])
        times = []
        for _ in range(3):
            t = time.time(); rows = c.execute(sql, (agency,)).fetchall(); times.append(time.time() - t)
        print("  %s %-16s %d rows, best of 3: %.2f ms" % (name, agency, len(rows), min(times) * 1000))
