#pragma once
// The HTTP route table — every path the bot answers, in one place:
//   GET  /                the web chat page           GET /static/<file>  its assets
//   GET  /healthz         the process is up           GET /readyz         ready to take traffic
//   GET  /metrics         Prometheus text             GET /chat/ui        UI strings for the page
//   POST /chat/send       web chat: a message in      GET /chat/poll      web chat: replies out
//   POST /webhooks/zalo   Zalo OA events              GET|POST /webhooks/messenger  Messenger
//   /console/…            the staff console (bot/console/console.hpp)
//   /admin/…              the admin API (bearer token)
// Webhooks answer 200 once the events are stored (duplicates too), 401 for a missing, wrong or
// stale signature or an unknown account (nothing stored), 400 / 413 for bodies that are not
// JSON or too large, 503 when the store failed (the platform retries; dedupe makes that safe).
// Thread-safety: the handler is called concurrently from io threads; all it touches is
// thread-safe (see each dependency's header).

#include <functional>

#include "bot/channels/messenger/messenger.hpp"
#include "bot/channels/web/webchat.hpp"
#include "bot/channels/zalo/zalo_webhook.hpp"
#include "bot/console/console.hpp"
#include "bot/core/clock.hpp"
#include "bot/core/metrics.hpp"
#include "bot/server/http_server.hpp"
#include "content/store.hpp"
#include "handlers/broadcast.hpp"
#include "storage/db_executor.hpp"
#include "storage/inbox_writer.hpp"

namespace outreach::app {

struct Readiness {
  bool database = false;
  bool content = false;
  bool shutting_down = false;

  bool ready() const { return database && content && !shutting_down; }
};

struct RouteDeps {
  channels::web::WebChat& webchat;
  storage::InboxWriter& inbox;
  storage::DbExecutor& reader;  // read-only connection for the web chat's transcript
  Metrics& metrics;
  content::ContentStore& content;
  const Clock& clock;
  std::function<Readiness()> readiness;
  std::chrono::milliseconds poll_timeout{25'000};
  bool webchat_enabled = true;
  const channels::zalo::Webhook* zalo = nullptr;            // null: no Zalo OA configured
  const channels::messenger::Webhook* messenger = nullptr;  // null: no page configured
  // Staff's admin API (/admin/…): the writer connection, the bearer token (empty: the API is
  // off) and a call that wakes the sender after a staff action queued a message.
  storage::DbExecutor* writer = nullptr;
  std::string admin_token;
  std::function<void()> outbox_written;
  // The staff console (/console/…); null: 404.
  console::Console* console = nullptr;
  // Broadcasts through the admin API: the options, and a call that wakes the scheduler after a
  // broadcast was sent or resumed.
  handlers::BroadcastOptions broadcast;
  std::function<void()> jobs_written;
};

server::Handler make_http_handler(RouteDeps deps);

}  // namespace outreach::app
