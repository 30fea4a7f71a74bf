// A form returned with errors: bring the first field in error into view and put the cursor
// in it, so that on a short screen the message at the field is what the person sees first
// (the banner at the top only says that something below needs correcting).
(function () {
  "use strict";
  function firstError() {
    var feedback = document.querySelector("form .invalid-feedback.d-block, form .is-invalid");
    if (!feedback) return null;
    var holder = feedback.closest(".mb-3, .col, [class*='col-'], td, fieldset") || feedback.parentElement;
    var field = holder && holder.querySelector("input:not([type=hidden]), select, textarea");
    return { feedback: feedback, field: field };
  }
  document.addEventListener("DOMContentLoaded", function () {
    var found = firstError();
    if (!found) return;
    (found.field || found.feedback).scrollIntoView({ block: "center" });
    if (found.field && !document.activeElement.matches("input, select, textarea")) {
      found.field.focus({ preventScroll: true });
    }
  });
})();
