() => {
  // gradio's chat markup, mended for screen readers where it is drawn (and drawn again):
  // - the example cards sit in role="list" without list items: the list role goes;
  // - a thinking fold's header is a role="button" div holding a nameless <button> (the
  //   arrow): the arrow becomes `inert` (out of the Tab order and the accessibility tree;
  //   a click on it lands on the header), and the header tells whether it is open and, as
  //   a button should, opens on Space as well as Enter.
  // A streaming reply changes the chat many times a second: mending waits for a quiet
  // moment of the chat at most every MEND_MS, and runs at once after a fold is toggled.
  if (window.__mmA11y) return;
  window.__mmA11y = true;
  const MEND_MS = 250;
  const chat = document.getElementById("chatbot") || document.body;
  const HEADER = ".thought-group > .title[role=button]";
  const mend = () => {
    for (const list of chat.querySelectorAll(".examples[role=list]")) list.removeAttribute("role");
    for (const header of chat.querySelectorAll(HEADER)) {
      const arrow = header.querySelector(".arrow button");
      if (arrow && !arrow.inert) arrow.inert = true;
      const open = String(header.classList.contains("expanded"));
      if (header.getAttribute("aria-expanded") !== open) header.setAttribute("aria-expanded", open);
    }
  };
  let timer = null;
  const later = () => {
    if (timer === null) timer = setTimeout(() => { timer = null; mend(); }, MEND_MS);
  };
  new MutationObserver(later).observe(chat, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["role"],
  });
  const onHeader = (e) => e.target instanceof Element && e.target.closest(HEADER);
  document.addEventListener("click", (e) => { if (onHeader(e)) requestAnimationFrame(mend); });
  document.addEventListener("keydown", (e) => {
    const header = onHeader(e);
    if (header && e.key === " ") { e.preventDefault(); header.click(); }
    else if (header && e.key === "Enter") requestAnimationFrame(mend);
  });
  mend();
}
