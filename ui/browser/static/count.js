() => {
  // The message box's counter: from 80 % of the longest message the server takes
  // (APP_MAX_MESSAGE_CHARS; `window.mmLimit`, set on page load) it shows the count, and over
  // the limit by how much; Send then refuses the message and leaves it in the box. The box
  // has no `maxlength`: the browser would cut a longer paste without a word.
  if (window.__mmCount) return;
  window.__mmCount = true;
  let shown = null;
  const refresh = () => {
    const setup = window.mmLimit;
    const box = document.querySelector("#chat-input textarea");
    if (!setup || !box) return;
    const count = [...box.value].length;  // characters as the server counts them (code points)
    let counter = document.getElementById("mm-count");
    if (count === shown && counter) return;
    shown = count;
    if (!counter) {
      counter = document.createElement("div");
      counter.id = "mm-count";
      counter.setAttribute("aria-live", "polite");
      box.closest("#chat-input").appendChild(counter);
    }
    const zh = (navigator.language || "").toLowerCase().startsWith("zh");
    const words = zh ? setup.zh : setup.en;
    const over = count - setup.limit;
    counter.hidden = count < 0.8 * setup.limit;
    counter.classList.toggle("mm-over", over > 0);
    counter.textContent = (over > 0 ? words.over : words.count).replace("{count}", count)
      .replace("{limit}", setup.limit).replace("{over}", over);
  };
  document.addEventListener("input", (event) => {
    if (event.target instanceof Element && event.target.closest("#chat-input")) refresh();
  }, true);
  setInterval(refresh, 500);  // the page sets the box too: Send empties it, Undo refills it
}
