() => {
  // While a reply streams, Send is disabled and Stop enabled; the chat box stays editable so
  // the next message can be typed, but Enter won't send it (see ime.js). This is page state,
  // kept here rather than by the server's gr.update(interactive=...), which rebuilds the three
  // components for the visitor's session on every message.
  window.mmBusy = (on) => {
    document.body.classList.toggle("mm-busy", on);
    const send = document.querySelector("#send");
    const stop = document.querySelector("#stop");
    if (send) send.disabled = on;
    if (stop) stop.disabled = !on;
  };
}
