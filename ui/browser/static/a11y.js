() => {
  // gradio's chat markup, mended for screen readers where it is drawn (and drawn again):
  // - the example cards sit in role="list" without list items: the list role goes;
  // - a thinking fold's header is a role="button" div holding a nameless <button> (the
  //   arrow): the arrow becomes `inert` (out of the Tab order and the accessibility tree;
  //   a click on it lands on the header), and the header tells whether it is open and, as
  //   a button should, opens on Space as well as Enter.
  if (window.__mmA11y) return;
  window.__mmA11y = true;
  const mend = () => {
    for (const list of document.querySelectorAll(".examples[role=list]")) list.removeAttribute("role");
    for (const header of document.querySelectorAll(".thought-group > .title[role=button]")) {
      const arrow = header.querySelector(".arrow button");
      if (arrow && !arrow.inert) arrow.inert = true;
      const open = String(header.classList.contains("expanded"));
      if (header.getAttribute("aria-expanded") !== open) header.setAttribute("aria-expanded", open);
    }
  };
  let queued = false;
  const soon = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; mend(); });
  };
  new MutationObserver(soon).observe(document.body, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["class", "role"],
  });
  document.addEventListener("keydown", (e) => {
    const header = e.target instanceof Element && e.target.matches(".thought-group > .title[role=button]");
    if (header && e.key === " ") { e.preventDefault(); e.target.click(); }
  });
  mend();
}
