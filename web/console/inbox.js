// The handoff inbox, live: waits for the inbox to change (GET /console/inbox/wait, a long poll
// of up to 25 s), then fetches the page again and swaps in the list (#inbox) or the thread
// (#thread). The number of conversations waiting for someone is shown in the page title.
// Without JavaScript the pages work as they are; reloading shows the same.
(function () {
  'use strict';
  var live = document.getElementById('inbox') || document.getElementById('thread');
  if (!live) return;
  var base = document.title;
  function show(open) {
    document.title = (open > 0 ? '(' + open + ') ' : '') + base;
  }
  show(Number(live.getAttribute('data-open')) || 0);
  function refresh() {
    return fetch(location.href, { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var fresh = doc.getElementById(live.id);
        if (!fresh) return;
        live.innerHTML = fresh.innerHTML;
        live.setAttribute('data-version', fresh.getAttribute('data-version') || '');
        live.setAttribute('data-open', fresh.getAttribute('data-open') || '0');
        show(Number(fresh.getAttribute('data-open')) || 0);
      });
  }
  function wait(delay) {
    setTimeout(function () {
      var since = encodeURIComponent(live.getAttribute('data-version') || '');
      fetch('/console/inbox/wait?since=' + since, { credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
        .then(function (v) {
          if (v.version !== live.getAttribute('data-version')) return refresh();
        })
        .then(function () { wait(0); }, function () { wait(5000); });
    }, delay);
  }
  wait(0);
})();
