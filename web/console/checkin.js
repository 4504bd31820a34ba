// The door page of an event (bot/console/events_page.cpp): a ticket code typed, or read from the
// camera — with the browser's BarcodeDetector where it reads QR codes, otherwise with jsQR (from
// npm, compiled into the binary: /console/static/jsQR.js). Each scan is posted with a fresh
// nonce, so a retried request counts once; the answer is shown big, green or red.
(function () {
  "use strict";
  const form = document.getElementById("checkin");
  const result = document.getElementById("result");
  const input = document.getElementById("code");
  const scan = document.getElementById("scan");
  const video = document.getElementById("camera");
  if (!form || !result || !window.fetch) return;

  function nonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return String(Date.now()) + "-" + String(Math.random()).slice(2);
  }

  function show(ok, text) {
    result.textContent = text;
    result.className = "scan " + (ok ? "scan-ok" : "scan-bad");
  }

  let busy = false;
  async function submit(code) {
    if (busy || !code) return;
    busy = true;
    const body = new URLSearchParams(new FormData(form));
    body.set("code", code);
    body.set("nonce", nonce());
    try {
      const res = await fetch(form.action, {
        method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" },
      });
      const answer = await res.json();
      show(answer.ok === true, answer.message || answer.result || String(res.status));
    } catch (e) {
      show(false, form.dataset.offline || "No connection");
    } finally {
      busy = false;
    }
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const code = input.value.trim();
    input.value = "";
    input.focus();
    submit(code);
  });

  if (!scan || !video || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  scan.hidden = false;

  // The same ticket held in front of the camera is posted once every few seconds, not per frame.
  let last = "";
  let lastAt = 0;
  function seen(code) {
    const now = Date.now();
    if (code === last && now - lastAt < 4000) return;
    last = code;
    lastAt = now;
    submit(code);
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  // A function that reads a QR code from the video's current frame (null when none).
  async function reader() {
    if ("BarcodeDetector" in window) {
      try {
        const formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.includes("qr_code")) {
          const detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          return async () => {
            const codes = await detector.detect(video);
            return codes.length ? codes[0].rawValue : null;
          };
        }
      } catch (e) {
        // fall through to jsQR
      }
    }
    await loadScript("/console/static/jsQR.js");
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    return async () => {
      if (!video.videoWidth) return null;
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      ctx.drawImage(video, 0, 0);
      const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      const found = window.jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" });
      return found ? found.data : null;
    };
  }

  scan.addEventListener("click", async () => {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" }, audio: false,
      });
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      scan.hidden = true;
      const read = await reader();
      const tick = async () => {
        try {
          const code = await read();
          if (code) seen(code.trim());
        } catch (e) {
          // a frame that could not be read: try the next
        }
        setTimeout(tick, 250);
      };
      tick();
    } catch (e) {
      show(false, scan.dataset.denied || "Camera unavailable");
    }
  });
})();
