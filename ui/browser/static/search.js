() => {
  // Search over the chats kept in this browser (docs/features.md, "Search"). The page already
  // holds the store (gr.BrowserState, decrypted in the page), so the search runs here, on each
  // keystroke, and sends nothing to the server. A chat matches when every word of the query
  // is in its title or its messages, ignoring case; a word is matched as a substring, since
  // Chinese has no spaces. Thinking, notes and image lines are not searched: they are folded
  // away or not the conversation. Every text shown is set as text, never as markup.
  if (window.mmSearch) return;
  const BEFORE = 30, AFTER = 70;  // characters shown around a match in a hit's snippet

  // Lower case that keeps every character's place (a few characters grow when lowered).
  const fold = (s) => {
    const low = s.toLowerCase();
    if (low.length === s.length) return low;
    return [...s].map((c) => { const l = c.toLowerCase(); return l.length === c.length ? l : c; }).join("");
  };
  const squeeze = (s) => (typeof s === "string" ? s.replace(/\s+/g, " ").trim() : "");
  const wordsOf = (query) => [...new Set(fold(squeeze(query)).split(" ").filter(Boolean))];

  // The searchable text of a store, rebuilt only when a chat changed (id and `updated`).
  let cached = { key: null, chats: [] };
  const indexOf = (store) => {
    const list = store && Array.isArray(store.conversations) ? store.conversations : [];
    const key = list.map((c) => `${c && c.id}@${c && c.updated}@${c && c.title}`).join("|");
    if (key === cached.key) return cached.chats;
    const chats = list.filter((c) => c && typeof c.id === "string").map((c) => {
      const texts = (Array.isArray(c.messages) ? c.messages : [])
        .map((m) => squeeze(m && m.content)).filter(Boolean);
      const title = squeeze(c.title);
      return { id: c.id, title, foldedTitle: fold(title), texts, folded: texts.map(fold) };
    });
    cached = { key, chats };
    return chats;
  };

  // `text` cut into pieces, each {text, marked}: every place a word occurs is marked.
  const marked = (text, folded, words) => {
    const spans = [];
    for (const word of words) {
      for (let at = folded.indexOf(word); at >= 0; at = folded.indexOf(word, at + word.length)) {
        spans.push([at, at + word.length]);
      }
    }
    spans.sort((a, b) => a[0] - b[0]);
    const pieces = [];
    let done = 0;
    for (const [start, end] of spans) {
      if (end <= done) continue;
      const from = Math.max(start, done);
      if (from > done) pieces.push({ text: text.slice(done, from), marked: false });
      pieces.push({ text: text.slice(from, end), marked: true });
      done = end;
    }
    if (done < text.length) pieces.push({ text: text.slice(done), marked: false });
    return pieces;
  };

  // Move a cut off the second half of a surrogate pair (an emoji, a rare 汉字).
  const whole = (text, at) => (at > 0 && at < text.length && /[\udc00-\udfff]/.test(text[at]) ? at - 1 : at);

  // The message with the most of the words (the first of those), around its first match.
  const snippet = (chat, words) => {
    let best = -1, most = 0;
    chat.folded.forEach((folded, i) => {
      const count = words.filter((w) => folded.includes(w)).length;
      if (count > most) { best = i; most = count; }
    });
    if (best < 0) return { message: -1, pieces: [] };
    const text = chat.texts[best], folded = chat.folded[best];
    const first = Math.min(...words.map((w) => folded.indexOf(w)).filter((at) => at >= 0));
    const start = whole(text, Math.max(0, first - BEFORE));
    const end = whole(text, Math.min(text.length, first + AFTER));
    const pieces = marked(text.slice(start, end), folded.slice(start, end), words);
    if (start > 0) pieces.unshift({ text: "…", marked: false });
    if (end < text.length) pieces.push({ text: "…", marked: false });
    return { message: best, pieces };
  };

  // The chats of `store` holding every word of `query`, in the list's order, each with its
  // title (marked, or "" when it has none of its own) and its snippet.
  const find = (store, query) => {
    const words = wordsOf(query);
    if (!words.length) return [];
    return indexOf(store).filter((chat) => words.every(
      (w) => chat.foldedTitle.includes(w) || chat.folded.some((f) => f.includes(w))))
      .map((chat) => ({ id: chat.id, title: marked(chat.title, chat.foldedTitle, words),
                        ...snippet(chat, words) }));
  };

  window.mmSearch = { fold, wordsOf, find };
  if (typeof document === "undefined") return;  // outside a page (the unit tests)

  // -- in the page ------------------------------------------------------------------------
  const WIDE = "(min-width: 769px)";
  const zh = () => (navigator.language || "").toLowerCase().startsWith("zh");
  const say = (key, values) => {
    const words = (window.mmSearchWords || {})[zh() ? "zh" : "en"] || {};
    return (words[key] || "").replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
  };
  const piecesInto = (parent, pieces) => {
    for (const piece of pieces) {
      if (piece.marked) {
        const mark = document.createElement("mark");
        mark.textContent = piece.text;
        parent.appendChild(mark);
      } else parent.appendChild(document.createTextNode(piece.text));
    }
  };
  const radios = () => [...document.querySelectorAll("#conversations input[type=radio]")];
  // The titles the list shows (the visitor's, or a chat's first words), by chat id.
  const shownTitles = () => new Map(radios().map((i) => [i.value, (i.closest("label") || i).textContent.trim()]));

  let shown = { query: null, store: null };
  const show = (query, store) => {
    const box = document.getElementById("chat-search-results");
    const panel = document.getElementById("chats-panel");
    if (!box || !panel) return;
    const text = squeeze(query);
    if (text === shown.query && store === shown.store) return;
    shown = { query: text, store };
    panel.classList.toggle("mm-searching", !!text);
    // One status line, kept in the page: a screen reader announces a change of its text.
    let status = box.querySelector("[role=status]");
    if (!status) {
      status = document.createElement("p");
      status.className = "mm-note";
      status.setAttribute("role", "status");
      box.appendChild(status);
    }
    for (const old of box.querySelectorAll(".mm-hits")) old.remove();
    const hits = text ? find(store, text) : [];
    status.hidden = !text;
    status.textContent = text ? say(hits.length ? "found" : "none", { count: hits.length, query: text }) : "";
    if (!hits.length) return;
    const list = document.createElement("ul");
    list.className = "mm-hits";
    const titles = shownTitles();
    for (const hit of hits) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "mm-hit";
      button.dataset.id = hit.id;
      const title = document.createElement("span");
      title.className = "mm-hit-title";
      if (hit.title.length) piecesInto(title, hit.title);
      else title.textContent = titles.get(hit.id) || say("untitled", {});
      button.appendChild(title);
      if (hit.pieces.length) {
        const line = document.createElement("span");
        line.className = "mm-hit-snippet";
        piecesInto(line, hit.pieces);
        button.appendChild(line);
      }
      button.addEventListener("click", () => pick(hit.id, text));
      const item = document.createElement("li");
      item.appendChild(button);
      list.appendChild(item);
    }
    box.appendChild(list);
  };

  // Open a hit as picking it in the list does (the list's own step saves and switches; on a
  // phone, layout.js closes the panel), then bring its matching message into view.
  const pick = (id, query) => {
    const input = radios().find((i) => i.value === id);
    if (!input) return;
    const chat = document.getElementById("chatbot");
    const before = chat ? chat.innerText : "";
    if (input.checked) {
      const panel = document.getElementById("chats-panel");
      if (!window.matchMedia(WIDE).matches && panel && panel.classList.contains("open")) {
        window.mmPanel && window.mmPanel("chats-panel");
      }
    } else input.click();
    const words = wordsOf(query);
    let tries = 0;
    const reveal = () => {
      tries += 1;
      const messages = chat ? [...chat.querySelectorAll(".message")] : [];
      const changed = input.checked && (!chat || chat.innerText !== before || tries > 10);
      const target = changed && messages.find((m) => words.every((w) => fold(m.innerText).includes(w)))
        || (changed && messages.find((m) => words.some((w) => fold(m.innerText).includes(w))));
      if (target) {
        // After gradio's own scrolls to the end of a newly shown chat (it scrolls again as
        // the messages finish rendering): once soon, once after them.
        for (const wait of [150, 800]) setTimeout(() => target.scrollIntoView({ block: "center" }), wait);
      } else if (tries < 50) setTimeout(reveal, 100);
    };
    reveal();
  };

  // The store as the page last had it; a new one redoes the search shown.
  let latest = null;
  const field = () => document.querySelector("#chat-search input, #chat-search textarea");
  window.mmSearch.store = (store) => {
    latest = store;
    const box = field();
    if (box && squeeze(box.value)) show(box.value, store);
  };
  window.mmSearch.show = show;
  // Every keystroke, paste or cut, but not the letters of a word an input method is still
  // composing (pinyin): its result comes when the word is chosen.
  for (const type of ["input", "compositionend"]) {
    document.addEventListener(type, (e) => {
      if (e.isComposing || !(e.target.closest && e.target.closest("#chat-search"))) return;
      show(e.target.value, latest);
    });
  }
  // The index of a full store takes a tenth of a second to build on a slow phone: build it
  // when the box takes the focus, in idle time, rather than at the first keystroke.
  document.addEventListener("focusin", (e) => {
    if (!(e.target.closest && e.target.closest("#chat-search"))) return;
    (window.requestIdleCallback || setTimeout)(() => indexOf(latest));
  });
  // Escape empties the box and brings back the whole list.
  document.addEventListener("keydown", (e) => {
    const inBox = e.target.closest && e.target.closest("#chat-search");
    if (e.key !== "Escape" || !inBox || !e.target.value) return;
    e.target.value = "";
    e.target.dispatchEvent(new Event("input", { bubbles: true }));
  });
}
