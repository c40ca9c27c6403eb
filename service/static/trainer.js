// Tværs trainer page: plain JavaScript, no external assets.
// Every piece of document or user text is inserted with textContent, never innerHTML.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const KIND_DEFAULTS = ["case", "dilemma", "quiz"];
  const LABELS = {
    vignette: "Sådan beskriver teksterne casen",
    tension: "Sådan beskriver teksterne spændingen",
    quotes: "Fra teksterne",
    positions: "To positioner",
    questions: "Spørgsmål",
    note: "Til træneren: hvad teksterne siger skete – og hvorfor",
    answer: "Svar",
    sources: "Kilder",
    regenerate: "Ny udgave",
    remove: "Fjern",
  };
  const DOWNLOAD_NAMES = {
    "md/handout": "Markdown", "md/key": "Markdown (nøgle)",
    "html/handout": "HTML", "html/key": "HTML (nøgle)",
    "docx/handout": "DOCX (deltagerark)", "docx/key": "DOCX (trænerens nøgle)",
    "gift/handout": "GIFT (Moodle-quiz)",
  };
  let current = null;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  // The form's fields as the page names them, for the server's validation messages.
  const FIELDS = { topics: "Temaer", cases: "Cases", docs: "Dokumenter", kinds: "Øvelsestyper",
    n: "Antal øvelser", seed: "Udgave", lang: "Sprog" };

  function status(text) { $("status").textContent = text; }

  async function api(method, url, body) {
    const init = { method, headers: {} };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(url, init);
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = data && data.detail;
      const msg = Array.isArray(detail)
        ? detail.map((d) => {
          const field = FIELDS[(d.loc || []).slice(-1)[0]];
          return field ? `${field}: ${d.msg}` : d.msg;
        }).join("; ")
        : detail;
      const error = new Error(msg || `HTTP ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function choice(fieldset, name, value, label, checked) {
    const wrap = el("label", "choice");
    const input = el("input");
    input.type = "checkbox";
    input.name = name;
    input.value = value;
    input.checked = !!checked;
    wrap.append(input, document.createTextNode(label));
    fieldset.append(wrap);
  }

  async function loadOptions() {
    const options = await api("GET", "/api/exercises/options");
    options.topics.forEach((t) => choice($("topics"), "topics", t.slug, t.name));
    options.cases.forEach((c) => choice($("cases"), "cases", c.slug, c.name));
    options.docs.forEach((d) => choice($("docs"), "docs", d.slug, d.name));
    options.kinds.forEach((k) => choice($("kinds"), "kinds", k.slug, k.name,
                                        KIND_DEFAULTS.includes(k.slug)));
  }

  function checked(name) {
    return Array.from(document.querySelectorAll(`input[name="${name}"]:checked`))
      .map((i) => i.value);
  }

  function quote(text, ref, label) {
    const block = el("blockquote");
    if (label) block.append(el("strong", null, `${label}: `));
    block.append(el("q", null, text), el("span", "ref", `[${ref}]`));
    return block;
  }

  function sourceLine(c) {
    const pages = c.page_start == null ? "" :
      (c.page_end == null || c.page_end === c.page_start ? `, s. ${c.page_start}` :
        `, s. ${c.page_start}–${c.page_end}`);
    const year = c.year == null ? "u.å." : String(c.year);
    return `[${c.n}] ${c.title} (${year}), ${c.heading_path.join(" › ")}${pages}`;
  }

  function renderItem(item, number) {
    const li = el("li", `item ${item.kind}`);
    li.dataset.itemId = item.item_id;
    li.dataset.seed = String(item.seed);
    li.append(el("p", "kind", item.kind));
    li.append(el("h3", null, `${number}. ${item.title}`));
    li.append(el("p", "frame", item.body));
    if (item.kind !== "quiz" && item.quotes.length) {
      const head = item.kind === "case" ? LABELS.vignette :
        (item.kind === "dilemma" ? LABELS.tension : LABELS.quotes);
      li.append(el("h4", null, head));
      item.quotes.forEach((q) => li.append(quote(q.text, q.citation)));
    }
    if (item.positions.length) {
      li.append(el("h4", null, LABELS.positions));
      item.positions.forEach((p) => li.append(quote(p.quote.text, p.quote.citation, p.label)));
    }
    if (item.gapped) {
      li.append(quote(item.gapped, item.quotes[0].citation));
      if (item.options.length) {
        const ol = el("ol", "options");
        ol.type = "A";
        item.options.forEach((o) => ol.append(el("li", null, o)));
        li.append(ol);
      }
      li.append(el("p", "answer", `${LABELS.answer}: ${item.answer}`));
    }
    if (item.questions.length) {
      li.append(el("h4", null, LABELS.questions));
      const ul = el("ul");
      item.questions.forEach((q) => ul.append(el("li", null, q)));
      li.append(ul);
    }
    if (item.trainer_note.length) {
      li.append(el("h4", null, LABELS.note));
      item.trainer_note.forEach((q) => li.append(quote(q.text, q.citation)));
    }
    const sources = el("ul", "sources");
    item.citations.forEach((c) => sources.append(el("li", null, sourceLine(c))));
    li.append(el("h4", "sources", LABELS.sources), sources);
    const actions = el("div", "actions");
    const again = el("button", "regenerate", LABELS.regenerate);
    again.type = "button";
    again.setAttribute("aria-label", `${LABELS.regenerate}: ${item.title}`);
    again.addEventListener("click", () => change("POST", item, "regenerate"));
    const remove = el("button", "remove", LABELS.remove);
    remove.type = "button";
    remove.setAttribute("aria-label", `${LABELS.remove}: ${item.title}`);
    remove.addEventListener("click", () => change("DELETE", item, ""));
    actions.append(again, remove);
    li.append(actions);
    return li;
  }

  function render(data) {
    current = data.sheet;
    $("sheet").hidden = false;
    $("sheet-title").textContent = current.title;
    const downloads = $("downloads");
    downloads.replaceChildren();
    data.downloads.forEach((d) => {
      const a = el("a", null, DOWNLOAD_NAMES[`${d.format}/${d.part}`] || d.url);
      a.href = d.url;
      a.dataset.format = d.format;
      a.dataset.part = d.part;
      a.setAttribute("download", "");
      const li = el("li");
      li.append(a);
      downloads.append(li);
    });
    const items = $("items");
    items.replaceChildren(...current.items.map((item, i) => renderItem(item, i + 1)));
  }

  // Re-rendering replaces the button that had focus; put focus back where the trainer
  // was: the same item's button after a new version, a neighbour's after a removal.
  function refocus(itemId, className, neighbours) {
    const items = [...$("items").children];
    const same = items.find((li) => li.dataset.itemId === itemId);
    const target = same || neighbours.map((id) => items.find((li) => li.dataset.itemId === id))
      .find(Boolean);
    if (target) target.querySelector(`button.${className}`).focus();
    else focusHeading($("sheet-title"));
  }

  function focusHeading(heading) {
    heading.tabIndex = -1;
    heading.focus();
  }

  async function change(method, item, action) {
    const base = `/api/exercises/${encodeURIComponent(current.sheet_id)}/items/` +
      encodeURIComponent(item.item_id);
    const ids = current.items.map((i) => i.item_id);
    const at = ids.indexOf(item.item_id);
    status(action ? "Laver en ny udgave …" : "Fjerner …");
    try {
      render(await api(method, action ? `${base}/${action}` : base, action ? {} : undefined));
      refocus(action ? item.item_id : null, action ? "regenerate" : "remove",
        [ids[at + 1], ids[at - 1]]);
      status(action ? "Ny udgave klar." : "Øvelsen er fjernet.");
      loadSaved();
    } catch (err) {
      status(`Fejl: ${err.message}`);
    }
  }

  function clearSheet() {
    current = null;
    $("sheet").hidden = true;
    $("sheet-title").textContent = "";
    $("downloads").replaceChildren();
    $("items").replaceChildren();
  }

  function showEmpty() {
    $("saved-empty").hidden = $("saved").children.length > 0;
  }

  async function deleteSheet(sheet, li) {
    if (!window.confirm(`Vil du slette arket »${sheet.title}«? Det kan ikke fortrydes.`)) return;
    status("Sletter arket …");
    let done = `Arket »${sheet.title}« er slettet.`;
    try {
      await api("DELETE", sheet.url);
    } catch (err) {
      // 404: deleted elsewhere (another tab or trainer); the list just catches up.
      if (err.status !== 404) {
        status(`Fejl: ${err.message}`);
        return;
      }
      done = `Arket »${sheet.title}« var allerede slettet.`;
    }
    // Keep keyboard focus in the list: the next sheet's delete button, else the previous one.
    const neighbour = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    if (current && current.sheet_id === sheet.sheet_id) clearSheet();
    showEmpty();
    if (neighbour) neighbour.querySelector("button.delete").focus();
    else $("saved-title").focus();
    status(done);
  }

  async function loadSaved() {
    const list = $("saved");
    const sheets = await api("GET", "/api/exercises");
    list.replaceChildren(...sheets.map((s) => {
      const li = el("li");
      li.dataset.sheetId = s.sheet_id;
      const open = el("button", "open", `${s.title} (${s.items} øvelser, ${s.updated})`);
      open.type = "button";
      open.dataset.sheetId = s.sheet_id;
      open.addEventListener("click", async () => {
        try {
          render(await api("GET", s.url));
          status("Arket er åbnet.");
        } catch (err) {
          status(`Fejl: ${err.message}`);
        }
      });
      const del = el("button", "delete", "Slet");
      del.type = "button";
      del.dataset.sheetId = s.sheet_id;
      del.setAttribute("aria-label", `Slet arket ${s.title}`);
      del.addEventListener("click", () => deleteSheet(s, li));
      li.append(open, del);
      return li;
    }));
    showEmpty();
  }

  async function build(event) {
    event.preventDefault();
    const button = $("build-button");
    if (!checked("kinds").length) {
      status("Vælg mindst én øvelsestype.");
      $("kinds").querySelector("input").focus();
      return;
    }
    button.disabled = true;
    status("Bygger arket …");
    let built = false;
    try {
      const data = await api("POST", "/api/exercises", {
        topics: checked("topics"),
        cases: checked("cases"),
        docs: checked("docs"),
        kinds: checked("kinds"),
        n: Number($("n").value),
        seed: Number($("seed").value),
        lang: $("lang").value,
      });
      render(data);
      built = true;
      status(`Arket er klar: ${data.sheet.items.length} øvelser.`);
      loadSaved();
    } catch (err) {
      status(`Fejl: ${err.message}`);
    } finally {
      button.disabled = false; // a disabled button loses focus to the page: take it back
      if (built) focusHeading($("sheet-title"));
      else button.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("build-form").addEventListener("submit", build);
    loadOptions().catch((err) => status(`Fejl: ${err.message}`));
    loadSaved().catch(() => {});
  });
})();
