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
