#include "storage/subscription_repo.hpp"

#include "storage/query.hpp"

namespace outreach::storage {

SubscriptionRepo::SubscriptionRepo(SQLite::Database& db)
    : get_(db,
           "SELECT person_id, topics, ward, audience, consent_at, consent_version, source, "
           "updated_at FROM subscriptions WHERE person_id = :person"),
      put_(db,
           "INSERT INTO subscriptions (person_id, topics, ward, audience, consent_at, "
           "consent_version, source, updated_at) VALUES (:person, :topics, :ward, :audience, "
           ":consent_at, :version, :source, :updated) ON CONFLICT (person_id) DO UPDATE SET "
           "topics = excluded.topics, ward = excluded.ward, audience = excluded.audience, "
           "consent_at = excluded.consent_at, consent_version = excluded.consent_version, "
           "source = excluded.source, updated_at = excluded.updated_at"),
      remove_(db, "DELETE FROM subscriptions WHERE person_id = :person"),
      record_wording_(db,
                      "INSERT OR IGNORE INTO consent_wordings (version, lang, text, first_seen) "
                      "VALUES (:version, :lang, :text, :now)"),
      wording_(db, "SELECT text FROM consent_wordings WHERE version = :version"),
      count_(db, "SELECT COUNT(*) FROM subscriptions") {}

std::optional<Subscription> SubscriptionRepo::get(std::int64_t person_id) {
  Query q(get_);
  q.bind(":person", person_id);
  if (!q.step())
    return std::nullopt;
  Subscription s;
  s.person_id = q.i64(0);
  s.topics = split_topics(q.text(1));
  s.ward = q.text(2);
  s.audience = q.text(3);
  s.consent_at = q.i64(4);
  s.consent_version = q.text(5);
  s.source = q.text(6);
  s.updated_at = q.i64(7);
  return s;
}

void SubscriptionRepo::put(const Subscription& s) {
  Query q(put_);
  q.bind(":person", s.person_id)
      .bind(":topics", join_topics(s.topics))
      .bind(":ward", s.ward)
      .bind(":audience", s.audience)
      .bind(":consent_at", s.consent_at)
      .bind(":version", s.consent_version)
      .bind(":source", s.source)
      .bind(":updated", s.updated_at);
  q.exec();
}

bool SubscriptionRepo::remove(std::int64_t person_id) {
  Query q(remove_);
  q.bind(":person", person_id);
  return q.exec() == 1;
}

void SubscriptionRepo::record_wording(const std::string& version,
                                      const std::string& lang,
                                      const std::string& text,
                                      std::int64_t now_ms) {
  Query q(record_wording_);
  q.bind(":version", version).bind(":lang", lang).bind(":text", text).bind(":now", now_ms);
  q.exec();
}

std::optional<std::string> SubscriptionRepo::wording(const std::string& version) {
  Query q(wording_);
  q.bind(":version", version);
  if (!q.step())
    return std::nullopt;
  return q.text(0);
}

std::int64_t SubscriptionRepo::count() {
  Query q(count_);
  q.step();
  return q.i64(0);
}

std::string join_topics(const std::vector<std::string>& topics) {
  std::string out;
  for (const auto& t : topics) {
    if (!out.empty())
      out += ',';
    out += t;
  }
  return out;
}

std::vector<std::string> split_topics(const std::string& joined) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < joined.size()) {
    const std::size_t comma = joined.find(',', start);
    const std::size_t end = comma == std::string::npos ? joined.size() : comma;
    if (end > start)
      out.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace outreach::storage
