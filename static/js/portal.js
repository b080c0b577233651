// The customer's forms: a second click while the first post is on its way sends nothing more.
// Only an extra: the server already turns a resent request form into the first one's ticket.
"use strict";

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("[data-send-once]")) return;
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "1";
  const button = event.submitter && event.submitter.form === form ? event.submitter : form.querySelector("button[type=submit]");
  if (!button || button.getAttribute("formmethod") === "get") return;
  // Disable after this event, so that the browser still sends the form the click asked for.
  setTimeout(() => {
    button.disabled = true;
    if (button.dataset.sendingLabel) {
      button.dataset.label = button.textContent;
      button.textContent = button.dataset.sendingLabel;
    }
  });
  // If the answer never comes (a dropped connection), let the person try again.
  setTimeout(() => release(form), 15000);
});

function release(form) {
  delete form.dataset.sending;
  for (const button of form.querySelectorAll("button[type=submit][disabled]")) {
    button.disabled = false;
    if (button.dataset.label) button.textContent = button.dataset.label;
  }
}

// Back to a page kept in the browser's memory: its buttons work again.
window.addEventListener("pageshow", (event) => {
  if (event.persisted) document.querySelectorAll("form[data-send-once]").forEach(release);
});
