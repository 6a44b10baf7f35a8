// The shape of the risk settings; meaning (prefixes, countries, decimals, durations, thresholds
// in order) is checked by compileRisk(), which names every error with its dotted path as the
// schema does.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "risk_settings.hpp"

namespace swhub::plugins::customs {

namespace {

using sdk::Schema;

// "sale, gift, ..." (the SDK's own list) -> {"sale", "gift", ...}, so the schema knows the
// spellings the SDK parses and suggests the nearest one.
std::vector<std::string> splitAllowed(const std::string& allowed) {
  std::vector<std::string> out;
  std::string_view rest = allowed;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view word = rest.substr(0, comma);
    while (!word.empty() && word.front() == ' ') word.remove_prefix(1);
    if (!word.empty()) out.emplace_back(word);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return out;
}

Schema names(std::string description) {
  return Schema::list(std::move(description), Schema::string("one value").nonEmpty(), 1);
}

Schema closedList(std::string description, std::string itemDescription, std::vector<std::string> allowed) {
  return Schema::list(std::move(description), Schema::oneOf(std::move(itemDescription), std::move(allowed)), 1);
}

const std::vector<std::string> kRoles = {"seller", "buyer"};

Schema whenSchema() {
  Schema when = Schema::object("conditions that must all hold (item conditions on one same item)");
  when.optional("hs_prefix", names("item: its HS code starts with one of these prefixes (2 to 10 digits, quoted)"));
  when.optional("origins", names("item: its origin is one of these ISO 3166-1 alpha-2 countries"));
  when.optional("natures", closedList("item: its nature is one of these", "a nature", splitAllowed(sdk::allowedNatures())));
  when.optional("below_value_norm",
                Schema::boolean("item: its value per kg is below the value norm of its HS heading (value_norms)"));
  when.optional("vague_description", Schema::boolean("item: its description is vague (vague_descriptions)"));
  when.optional("documents_missing",
                Schema::boolean("item: it lacks a document its HS heading requires (required_documents)"));
  when.optional("departures", names("route: transport.departure is one of these countries"));
  when.optional("destinations", names("route: transport.destination is one of these countries"));
  when.optional("transport_modes", closedList("route: transport.mode is one of these", "a transport mode",
                                              splitAllowed(sdk::allowedTransportModes())));
  when.optional("filings", closedList("the filing kind is one of these", "a filing kind",
                                      splitAllowed(sdk::allowedFilingKinds())));
  when.optional("on_watchlist", names("party: the seller's or the buyer's id is on one of these watchlists")
                                    .refersTo("watchlist"));
  when.optional("new_party", closedList("party: one of these has never been seen before (journal)", "a role", kRoles));
  Schema held = Schema::object("party: one of these has a history of holds (journal)");
  held.optional("roles", closedList("whose history counts (default seller and buyer)", "a role", kRoles));
  held.optional("at_least", Schema::integer("cases held or rejected, at least (default 1)", 1, 1000000000));
  held.optional("share_at_least", Schema::string("share of its cases held or rejected, 0 to 1, at least").nonEmpty());
  when.optional("held_before", held);
  when.optional("late_filing",
                Schema::boolean("filed later than filing_deadlines allows for its transport mode before arrival"));
  return when;
}

}  // namespace

sdk::Schema riskSchema() {
  Schema thresholds = Schema::object("score thresholds: clear below inspect");
  thresholds.required("inspect", Schema::integer("inspect at or above this score", 1, 1000000));
  thresholds.required("hold", Schema::integer("hold at or above this score", 1, 1000000));
  thresholds.optional("do_not_load", Schema::integer("a pre-loading filing at or above this score: do-not-load "
                                                     "(ICS2 referral); other filings are held",
                                                     1, 1000000));

  Schema norm = Schema::object("a value norm");
  norm.required("hs_prefix", Schema::string("HS prefix, 2 to 10 digits (quote it: \"7113\")").nonEmpty());
  norm.required("min_per_kg", Schema::string("the lowest credible value per kg, a decimal").nonEmpty());
  norm.required("currency", Schema::string("its ISO 4217 currency").nonEmpty());
  norm.optional("name", Schema::string("a label shown in the reason's detail"));

  Schema vague = Schema::object("what makes a description vague");
  vague.optional("words", names("vague words, matched whole and case-insensitively (default: gift, gifts, "
                                "parts, sample, samples, accessories, goods)"));
  vague.optional("ignore", names("words left out before judging (default: a, an, and, for, of, or, the, with)"));
  vague.optional("min_share", Schema::string("vague when at least this share of the words are vague, above 0 "
                                             "to 1 (default 1: only vague words)")
                                  .nonEmpty());

  Schema deadlines = Schema::object("how long before transport.arrival a filing is due, by transport mode "
                                    "(a whole number and m, h or d: 4h)");
  for (const std::string& mode : splitAllowed(sdk::allowedTransportModes())) {
    deadlines.optional(mode, Schema::string("the deadline for " + mode).nonEmpty());
  }

  Schema required = Schema::object("documents an HS heading requires");
  required.required("hs_prefix", Schema::string("HS prefix, 2 to 10 digits (quoted)").nonEmpty());
  required.required("types", names("document types, every one required"));
  required.optional("name", Schema::string("a label shown in the reason's detail"));

  Schema watchlist = Schema::object("a watchlist of party ids");
  watchlist.required("name", Schema::string("its name, for on_watchlist").nonEmpty().defines("watchlist"));
  watchlist.required("ids", names("seller or buyer ids (parties.seller.id, parties.buyer.id)"));

  Schema trusted = Schema::object("trusted traders (AEO): their cases score lower");
  trusted.optional("ids", names("seller or buyer ids; a party the hub marks trusted counts too"));
  trusted.required("weight", Schema::integer("what a trusted seller or buyer adds to the score, negative",
                                             -1000000, -1));

  Schema random = Schema::object("random selection for compliance measurement");
  random.required("rate", Schema::string("the share of cases selected, 0 to 1 (\"0.02\")").nonEmpty());
  random.required("seed", Schema::string("makes the selection reproducible; change it to draw again").nonEmpty());

  Schema profile = Schema::object("a risk profile");
  profile.required("name", Schema::string("a name unique among the profiles").nonEmpty());
  profile.required("when", whenSchema());
  profile.required("weight", Schema::integer("what it adds to the score when it holds", -1000000, 1000000));
  profile.required("reason_code", Schema::string("the reason's code, for officers and statistics").nonEmpty());
  profile.required("reason", Schema::string("the reason, for officers only (confidential)").nonEmpty());

  Schema s = Schema::object("risk management of the customs agency");
  s.required("thresholds", thresholds);
  s.optional("profiles", Schema::list("risk profiles; each that holds adds its weight", profile));
  s.optional("value_norms", Schema::list("value norms per HS heading (below_value_norm)", norm));
  s.optional("vague_descriptions", vague);
  s.optional("filing_deadlines", deadlines);
  s.optional("required_documents", Schema::list("documents required per HS heading (documents_missing)", required));
  s.optional("watchlists", Schema::list("watchlists of party ids (on_watchlist)", watchlist));
  s.optional("trusted", trusted);
  s.optional("random", random);
  return s;
}

}  // namespace swhub::plugins::customs
