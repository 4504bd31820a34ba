#include "storage/people_repo.hpp"

#include <stdexcept>

#include "storage/query.hpp"

namespace outreach::storage {
namespace {

constexpr const char* kInsert = R"sql(
INSERT INTO people (channel, account, platform_user_id, display_name, language,
                    first_interaction_at, last_interaction_at)
VALUES (:channel, :account, :user, :name, :language, :now, :now)
ON CONFLICT (channel, account, platform_user_id) DO NOTHING
RETURNING )sql";

constexpr const char* kRefresh = R"sql(
UPDATE people SET last_interaction_at = MAX(last_interaction_at, :now),
                  display_name = COALESCE(:name, display_name)
WHERE channel = :channel AND account = :account AND platform_user_id = :user
RETURNING )sql";

constexpr const char* kColumns =
    "id, channel, account, platform_user_id, COALESCE(display_name, ''), language, "
    "consent_store_text, consent_broadcast, first_interaction_at, last_interaction_at";

Person read_person(const Query& q) {
  Person p;
  p.id = q.i64(0);
  p.channel = q.text(1);
  p.account = q.text(2);
  p.platform_user_id = q.text(3);
  p.display_name = q.text(4);
  p.language = q.text(5);
  p.consent_store_text = q.i32(6) != 0;
  p.consent_broadcast = q.i32(7) != 0;
  p.first_interaction_at = q.i64(8);
  p.last_interaction_at = q.i64(9);
  return p;
}

}  // namespace

PeopleRepo::PeopleRepo(SQLite::Database& db)
    : db_(db),
      insert_(db, std::string(kInsert) + kColumns),
      refresh_(db, std::string(kRefresh) + kColumns),
      find_(db,
            std::string("SELECT ") + kColumns +
                " FROM people WHERE channel = :channel AND account = :account AND "
                "platform_user_id = :user"),
      get_(db, std::string("SELECT ") + kColumns + " FROM people WHERE id = :id"),
      set_language_(db, "UPDATE people SET language = :language WHERE id = :id"),
      set_consent_(db, "UPDATE people SET consent_store_text = :yes WHERE id = :id"),
      erase_(db, "DELETE FROM people WHERE id = :id AND last_interaction_at <= :requested") {}

Person PeopleRepo::touch(const std::string& channel,
                         const std::string& account,
                         const std::string& platform_user_id,
                         const std::string& display_name,
                         const std::string& default_language,
                         std::int64_t now_ms) {
  // Both statements take who it is, the name they gave (if any) and when.
  auto bind_visit = [&](Query& q) -> Query& {
    return q.bind(":channel", channel)
        .bind(":account", account)
        .bind(":user", platform_user_id)
        .bind_or_null(":name", display_name)
        .bind(":now", now_ms);
  };
  // Someone we know (the usual case) is refreshed and read back in one statement.
  {
    Query q(refresh_);
    if (bind_visit(q).step())
      return read_person(q);
  }
  Query q(insert_);
  bind_visit(q).bind(":language", default_language);
  if (!q.step())  // cannot happen on the one writer connection: the refresh found no row
    throw std::runtime_error("people: could not insert or refresh " + channel + "/" + account);
  Person p = read_person(q);
  p.is_new = true;
  return p;
}

std::optional<Person> PeopleRepo::find(const std::string& channel,
                                       const std::string& account,
                                       const std::string& platform_user_id) {
  Query q(find_);
  q.bind(":channel", channel).bind(":account", account).bind(":user", platform_user_id);
  if (!q.step())
    return std::nullopt;
  return read_person(q);
}

std::optional<Person> PeopleRepo::get(std::int64_t id) {
  Query q(get_);
  q.bind(":id", id);
  if (!q.step())
    return std::nullopt;
  return read_person(q);
}

void PeopleRepo::set_language(std::int64_t id, const std::string& language) {
  Query(set_language_).bind(":language", language).bind(":id", id).exec();
}

void PeopleRepo::set_consent_store_text(std::int64_t id, bool yes) {
  Query(set_consent_).bind(":yes", yes).bind(":id", id).exec();
}

void PeopleRepo::set_shared(std::int64_t id,
                            const std::string& name,
                            const std::string& phone,
                            const std::string& address,
                            std::int64_t now_ms) {
  SQLite::Statement st(db_, R"sql(
UPDATE people SET shared_name = COALESCE(NULLIF(:name, ''), shared_name),
  shared_phone = COALESCE(NULLIF(:phone, ''), shared_phone),
  shared_address = COALESCE(NULLIF(:address, ''), shared_address), shared_at = :now
WHERE id = :id
)sql");
  st.bind(":name", name);
  st.bind(":phone", phone);
  st.bind(":address", address);
  st.bind(":now", static_cast<int64_t>(now_ms));
  st.bind(":id", static_cast<int64_t>(id));
  st.exec();
}

void PeopleRepo::forget(const Person& person) {
  // Rarely used: plain statements prepared on the spot, values bound as always.
  const char* kSteps[] = {
      "DELETE FROM conversations WHERE person_id = :id",
      "DELETE FROM interactions WHERE person_id = :id",
      "DELETE FROM outbox WHERE person_id = :id",
      "UPDATE feedback SET person_id = NULL WHERE person_id = :id",
      "DELETE FROM questions WHERE person_id = :id",
      "DELETE FROM waitlist WHERE person_id = :id",
      "DELETE FROM bookings WHERE person_id = :id",  // frees their seats; reminders find nothing
      "DELETE FROM handoffs WHERE person_id = :id",  // and their messages (cascade)
      "DELETE FROM subscriptions WHERE person_id = :id",
      "DELETE FROM broadcast_clicks WHERE person_id = :id",
      "DELETE FROM event_registrations WHERE person_id = :id",  // frees their seats
      "UPDATE people SET display_name = NULL, consent_store_text = 0, consent_broadcast = 0, "
      "shared_name = NULL, shared_phone = NULL, shared_address = NULL, shared_at = NULL WHERE id = "
      ":id",
  };
  for (const char* sql : kSteps) {
    SQLite::Statement st(db_, sql);
    st.bind(":id", static_cast<int64_t>(person.id));
    st.exec();
  }
  SQLite::Statement inbox(db_,
                          "UPDATE inbox SET platform_user_id = '', payload = NULL WHERE channel = "
                          ":channel AND account = :account AND platform_user_id = :user AND "
                          "status != 'pending'");
  inbox.bind(":channel", person.channel);
  inbox.bind(":account", person.account);
  inbox.bind(":user", person.platform_user_id);
  inbox.exec();
}

bool PeopleRepo::erase_if_quiet(std::int64_t id, std::int64_t requested_at) {
  auto person = get(id);
  if (!person || person->last_interaction_at > requested_at)
    return false;
  forget(*person);
  Query q(erase_);
  q.bind(":id", id).bind(":requested", requested_at);
  return q.exec() == 1;
}

std::int64_t PeopleRepo::count() {
  return db_.execAndGet("SELECT COUNT(*) FROM people").getInt64();
}

}  // namespace outreach::storage
