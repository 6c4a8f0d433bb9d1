() => {
  // The two side panels (gr.Sidebar): conversations on the left, settings on the right.
  // Up to 768 px wide gradio lays an open panel over the whole page, above that beside the
  // chat; so conversations open by themselves only where they sit beside it, and settings
  // only when asked. gradio names both toggles "Toggle Sidebar": each takes the name of its
  // button in the top bar, in the visitor's language, and both say whether it is open.
  if (window.mmPanel) return;
  const WIDE = "(min-width: 769px)";
  const BUTTONS = { "chats-panel": "open-chats", "settings-panel": "open-settings" };
  const panelOf = (id) => document.getElementById(id);
  const toggleOf = (id) => panelOf(id) && panelOf(id).querySelector(":scope > .toggle-button");
  const isOpen = (id) => !!panelOf(id) && panelOf(id).classList.contains("open");
  const describe = (id) => {
    const toggle = toggleOf(id), button = document.getElementById(BUTTONS[id]);
    if (!toggle || !button) return;
    toggle.setAttribute("aria-label", button.innerText.trim());
    for (const control of [toggle, button]) {
      control.setAttribute("aria-controls", id);
      control.setAttribute("aria-expanded", String(isOpen(id)));
    }
  };
  // Open or close a panel; an opened one takes the focus, so a keyboard lands in it (on the
  // list, past the search box: a focused text field would raise a phone's keyboard).
  window.mmPanel = (id) => {
    const toggle = toggleOf(id);
    if (!toggle) return;
    toggle.click();
    setTimeout(() => {
      if (!isOpen(id)) return;
      const first = panelOf(id).querySelector(
        ".sidebar-content input:not([type=hidden]):not(#chat-search input), .sidebar-content textarea, "
        + ".sidebar-content button");
      if (first) first.focus({ preventScroll: true });
    }, 60);
  };
  for (const id of Object.keys(BUTTONS)) {
    const panel = panelOf(id);
    if (!panel) continue;
    describe(id);
    new MutationObserver(() => describe(id)).observe(panel, { attributes: true, attributeFilter: ["class"] });
  }
  if (window.matchMedia(WIDE).matches && !isOpen("chats-panel") && toggleOf("chats-panel")) {
    toggleOf("chats-panel").click();
  }
  // On a phone the list covers the chat: picking a conversation shows it.
  document.addEventListener("change", (e) => {
    if (!window.matchMedia(WIDE).matches && e.target.closest && e.target.closest("#conversations")
        && isOpen("chats-panel")) toggleOf("chats-panel").click();
  });
}
