#pragma once
// The console's settings (the `console:` section of the configuration).
// Thread-safety: a plain value.

#include <chrono>
#include <string>

namespace outreach::console {

struct ConsoleOptions {
  bool enabled = true;  // /console/ answers; off: 404
  // The session cookie's Secure attribute: auto = on, except for a request to localhost over
  // plain HTTP (the first-run demo); always; never (only behind a proxy that adds it).
  std::string secure_cookie = "auto";
  std::chrono::milliseconds idle_timeout{30 * 60 * 1000};           // no request for this long
  std::chrono::milliseconds absolute_timeout{12 * 60 * 60 * 1000};  // since login
  // One common password per line (Debian's cracklib-runtime); refused as staff passwords.
  std::string common_passwords = "/usr/share/dict/cracklib-small";
  // The handoff inbox: when staff answer (told to the person who asks for a human), and how
  // soon they usually do within those hours.
  std::string handoff_hours = "mon-fri 07:30-11:30 13:30-17:00";
  int handoff_reply_minutes = 30;
  bool operator==(const ConsoleOptions&) const = default;
};

}  // namespace outreach::console
