// The account page: the local time of the time zone being chosen, before saving. Without it the page says the
// saved zone's time.
"use strict";
(() => {
  const line = document.querySelector("[data-local-time]");
  const select = document.getElementById("timezone");
  if (!line || !select || !window.Intl) return;
  const show = () => {
    try {
      const time = new Intl.DateTimeFormat(line.dataset.locale, { timeZone: select.value, timeStyle: "short" }).format(new Date());
      const option = select.selectedOptions[0];
      line.textContent = `${option ? option.label : select.value}: ${line.dataset.template.replace("{time}", time)}`;
    } catch (error) {
      // a zone the browser does not know: keep the server's line
    }
  };
  select.addEventListener("change", show);
})();
