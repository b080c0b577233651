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

// The ticket page: never lose what an agent chose or wrote.
// Changed controls of a form, compared with what the server rendered (default values).
function changedControls(form) {
  if (!form) return [];
  return Array.from(form.elements).filter((el) => {
    if (!el.name || el.type === "hidden" || el.type === "file" || el.type === "submit" || el.type === "radio") return false;
    if (el.tagName === "SELECT") return Array.from(el.options).some((o) => o.selected !== o.defaultSelected);
    if (el.type === "checkbox") return el.checked !== el.defaultChecked;
    return el.value !== el.defaultValue;
  });
}

const sidebarForm = () => document.querySelector("[data-properties]");

// Flag unsaved Details (in the panel, and in the composer, which will save them with the message).
function flagSidebar() {
  const changed = changedControls(sidebarForm());
  document.querySelectorAll("[data-properties] .changed").forEach((el) => el.classList.remove("changed"));
  changed.forEach((el) => el.classList.add("changed"));
  const flag = document.querySelector("[data-unsaved-flag]");
  if (flag) flag.hidden = changed.length === 0;
  const notice = document.querySelector("[data-sidebar-notice]");
  if (!notice) return;
  const names = changed.map((el) => (el.labels && el.labels[0] ? el.labels[0].firstChild.textContent.trim() : el.name));
  notice.textContent = notice.getAttribute("data-sidebar-notice").replace("{fields}", names.join(", "));
  notice.hidden = changed.length === 0;
}
document.addEventListener("change", (event) => { if (event.target.closest("[data-properties]")) flagSidebar(); });
document.addEventListener("htmx:afterSettle", flagSidebar);

// A reply, a note or saved answers carry the unsaved Details with them (saved in the same transaction).
document.addEventListener("htmx:configRequest", (event) => {
  const form = event.detail.elt.closest && event.detail.elt.closest("[data-composer], [data-fields]");
  const sidebar = sidebarForm();
  const changed = changedControls(sidebar);
  if (!form || !changed.length) return;
  changed.forEach((el) => event.detail.parameters.append("sidebar-" + el.name, el.value));
  event.detail.parameters.append("sidebar-version", sidebar.elements.version.value);
});

// Leaving the page with a written reply or unsaved changes asks first (a real form submission does not).
let submitting = false;
document.addEventListener("submit", (event) => { if (!event.defaultPrevented && event.target.target !== "_blank") submitting = true; });
window.addEventListener("beforeunload", (event) => {
  if (submitting) return;
  const body = document.querySelector("[data-reply-body]");
  const dirty = (body && body.value.trim()) || changedControls(sidebarForm()).length || changedControls(document.querySelector("[data-fields]")).length;
  if (dirty) { event.preventDefault(); event.returnValue = ""; }
});

// Ctrl/⌘+Enter sends with the visible main button (the note one on the note tab).
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  const form = event.target.closest && event.target.closest("[data-composer]");
  if (!form) return;
  const button = Array.from(form.querySelectorAll("[data-primary]")).find((b) => b.offsetParent !== null);
  event.preventDefault();
  form.requestSubmit(button);
});

// After a send, focus returns to the composer (the region was replaced).
let composerSent = false;
document.addEventListener("htmx:beforeRequest", (event) => { composerSent = Boolean(event.detail.elt.closest && event.detail.elt.closest("[data-composer]")); });
document.addEventListener("htmx:afterSettle", () => {
  if (!composerSent) return;
  composerSent = false;
  const body = document.querySelector("[data-reply-body]");
  if (body) body.focus();
});
