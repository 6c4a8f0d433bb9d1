() => {
  // The chat box takes the focus on a desktop, ready to type. Not on a phone or tablet: there
  // it would scroll past the title and the offline banner and pop up the keyboard at once
  // (which gradio's `autofocus` does everywhere).
  if (window.matchMedia("(min-width: 768px) and (pointer: fine)").matches) {
    const box = document.querySelector("#chat-input textarea");
    if (box && document.activeElement === document.body) box.focus({ preventScroll: true });
  }
}
