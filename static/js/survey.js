// helpdesk: the survey page. A number clicked in the survey email opens this page with the rating preselected;
// this sends it at once, so the click is the answer. Link scanners that only fetch the page record nothing, and
// without JavaScript the page shows the send button right under the rating.
"use strict";

(() => {
  const form = document.querySelector("form[data-survey-autosend]");
  if (!form) return;
  const status = document.querySelector("[data-survey-sending]");
  const send = () => {
    form.elements.auto.value = "1"; // the server keeps a newer answer if this copy of the page is old
    if (status) status.hidden = false;
    form.submit();
  };
  // A prerendered page (speculation rules) runs before anyone has looked at it: wait until it is really shown.
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", send, { once: true });
  } else {
    send();
  }
  // Back to this page from the back-forward cache: it was sent already, do not say "Saving…" forever.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && status) status.hidden = true;
  });
})();
