// helpdesk: the little behaviour htmx does not cover. Every page works without it.
"use strict";

// "Insert link" next to a help article: add "Title: URL" to the reply being written, at the cursor.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-insert]");
  if (!button) return;
  const body = document.querySelector("[data-reply-body]");
  if (!body) return;
  const text = button.getAttribute("data-insert");
  const start = body.selectionStart ?? body.value.length;
  const end = body.selectionEnd ?? body.value.length;
  const before = body.value.slice(0, start);
  const spacer = before && !before.endsWith("\n") ? "\n" : "";
  body.value = before + spacer + text + "\n" + body.value.slice(end);
  body.focus();
  const caret = (before + spacer + text + "\n").length;
  body.setSelectionRange(caret, caret);
});

// A filter box over a long <select> (the time zones): typing hides the options that do not match.
const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/_/g, " ").toLowerCase();
document.querySelectorAll("[data-option-filter]").forEach((box) => {
  const select = document.getElementById(box.getAttribute("data-option-filter"));
  const input = box.querySelector("input");
  const status = box.querySelector("[aria-live]");
  if (!select || !input) return;
  box.hidden = false;
  input.addEventListener("input", () => {
    const words = fold(input.value).split(/\s+/).filter(Boolean);
    let first = null;
    for (const option of select.options) {
      const haystack = fold(`${option.label} ${option.value} ${option.parentElement.label || ""}`);
      option.hidden = !words.every((word) => haystack.includes(word));
      if (!option.hidden && !first) first = option;
    }
    for (const group of select.querySelectorAll("optgroup")) {
      group.hidden = ![...group.children].some((option) => !option.hidden);
    }
    if (first && select.selectedOptions[0]?.hidden) select.value = first.value;
    if (status) status.textContent = words.length ? status.dataset[first ? "some" : "empty"] : "";
  });
});

// A part of a form that matters only while a checkbox is ticked ("Subject the customer sees" with "Email the
// customer"): hidden otherwise. Without JavaScript it is always shown.
document.querySelectorAll("[data-shown-by]").forEach((part) => {
  const box = document.getElementById(part.getAttribute("data-shown-by"));
  if (!box) return;
  const sync = () => { part.hidden = !box.checked; };
  box.addEventListener("change", sync);
  sync();
});

// A field that starts as a copy of another ("Subject the customer sees" of the agent's subject) and follows
// it until someone edits it.
document.querySelectorAll("[data-copy-of]").forEach((copy) => {
  const source = document.getElementById(copy.getAttribute("data-copy-of"));
  if (!source) return;
  let own = copy.value !== "" && copy.value !== source.value;
  copy.addEventListener("input", () => { own = copy.value !== ""; });
  source.addEventListener("input", () => { if (!own) copy.value = source.value; });
});
