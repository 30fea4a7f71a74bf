/* Type-ahead pickers (core.pickers): Tom Select on every select[data-picker].
   data-picker="local": the options are in the page; otherwise the URL answering
   ?q=… with {"results": [{value, text}]}, already matched by the server (pinyin too),
   so the client shows what it gets without filtering it again. */
(function () {
  "use strict";
  function init(el) {
    if (el.tomselect || typeof TomSelect === "undefined") { return; }
    var url = el.dataset.picker;
    var options = {
      plugins: el.multiple ? ["remove_button"] : [],
      maxOptions: 50,
      create: false,
      placeholder: el.dataset.placeholder || "",
      hidePlaceholder: true
    };
    if (url !== "local") {
      options.valueField = "value";
      options.labelField = "text";
      options.searchField = [];
      options.loadThrottle = 250;
      options.shouldLoad = function (query) { return query.length > 0; };
      options.score = function () { return function () { return 1; }; };
      options.load = function (query, callback) {
        var self = this;
        fetch(url + "?q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { "Accept": "application/json" }
        }).then(function (response) { return response.json(); })
          .then(function (data) { self.clearOptions(); callback(data.results); })
          .catch(function () { callback(); });
      };
    }
    new TomSelect(el, options);
  }
  function initAll() { document.querySelectorAll("select[data-picker]").forEach(init); }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else { initAll(); }
})();
