() => {
  // gradio's copy buttons copy the chat's items as they are held for display: the thinking
  // fold, the notes' HTML and the display escapes (`&lt;`, ui/text/safe_markdown.py) with
  // them. Their clicks are taken here, before gradio's handler, to copy what a reader
  // expects: a message's own Markdown; the conversation as "user: …" / "assistant: …" turns.
  if (window.mmCopy) return;
  let chat = [];
  let asked = null;  // the copy clicked: [what to copy, the button], until the chat comes
  const NOTE = '<div class="mm-note';
  // safe_markdown.original(), rule for rule: the escapes are undone in prose only, never in
  // code (fenced blocks, code spans), which display() left alone.
  const FENCE = /(?<![^\n]) {0,3}(`{3,}|~{3,})/g;
  const TAG_START = /(?:<|&(?:amp;)*lt;)(?=[A-Za-z/!?]|&#33;\[)/;
  const ESCAPED = /&lt;(?=[A-Za-z/!?]|&#33;\[)|&#33;(?=\[)|&amp;(?=lt;|#33;|amp;)/g;
  const UNESCAPES = { "&lt;": "<", "&#33;": "!", "&amp;": "&" };
  const fenced = (text) => {
    const parts = [];
    let start = 0, search = 0;
    for (;;) {
      FENCE.lastIndex = search;
      const opening = FENCE.exec(text);
      if (!opening) break;
      const fence = opening[1], openEnd = opening.index + opening[0].length;
      const lineEnd = text.indexOf("\n", openEnd);
      const info = lineEnd === -1 ? text.slice(openEnd) : text.slice(openEnd, lineEnd);
      if (fence[0] === "`" && info.includes("`")) { search = openEnd; continue; }
      const closing = new RegExp(`(?<![^\\n]) {0,3}\\${fence[0]}{${fence.length},}[ \\t]*(?![^\\n])`, "g");
      let end = text.length;
      if (lineEnd !== -1) {
        closing.lastIndex = lineEnd + 1;
        const found = closing.exec(text);
        if (found) end = found.index + found[0].length;
      }
      parts.push([false, text.slice(start, opening.index)], [true, text.slice(opening.index, end)]);
      start = search = end;
    }
    parts.push([false, text.slice(start)]);
    return parts.filter((p) => p[1]);
  };
  const spans = (prose) => {
    const parts = [];
    let pos = 0, start = 0;
    for (;;) {
      const tick = prose.indexOf("`", pos);
      if (tick === -1) break;
      const run = prose.slice(tick).match(/^`+/)[0].length;
      const closing = new RegExp(`(?<!\`)${"`".repeat(run)}(?!\`)`, "g");
      closing.lastIndex = tick + run;
      const found = closing.exec(prose);
      if (!found) { pos = tick + run; continue; }
      const end = found.index + found[0].length;
      const code = prose.slice(tick, end);
      if (TAG_START.test(code) && end < prose.length && prose.slice(end).includes(">")) {
        pos = tick + run;  // an HTML tag outranks a code span
        continue;
      }
      parts.push([false, prose.slice(start, tick)], [true, code]);
      pos = start = end;
    }
    parts.push([false, prose.slice(start)]);
    return parts;
  };
  const original = (shown) => {
    if (!shown.includes("&")) return shown;
    return fenced(shown).map(([code, part]) => code ? part : spans(part).map(([inCode, span]) =>
      inCode ? span : span.replace(ESCAPED, (m) => UNESCAPES[m])).join("")).join("");
  };
  const textOf = (item) => typeof item.content === "string" ? item.content
    : Array.isArray(item.content)
      ? item.content.filter((b) => b && b.type === "text").map((b) => b.text).join("") : "";
  // A group is what gradio shows as one bubble: consecutive items of one role.
  const groups = () => {
    const found = [];
    for (const item of chat) {
      if (!item || (item.role !== "user" && item.role !== "assistant")) continue;
      const last = found[found.length - 1];
      if (last && last.role === item.role) last.items.push(item);
      else found.push({ role: item.role, items: [item] });
    }
    return found;
  };
  // A group's own words: no thinking (an item with a title), no notes.
  const words = (group) => group.items.filter((i) => !(i.metadata && i.metadata.title))
    .map(textOf).filter((t) => t && !t.startsWith(NOTE)).map(original).join("\n\n");
  const message = (index) => { const group = groups()[index]; return group ? words(group) : ""; };
  const conversation = () => groups().map((g) => [g.role, words(g)]).filter(([, said]) => said)
    .map(([role, said]) => `${role}: ${said}`).join("\n\n");
  const copied = (button) => {
    button.classList.add("mm-copied");
    setTimeout(() => button.classList.remove("mm-copied"), 1500);
  };
  window.mmCopy = {
    // Called with the chat as it is, by a step run in the page alone (app.py, COPY_FROM).
    copy: (value) => {
      if (!asked) return;
      const [what, button] = asked;
      asked = null;
      chat = Array.isArray(value) ? value : [];
      navigator.clipboard.writeText(what()).then(() => copied(button), (err) => console.error(err));
    },
    original,
  };
  // Which copy a click in the chat asks for: null for any other button. A message's copy is
  // the first button under its bubble (not while the message is edited: Submit is first then);
  // the conversation's, in the chat's top corner, is named "Copy conversation" by gradio.
  const wanted = (button) => {
    if (button.closest(".top-panel")) {
      return /^Cop(y|ied) conversation$/.test(button.getAttribute("aria-label") || "")
        ? conversation : null;
    }
    const panel = button.closest(".message-buttons");
    const row = panel && panel.previousElementSibling;
    if (!row || !row.classList.contains("message-row") || panel.querySelector("button") !== button
        || row.querySelector("textarea")) return null;
    const rows = [...row.parentElement.children].filter((e) => e.classList.contains("message-row"));
    const index = rows.indexOf(row);
    return () => message(index);
  };
  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("#chatbot button");
    const copy = button && wanted(button);
    const source = document.getElementById("mm-copy-source");
    if (!copy || !navigator.clipboard || !source) return;
    event.stopImmediatePropagation();
    event.preventDefault();
    asked = [copy, button];
    source.click();  // gradio hands its step the chat: `window.mmCopy.copy`
  }, true);
}
