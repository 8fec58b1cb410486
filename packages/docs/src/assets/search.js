/* The site-wide search box of the header: operations, fields and error codes of every vendor, from
   window.SB_SEARCH_INDEX (assets/search-index.js). Runs in the page; nothing is requested. Every
   word of the query must occur in an entry's title or text; title hits rank first. Snippets keep
   the text's spaces (the index stores one-line text) and mark the words found. */
(() => {
  var MAX = 12;
  var root = document.querySelector(".sb-search");
  var index = window.SB_SEARCH_INDEX || [];
  if (!root) return;
  var input = root.querySelector("input");
  var list = root.querySelector(".sb-results");

  function escapeHtml(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  function mark(text, words) {
    if (!words.length) return escapeHtml(text);
    var re = new RegExp(`(${words.map(escapeRegExp).join("|")})`, "gi");
    return text
      .split(re)
      .map((part, i) => (i % 2 ? `<mark>${escapeHtml(part)}</mark>` : escapeHtml(part)))
      .join("");
  }
  /* Around the first hit: whole words, about 160 characters. */
  function snippet(text, words) {
    var lower = text.toLowerCase();
    var at = -1;
    for (var i = 0; i < words.length && at < 0; i++) at = lower.indexOf(words[i]);
    if (at < 0 || text.length <= 160) return mark(text.length > 160 ? `${text.slice(0, 159)}…` : text, words);
    var start = Math.max(0, text.lastIndexOf(" ", Math.max(0, at - 60)) + 1);
    var end = text.indexOf(" ", Math.min(text.length, start + 160));
    var cut = text.slice(start, end < 0 ? text.length : end);
    return (start > 0 ? "…" : "") + mark(cut, words) + (end < 0 ? "" : "…");
  }
  function search(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return { words: words, hits: [] };
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var e = index[i];
      var title = e.title.toLowerCase();
      var hay = `${title} ${e.text.toLowerCase()} ${e.vendor.toLowerCase()} ${e.kind}`;
      var all = true;
      for (var w = 0; w < words.length && all; w++) all = hay.indexOf(words[w]) >= 0;
      if (!all) continue;
      var score = 0;
      for (var k = 0; k < words.length; k++) {
        if (title === words[k]) score += 10;
        else if (title.indexOf(words[k]) === 0) score += 5;
        else if (title.indexOf(words[k]) >= 0) score += 3;
      }
      hits.push({ e: e, score: score, order: i });
    }
    hits.sort((a, b) => b.score - a.score || a.order - b.order);
    return { words: words, hits: hits };
  }
  function render() {
    var r = search(input.value);
    if (!input.value.trim()) {
      list.hidden = true;
      list.innerHTML = "";
      return;
    }
    var shown = r.hits.slice(0, MAX);
    list.innerHTML = shown.length
      ? shown
          .map(
            (h) =>
              '<li><a href="' +
              escapeHtml(h.e.href) +
              '"><span class="sb-hit-kind">' +
              escapeHtml(h.e.vendor) +
              " · " +
              escapeHtml(h.e.kind) +
              '</span><span class="sb-hit-title">' +
              mark(h.e.title, r.words) +
              '</span><span class="sb-hit-text">' +
              snippet(h.e.text, r.words) +
              "</span></a></li>",
          )
          .join("") + (r.hits.length > MAX ? `<li class="sb-hit-more">${r.hits.length - MAX} more: add a word to narrow</li>` : "")
      : '<li class="sb-hit-none">Nothing found in any vendor\u2019s operations, fields or error codes.</li>';
    list.hidden = false;
  }
  input.addEventListener("input", render);
  input.addEventListener("focus", render);
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") {
      input.value = "";
      render();
    }
    if (ev.key === "Enter") {
      var first = list.querySelector("a");
      if (first) first.click();
    }
  });
  /* A hit on the page already open only changes the hash: close the list. */
  list.addEventListener("click", () => {
    setTimeout(() => {
      list.hidden = true;
    }, 0);
  });
  /* Ctrl+K / ⌘K (Redoc's search shortcut) and "/" focus the site-wide search instead. */
  document.addEventListener(
    "keydown",
    (ev) => {
      var typing = ev.target && /^(INPUT|TEXTAREA|SELECT)$/.test(ev.target.tagName);
      if (((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === "k") || (ev.key === "/" && !typing)) {
        ev.preventDefault();
        ev.stopImmediatePropagation();
        input.focus();
      }
    },
    true,
  );
  document.addEventListener("click", (ev) => {
    if (!root.contains(ev.target)) list.hidden = true;
  });
})();
