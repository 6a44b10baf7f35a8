#include "journal/sqlite_licences.hpp"

namespace swhub::journal::sqlite {
namespace {

Licence readLicence(const Stmt& row) {
  return Licence{row.text(0), row.text(1), row.text(2), row.text(3), row.text(4),
                 row.text(5), row.integer(6), row.integer(7), row.text(8)};
}

LicenceUse readUse(const Stmt& row) {
  return LicenceUse{row.text(0), row.text(1), static_cast<int>(row.integer(2)), row.text(3), row.integer(4),
                    row.text(5)};
}

std::int64_t storedUse(Db& db, const LicenceChange& c) {
  auto stmt = db.prepare(
      "SELECT quantity FROM licence_uses WHERE case_id = ? AND agency = ? AND item = ? AND licence_id = ?");
  stmt->bind(1, c.case_id).bind(2, c.agency).bind(3, c.item).bind(4, c.licence_id);
  return stmt->step() ? stmt->integer(0) : 0;
}

}  // namespace

std::optional<std::string> applyLicenceChanges(Db& db, const std::vector<LicenceChange>& changes,
                                               const std::string& now) {
  for (const auto& c : changes) {
    const std::int64_t delta = c.quantity - storedUse(db, c);
    if (delta > 0) {
      // The write-down and its condition in one statement: the store, not a read before it,
      // decides who gets the last unit.
      auto take = db.prepare(
          "UPDATE licences SET remaining = remaining - ?, updated_at = ? WHERE agency = ? AND id = ? AND remaining >= ?");
      take->bind(1, delta).bind(2, now).bind(3, c.agency).bind(4, c.licence_id).bind(5, delta);
      take->step();
      if (db.changes() != 1) {
        return "licence '" + c.licence_id + "' of agency '" + c.agency + "' has less than the quantity case " +
               c.case_id + " takes for item " + std::to_string(c.item);
      }
    } else if (delta < 0) {
      auto giveBack = db.prepare(
          "UPDATE licences SET remaining = remaining + ?, updated_at = ? WHERE agency = ? AND id = ?");
      giveBack->bind(1, -delta).bind(2, now).bind(3, c.agency).bind(4, c.licence_id);
      giveBack->step();
    }
    if (c.quantity > 0) {
      auto put = db.prepare(
          "INSERT INTO licence_uses (case_id, agency, item, licence_id, quantity, at) VALUES (?, ?, ?, ?, ?, ?)"
          " ON CONFLICT (case_id, agency, item, licence_id) DO UPDATE SET quantity = excluded.quantity, at = excluded.at");
      put->bind(1, c.case_id).bind(2, c.agency).bind(3, c.item).bind(4, c.licence_id).bind(5, c.quantity).bind(6, now);
      put->step();
    } else {
      auto drop = db.prepare(
          "DELETE FROM licence_uses WHERE case_id = ? AND agency = ? AND item = ? AND licence_id = ?");
      drop->bind(1, c.case_id).bind(2, c.agency).bind(3, c.item).bind(4, c.licence_id);
      drop->step();
    }
  }
  return std::nullopt;
}

std::optional<Licence> licenceById(Db& db, const std::string& agency, const std::string& id) {
  auto stmt = db.prepare(
      "SELECT agency, id, type, holder, valid_from, valid_to, quantity, remaining, updated_at"
      " FROM licences WHERE agency = ? AND id = ?");
  stmt->bind(1, agency).bind(2, id);
  if (!stmt->step()) return std::nullopt;
  return readLicence(*stmt);
}

std::vector<Licence> licencesOf(Db& db, const std::string& agency) {
  auto stmt = db.prepare(
      "SELECT agency, id, type, holder, valid_from, valid_to, quantity, remaining, updated_at"
      " FROM licences WHERE ? = '' OR agency = ? ORDER BY agency, id");
  stmt->bind(1, agency).bind(2, agency);
  std::vector<Licence> out;
  while (stmt->step()) out.push_back(readLicence(*stmt));
  return out;
}

std::vector<LicenceUse> usesOfCase(Db& db, const std::string& case_id) {
  auto stmt = db.prepare(
      "SELECT case_id, agency, item, licence_id, quantity, at FROM licence_uses WHERE case_id = ?"
      " ORDER BY agency, item, licence_id");
  stmt->bind(1, case_id);
  std::vector<LicenceUse> out;
  while (stmt->step()) out.push_back(readUse(*stmt));
  return out;
}

std::vector<LicenceUse> usesOfLicence(Db& db, const std::string& agency, const std::string& id) {
  auto stmt = db.prepare(
      "SELECT case_id, agency, item, licence_id, quantity, at FROM licence_uses WHERE agency = ? AND licence_id = ?"
      " ORDER BY at, case_id, item");
  stmt->bind(1, agency).bind(2, id);
  std::vector<LicenceUse> out;
  while (stmt->step()) out.push_back(readUse(*stmt));
  return out;
}

LicencePutResult putLicence(Db& db, const Licence& l, LicencePut mode, const std::string& now) {
  LicencePutResult result;
  auto stored = licenceById(db, l.agency, l.id);
  if (mode != LicencePut::Update) {
    if (stored) {
      result.status = mode == LicencePut::Insert ? LicencePutResult::Status::Exists : LicencePutResult::Status::Unchanged;
      result.stored = *stored;
      return result;
    }
    auto insert = db.prepare(
        "INSERT INTO licences (agency, id, type, holder, valid_from, valid_to, quantity, remaining, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert->bind(1, l.agency).bind(2, l.id).bind(3, l.type).bind(4, l.holder).bind(5, l.valid_from)
        .bind(6, l.valid_to).bind(7, l.quantity).bind(8, l.quantity).bind(9, now);
    insert->step();
  } else {
    if (!stored) {
      result.status = LicencePutResult::Status::Missing;
      return result;
    }
    // What cases use stays used: the remaining quantity moves with the granted one.
    const std::int64_t used = stored->quantity - stored->remaining;
    if (l.quantity < used) {
      result.status = LicencePutResult::Status::BelowUsed;
      result.stored = *stored;
      return result;
    }
    auto update = db.prepare(
        "UPDATE licences SET type = ?, holder = ?, valid_from = ?, valid_to = ?, quantity = ?, remaining = ?,"
        " updated_at = ? WHERE agency = ? AND id = ?");
    update->bind(1, l.type).bind(2, l.holder).bind(3, l.valid_from).bind(4, l.valid_to).bind(5, l.quantity)
        .bind(6, l.quantity - used).bind(7, now).bind(8, l.agency).bind(9, l.id);
    update->step();
  }
  result.stored = *licenceById(db, l.agency, l.id);
  return result;
}

}  // namespace swhub::journal::sqlite
