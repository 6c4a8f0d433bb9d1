() => {
  // Times in the chat's notes come as UTC (<time class="mm-time" datetime="…Z">): shown here
  // in the visitor's own zone and language, the full date on hover.
  if (window.__mmTimes) return;
  window.__mmTimes = true;
  const lang = navigator.language || "en";
  const clock = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit" });
  const full = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeStyle: "medium" });
  const localise = () => {
    for (const node of document.querySelectorAll("time.mm-time:not([data-local])")) {
      const when = new Date(node.getAttribute("datetime") || "");
      node.setAttribute("data-local", "");
      if (Number.isNaN(when.getTime())) continue;
      node.textContent = clock.format(when);
      node.title = full.format(when);
    }
  };
  new MutationObserver(localise).observe(document.body, { childList: true, subtree: true });
  localise();
}
