/* Pages waiting for the background (a document being issued, a ruling being generated, an
   import running) update themselves: while an element marked data-live-wait is on the page,
   the page is fetched again every few seconds; once the fetched page no longer waits, it is
   shown. Meanwhile an element marked data-live-swap (with an id) is replaced by its fresh
   copy, so that a progress bar moves. Gives up after ten minutes (the page then says to
   reload, as it always did). */
(function () {
  "use strict";
  var EVERY_MS = 4000, GIVE_UP_MS = 600000;
  if (!document.querySelector("[data-live-wait]")) { return; }
  var started = Date.now();
  var every = document.querySelector("[data-live-swap]") ? 1500 : EVERY_MS;
  function swap(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    document.querySelectorAll("[data-live-swap][id]").forEach(function (old) {
      var copy = fresh.getElementById(old.id);
      if (copy) { old.replaceWith(document.importNode(copy, true)); }
    });
  }
  function poll() {
    if (Date.now() - started > GIVE_UP_MS) { return; }
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (html && html.indexOf("data-live-wait") === -1) {
          window.location.reload();
        } else {
          if (html) { swap(html); }
          window.setTimeout(poll, every);
        }
      })
      .catch(function () { window.setTimeout(poll, every); });
  }
  window.setTimeout(poll, every);
})();
