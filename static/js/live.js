/* Pages waiting for the background (a document being issued, a ruling being generated)
   update themselves: while an element marked data-live-wait is on the page, the page is
   fetched again every few seconds; once the fetched page no longer waits, it is shown.
   Gives up after ten minutes (the page then says to reload, as it always did). */
(function () {
  "use strict";
  var EVERY_MS = 4000, GIVE_UP_MS = 600000;
  if (!document.querySelector("[data-live-wait]")) { return; }
  var started = Date.now();
  function poll() {
    if (Date.now() - started > GIVE_UP_MS) { return; }
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        if (html && html.indexOf("data-live-wait") === -1) {
          window.location.reload();
        } else {
          window.setTimeout(poll, EVERY_MS);
        }
      })
      .catch(function () { window.setTimeout(poll, EVERY_MS); });
  }
  window.setTimeout(poll, EVERY_MS);
})();
