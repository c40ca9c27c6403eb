// Tværs web chat: plain JavaScript, no external assets.
// Every piece of user or document text is inserted with textContent, never innerHTML.
"use strict";

(function () {
  const LANG_KEY = "tvaers.lang";
  const CONVERSATION_KEY = "tvaers.conversation_id";

  const STRINGS = {
    da: {
      skip: "Gå til spørgsmålet",
      tagline: "Citerede råd om tværsektoriel ledelse",
      newConversation: "Ny samtale",
      toggle: "English",
      toggleLabel: "Switch to English",
      conversation: "Samtale",
      questionLabel: "Dit spørgsmål",
      placeholder: "Fx: Hvordan håndterer vi en privat partner, der ikke leverer?",
      ask: "Spørg",
      hint: "Enter sender, Shift+Enter giver ny linje.",
      disclaimer: "Svarene er citeret fra teksterne, ikke genereret, og er ikke juridisk " +
        "rådgivning. Tekst mærket Tværs er skrevet af Tværs-teamet.",
      close: "Luk",
      you: "Du",
      byTvaers: "Skrevet af Tværs",
      actions: "Det kan I gøre",
      examples: "Eksempler fra praksis",
      reflection: "Spørgsmål til refleksion",
      notCovered: "Ikke dækket af materialet",
      citation: (n) => `Kilde ${n}`,
      citationLabel: (n, title) => `Vis kilde ${n}: ${title}`,
      pages: (a, b) => (a === b || b == null ? `s. ${a}` : `s. ${a}–${b}`),
      thinking: "Tværs søger i teksterne …",
      loading: "Henter passagen …",
      error: "Noget gik galt. Prøv igen.",
      newStarted: "Ny samtale startet.",
      noYear: "u.å.",
    },
    en: {
      skip: "Skip to the question",
      tagline: "Cited guidance on cross-sector leadership",
      newConversation: "New conversation",
      toggle: "Dansk",
      toggleLabel: "Skift til dansk",
      conversation: "Conversation",
      questionLabel: "Your question",
      placeholder: "E.g.: How do we handle a private partner that does not deliver?",
      ask: "Ask",
      hint: "Enter sends, Shift+Enter adds a line.",
      disclaimer: "These answers are quoted from the texts, not generated, and are not " +
        "legal advice. Text marked Tværs is written by the Tværs team.",
      close: "Close",
      you: "You",
      byTvaers: "Written by Tværs",
      actions: "What you can do",
      examples: "Examples from practice",
      reflection: "Questions for reflection",
      notCovered: "Not covered by the material",
      citation: (n) => `Source ${n}`,
      citationLabel: (n, title) => `Show source ${n}: ${title}`,
      pages: (a, b) => (a === b || b == null ? `p. ${a}` : `pp. ${a}–${b}`),
      thinking: "Tværs is searching the texts …",
      loading: "Loading the passage …",
      error: "Something went wrong. Please try again.",
      newStarted: "New conversation started.",
      noYear: "n.d.",
    },
  };

  const $ = (id) => document.getElementById(id);
  let lang = localStorage.getItem(LANG_KEY) === "en" ? "en" : "da";
  const t = (key) => STRINGS[lang][key];

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  // ---- language ----------------------------------------------------------

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((node) => {
      node.textContent = t(node.dataset.i18n);
    });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((node) => {
      node.placeholder = t(node.dataset.i18nPlaceholder);
    });
    document.querySelectorAll("[data-i18n-aria]").forEach((node) => {
      node.setAttribute("aria-label", t(node.dataset.i18nAria));
    });
    const toggle = $("lang-toggle");
    toggle.textContent = t("toggle");
    toggle.lang = lang === "da" ? "en" : "da";
    toggle.setAttribute("aria-label", t("toggleLabel"));
  }

  // ---- rendering an answer -----------------------------------------------

  function paragraphs(text) {
    return (text || "").split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  }

  function stripMarker(text) {
    return text.replace(/^\[Tværs\]\s*/, "");
  }

  function tvaersBlock(text) {
    const block = el("div", "tvaers");
    block.append(el("span", "by", t("byTvaers")));
    block.append(el("p", null, text));
    return block;
  }

  function citationChip(n, citation, line) {
    const chip = el("button", "chip", String(n));
    chip.type = "button";
    chip.dataset.n = String(n);
    chip.setAttribute("aria-label", t("citationLabel")(n, citation ? citation.title : ""));
    chip.title = citation ? citation.title : t("citation")(n);
    chip.addEventListener("click", () => openPassage(citation, line, chip));
    return chip;
  }

  function lineList(title, lines, byN, className) {
    const section = el("section", "part " + className);
    section.append(el("h3", null, title));
    const list = el("ul");
    for (const line of lines) {
      const item = el("li");
      item.append(el("q", null, line.text));
      const chips = el("span", "chips");
      for (const n of line.citations) chips.append(citationChip(n, byN.get(n), line));
      item.append(" ", chips);
      list.append(item);
    }
    section.append(list);
    return section;
  }

  function renderAnswer(answer) {
    const item = el("li", "message answer");
    item.lang = answer.lang;
    const parts = paragraphs(answer.text);
    const disclaimer = parts.length > 1 ? parts[parts.length - 1] : t("disclaimer");

    if (answer.not_covered) {
      item.classList.add("not-covered");
      item.append(el("h3", "flag", t("notCovered")));
      item.append(tvaersBlock(stripMarker(parts[0] || t("notCovered"))));
    } else {
      const advice = answer.advice || {};
      const byN = new Map((answer.citations || []).map((c) => [c.n, c]));
      if (advice.orientation) item.append(tvaersBlock(advice.orientation));
      if (advice.actions && advice.actions.length) {
        item.append(lineList(t("actions"), advice.actions, byN, "actions"));
      }
      if (advice.examples && advice.examples.length) {
        item.append(lineList(t("examples"), advice.examples, byN, "examples"));
      }
      if (advice.reflection && advice.reflection.length) {
        const section = el("section", "part reflection tvaers");
        section.append(el("span", "by", t("byTvaers")));
        section.append(el("h3", null, t("reflection")));
        const list = el("ul");
        for (const q of advice.reflection) list.append(el("li", null, q));
        section.append(list);
        item.append(section);
      }
    }
    item.append(el("p", "answer-disclaimer", disclaimer));
    return item;
  }

  function addMessage(node) {
    $("messages").append(node);
    node.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  // ---- asking ------------------------------------------------------------

  async function ask(question) {
    const button = $("ask-button");
    const you = el("li", "message question");
    you.append(el("span", "by", t("you")));
    you.append(el("p", null, question));
    addMessage(you);
    $("status").textContent = t("thinking");
    button.disabled = true;
    try {
      const body = { question: question };
      const conversationId = localStorage.getItem(CONVERSATION_KEY);
      if (conversationId) body.conversation_id = conversationId;
      const response = await fetch("/api/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const answer = await response.json();
      if (answer.conversation_id) localStorage.setItem(CONVERSATION_KEY, answer.conversation_id);
      addMessage(renderAnswer(answer));
      $("status").textContent = "";
    } catch (err) {
      $("status").textContent = t("error");
      console.error(err);
    } finally {
      button.disabled = false;
    }
  }

  async function newConversation() {
    const id = localStorage.getItem(CONVERSATION_KEY);
    localStorage.removeItem(CONVERSATION_KEY);
    if (id) {
      try {
        await fetch(`/api/conversations/${encodeURIComponent(id)}`, { method: "DELETE" });
      } catch (err) {
        console.error(err); // the id is forgotten locally either way
      }
    }
    $("messages").replaceChildren();
    $("status").textContent = t("newStarted");
    $("question").focus();
  }

  // ---- the passage panel -------------------------------------------------

  function highlighted(text, line) {
    // The quoted sentence is text[sentence_start:sentence_end]; fall back to a search.
    const p = el("p", "highlight");
    let start = line ? line.sentence_start : -1;
    let end = line ? line.sentence_end : -1;
    if (line && text.slice(start, end) !== line.text) {
      start = text.indexOf(line.text);
      end = start + line.text.length;
    }
    if (start < 0 || end <= start || end > text.length) {
      p.textContent = text;
      return p;
    }
    p.append(text.slice(0, start), el("mark", null, text.slice(start, end)), text.slice(end));
    return p;
  }

  async function openPassage(citation, line, opener) {
    const dialog = $("passage");
    const body = $("passage-body");
    $("passage-title").textContent = citation ? citation.title : "";
    $("passage-meta").textContent = "";
    body.replaceChildren(el("p", "status", t("loading")));
    dialog.returnFocusTo = opener;
    if (!dialog.open) dialog.showModal();
    if (!citation) return;
    try {
      const url = `/api/passages/${encodeURIComponent(citation.chunk_id)}?context=1`;
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const passage = await response.json();
      const chunk = passage.chunk;
      $("passage-title").textContent = passage.title;
      const meta = [passage.year != null ? String(passage.year) : t("noYear")];
      if (chunk.heading_path && chunk.heading_path.length) {
        meta.push(chunk.heading_path.join(" › "));
      }
      if (chunk.page_start != null) meta.push(t("pages")(chunk.page_start, chunk.page_end));
      $("passage-meta").textContent = meta.join(" · ");
      const nodes = [];
      for (const text of passage.before) nodes.push(el("p", "context", text));
      nodes.push(highlighted(passage.highlight, line));
      for (const text of passage.after) nodes.push(el("p", "context", text));
      body.replaceChildren(...nodes);
      const mark = body.querySelector("mark");
      if (mark) mark.scrollIntoView({ block: "nearest" });
    } catch (err) {
      body.replaceChildren(el("p", "status", t("error")));
      console.error(err);
    }
  }

  // ---- wiring ------------------------------------------------------------

  document.addEventListener("DOMContentLoaded", () => {
    applyLanguage();
    const form = $("ask-form");
    const input = $("question");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const question = input.value.trim();
      if (!question || $("ask-button").disabled) return;
      input.value = "";
      ask(question);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    $("lang-toggle").addEventListener("click", () => {
      lang = lang === "da" ? "en" : "da";
      localStorage.setItem(LANG_KEY, lang);
      applyLanguage();
    });
    $("new-conversation").addEventListener("click", newConversation);
    const dialog = $("passage");
    $("passage-close").addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
    dialog.addEventListener("close", () => {
      if (dialog.returnFocusTo) dialog.returnFocusTo.focus();
    });
  });
})();
