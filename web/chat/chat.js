// The web chat page: plain JavaScript, no build step.
// Talks to the bot with POST /chat/send and a long poll on GET /chat/poll (see
// bot/channels/web/webchat.hpp). A visitor is a random id kept in this browser; the transcript
// is kept only in this browser too (localStorage), never sent back to the server.
// Everything the bot says is inserted as text (never as HTML).
"use strict";

(function () {
  const store = window.localStorage;
  const KEY = "outreach-bot.v1";
  const MAX_KEPT = 200; // transcript entries kept in this browser

  const $ = (id) => document.getElementById(id);
  const log = $("log");
  const input = $("input");
  const sendButton = $("send");
  const offline = $("offline");

  let saved = {};
  try {
    saved = JSON.parse(store.getItem(KEY) || "{}");
  } catch (e) {
    saved = {};
  }
  const state = {
    visitor: typeof saved.visitor === "string" && /^[A-Za-z0-9_-]{16,64}$/.test(saved.visitor)
      ? saved.visitor : newId(22),
    cursor: Number.isInteger(saved.cursor) ? saved.cursor : 0,
    lang: saved.lang === "en" ? "en" : (saved.lang === "vi" ? "vi" : guessLanguage()),
    transcript: Array.isArray(saved.transcript) ? saved.transcript : [],
    strings: {},
    polling: false,
  };

  function guessLanguage() {
    const l = (navigator.language || "vi").toLowerCase();
    return l.startsWith("vi") ? "vi" : (l.startsWith("en") ? "en" : "vi");
  }

  function newId(length) {
    const bytes = new Uint8Array(length);
    crypto.getRandomValues(bytes);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    return Array.from(bytes, (b) => alphabet[b & 63]).join("");
  }

  function persist() {
    try {
      store.setItem(KEY, JSON.stringify({
        visitor: state.visitor,
        cursor: state.cursor,
        lang: state.lang,
        transcript: state.transcript.slice(-MAX_KEPT),
      }));
    } catch (e) {
      // Storage full or disabled: the chat still works for this visit.
    }
  }

  // Text with clickable https links, built from text nodes only.
  function appendText(el, text) {
    const re = /https?:\/\/[^\s<>"')]+/g;
    let last = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      el.appendChild(document.createTextNode(text.slice(last, m.index)));
      const a = document.createElement("a");
      a.href = m[0];
      a.textContent = m[0];
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      el.appendChild(a);
      last = m.index + m[0].length;
    }
    el.appendChild(document.createTextNode(text.slice(last)));
  }

  function renderEntry(entry, live) {
    const el = document.createElement("div");
    el.className = "msg " + (entry.from === "me" ? "me" : "bot");
    el.dataset.testid = entry.from === "me" ? "user-message" : "bot-message";
    appendText(el, entry.text || "");
    const m = entry.message;
    if (m && ((m.items && m.items.length) || (m.buttons && m.buttons.length))) {
      if (m.items && m.items.length) {
        const list = document.createElement("div");
        list.className = "choices list";
        m.items.forEach((it) => list.appendChild(choiceButton(it.subtitle ? it.title + " — " + it.subtitle : it.title, it.payload, live)));
        el.appendChild(list);
      }
      if (m.buttons && m.buttons.length) {
        const row = document.createElement("div");
        row.className = "choices";
        m.buttons.forEach((b) => {
          if (b.url && !b.payload) {
            if (!/^https?:\/\//.test(b.url)) return;
            const a = document.createElement("a");
            a.className = "choice";
            a.href = b.url;
            a.target = "_blank";
            a.rel = "noopener noreferrer";
            a.textContent = b.title;
            row.appendChild(a);
          } else {
            row.appendChild(choiceButton(b.title, b.payload, live));
          }
        });
        el.appendChild(row);
      }
    }
    // Images from https sites, and this server's own (a ticket's QR code, /t/<code>.png).
    if (m && m.image_url &&
        (/^https:\/\//.test(m.image_url) || m.image_url.startsWith(location.origin + "/"))) {
      const img = document.createElement("img");
      img.src = m.image_url;
      img.alt = "";
      img.style.maxWidth = "100%";
      el.appendChild(img);
    }
    log.appendChild(el);
    return el;
  }

  // Replies that arrive together (a reading line, an explainer, a question after it) and are
  // taller than the conversation pane are read from the first one's beginning: an explainer
  // opens with its title and ends with its source. Anything shorter keeps the newest line in view.
  function reveal(first) {
    const height = log.lastElementChild.getBoundingClientRect().bottom - first.getBoundingClientRect().top;
    if (height > log.clientHeight) first.scrollIntoView({ block: "start" });
    else log.scrollTop = log.scrollHeight;
  }

  function choiceButton(title, payload, live) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "choice";
    b.textContent = title;
    b.dataset.payload = payload;
    b.disabled = !live;
    b.addEventListener("click", () => {
      // Buttons of older messages stay visible but only the latest ones are live.
      disableOldChoices();
      send({ payload: payload, shown: title });
    });
    return b;
  }

  function disableOldChoices() {
    log.querySelectorAll("button.choice").forEach((b) => { b.disabled = true; });
  }

  function add(entry) {
    disableOldChoices();
    state.transcript.push(entry);
    persist();
    const el = renderEntry(entry, entry.from !== "me");
    if (entry.from === "me") log.scrollTop = log.scrollHeight;
    return el;
  }

  function applyStrings(s) {
    state.strings = s || {};
    const t = (k, fallback) => (state.strings[k] || fallback);
    document.documentElement.lang = state.lang;
    document.title = t("title", document.title);
    // The last two words stay together when the title wraps on a phone ("Gò Vấp").
    $("title").textContent = t("title", $("title").textContent).replace(/ (\S+)$/, "\u00a0$1");
    $("subtitle").textContent = t("subtitle", $("subtitle").textContent);
    input.placeholder = t("placeholder", input.placeholder);
    $("input-label").textContent = t("placeholder", input.placeholder);
    sendButton.textContent = t("send", sendButton.textContent);
    offline.textContent = t("offline", offline.textContent);
    $("note").textContent = t("privacy_note", $("note").textContent);
    $("lang").textContent = t("language", $("lang").textContent);
    $("restart").title = t("restart", $("restart").title);
    $("restart").setAttribute("aria-label", t("restart", $("restart").title));
  }

  async function loadStrings() {
    try {
      const r = await fetch("/chat/ui?lang=" + state.lang, { cache: "no-store" });
      if (r.ok) applyStrings((await r.json()).strings);
    } catch (e) {
      // Keep the built-in Vietnamese labels.
    }
  }

  async function post(body) {
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        const r = await fetch("/chat/send", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        if (r.ok) return true;
        if (r.status === 429 || r.status >= 500) {
          await sleep(1000 * (attempt + 1) * (r.status === 429 ? 3 : 1));
          continue;
        }
        return false; // 4xx: the message itself is refused; retrying won't help
      } catch (e) {
        offline.hidden = false;
        await sleep(1000 * (attempt + 1));
      }
    }
    return false;
  }

  // The same id on every retry lets the server drop duplicates.
  async function send({ text, payload, shown, type }) {
    const body = { visitor: state.visitor, id: newId(16), lang: state.lang };
    if (type) body.type = type;
    if (payload) {
      body.payload = payload;
      body.text = shown || "";
    } else if (text) {
      body.text = text;
    }
    if (text || shown) add({ from: "me", text: text || shown });
    if (payload && payload.startsWith("lang:")) {
      const next = payload === "lang:toggle" ? (state.lang === "vi" ? "en" : "vi") : payload.slice(5);
      if (next === "vi" || next === "en") {
        state.lang = next;
        persist();
        loadStrings();
      }
    }
    const ok = await post(body);
    if (!ok) reveal(add({ from: "bot", text: state.strings.offline || "Mất kết nối, đang thử lại…" }));
    poll();
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  async function poll() {
    if (state.polling) return;
    state.polling = true;
    let failures = 0;
    try {
      for (;;) {
        let r;
        try {
          r = await fetch("/chat/poll?visitor=" + encodeURIComponent(state.visitor) + "&after=" + state.cursor, { cache: "no-store" });
        } catch (e) {
          r = null;
        }
        if (!r || !r.ok) {
          failures++;
          offline.hidden = false;
          await sleep(Math.min(10000, 500 * 2 ** Math.min(failures, 5)));
          continue;
        }
        failures = 0;
        offline.hidden = true;
        const data = await r.json();
        let first = null;
        for (const m of data.messages || []) {
          if (m.id <= state.cursor) continue;
          state.cursor = m.id;
          const el = add({ from: "bot", text: m.text || "", message: m });
          first = first || el;
        }
        if (first) reveal(first);
        state.cursor = Math.max(state.cursor, data.cursor || 0);
        // The labels follow the language the bot answers in (typing Vietnamese in a browser set
        // to English switches the page to Vietnamese, and back).
        if ((data.lang === "vi" || data.lang === "en") && data.lang !== state.lang) {
          state.lang = data.lang;
          loadStrings();
        }
        persist();
      }
    } finally {
      state.polling = false;
    }
  }

  $("composer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    input.style.height = "";
    send({ text: text });
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      $("composer").requestSubmit();
    }
  });
  input.addEventListener("input", () => {
    input.style.height = "";
    input.style.height = Math.min(input.scrollHeight, 140) + "px";
  });
  $("lang").addEventListener("click", () => {
    const next = state.lang === "vi" ? "en" : "vi";
    send({ payload: "lang:" + next, shown: $("lang").textContent });
  });
  $("restart").addEventListener("click", () => {
    state.transcript = [];
    persist();
    log.textContent = "";
    send({ payload: "menu" });
  });

  (async function start() {
    await loadStrings();
    state.transcript.forEach((e, i) => renderEntry(e, e.from !== "me" && i === state.transcript.length - 1));
    log.scrollTop = log.scrollHeight;
    persist();
    if (state.transcript.length === 0) send({ type: "start" });
    else poll();
  })();
})();
