() => {
  // Enter confirms an input method's composition (pinyin → 汉字); it must not send the message.
  // Chromium/Firefox mark such keys with isComposing; Safari fires compositionend *before* the
  // Enter keydown and marks it only with keyCode 229. gradio's Textbox sends on `keypress`, so
  // both keydown and keypress are stopped here, in the capture phase, before they reach it.
  // Nor does Enter send while a reply is streaming (body.mm-busy, busy.js): the text stays.
  if (window.__mmImeGuard) return;
  window.__mmImeGuard = true;
  let composing = false;
  let blockKeypress = false;
  const inChatInput = (t) => t instanceof HTMLTextAreaElement && !!t.closest("#chat-input");
  document.addEventListener("compositionstart", (e) => { if (inChatInput(e.target)) composing = true; }, true);
  document.addEventListener("compositionend", (e) => { if (inChatInput(e.target)) composing = false; }, true);
  const guard = (e) => {
    if (e.key !== "Enter" || !inChatInput(e.target)) return;
    const ime = composing || e.isComposing || e.keyCode === 229;
    const busy = !ime && !e.shiftKey && document.body.classList.contains("mm-busy");
    if (e.type === "keydown") blockKeypress = ime || busy;
    if (ime || busy || (e.type === "keypress" && blockKeypress)) {
      e.stopImmediatePropagation();
      if (busy) e.preventDefault();  // no new line either
      if (e.type === "keypress") { e.preventDefault(); blockKeypress = false; }
    }
  };
  document.addEventListener("keydown", guard, true);
  document.addEventListener("keypress", guard, true);
}
