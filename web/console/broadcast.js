// A broadcast's progress, live: while it is sending (#progress data-live="1"), the page is
// fetched again every 2 seconds and the progress section swapped in; it stops once the
// broadcast is no longer sending. Without JavaScript, reloading the page shows the same.
(function () {
  'use strict';
  var live = document.getElementById('progress');
  if (!live || live.getAttribute('data-live') !== '1') return;
  function tick() {
    fetch(location.href, { credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('progress');
        if (!fresh) return;
        live.innerHTML = fresh.innerHTML;
        live.setAttribute('data-live', fresh.getAttribute('data-live') || '0');
        if (live.getAttribute('data-live') === '1') setTimeout(tick, 2000);
        else location.reload();  // the actions change with the status
      })
      .catch(function () { setTimeout(tick, 5000); });
  }
  setTimeout(tick, 2000);
})();
