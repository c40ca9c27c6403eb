// Tværs web chat: plain JavaScript, no external assets.
// Every piece of user or document text is inserted with textContent, never innerHTML.
"use strict";

(function () {
  const LANG_KEY = "tvaers.lang";
  const CONVERSATION_KEY = "tvaers.conversation_id";
  // The question being answered: {conversation_id, question, turns}, where turns is
  // how many the conversation will have once it is answered. A page reloaded before
  // the answer came waits for the server to store it (the server answers to the end).
  const PENDING_KEY = "tvaers.pending";
  const PENDING_POLL_MS = 1000;
  const PENDING_GIVE_UP_MS = 30000; // an answer takes well under a second; a cold server, a few
  const MAX_COMMENT = 2000;

  const STRINGS = {
    da: {
      skip: "Gå til spørgsmålet",
      tagline: "Citerede råd om tværsektoriel ledelse",
      tools: "Værktøjer",
      documents: "Dokumenter",
      newConversation: "Ny samtale",
      toggle: "English",
      toggleLabel: "Switch to English",
      conversation: "Samtale",
      questionLabel: "Dit spørgsmål",
      placeholder: "Fx: Hvordan håndterer vi en privat partner, der ikke leverer?",
      ask: "Spørg",
      hint: "Enter sender, Shift+Enter giver ny linje.",
      privacy: (days) => `Samtalen gemmes på denne server i ${days} dage; »Ny samtale« sletter den.`,
      disclaimer: "Svarene er citeret fra teksterne, ikke genereret, og er ikke juridisk " +
        "rådgivning. Tekst mærket Tværs er skrevet af Tværs-teamet.",
      close: "Luk",
      you: "Du",
      byTvaers: "Skrevet af Tværs",
      findings: "Det siger teksterne",
      actions: "Det kan I gøre",
      examples: "Eksempler fra praksis",
      reflection: "Spørgsmål til refleksion",
      notCovered: "Ikke dækket af materialet",
      nearest: "Nærmeste passager – de besvarer ikke spørgsmålet",
      citation: (n) => `Kilde ${n}`,
      citationLabel: (n, title) => `Vis kilde ${n}: ${title}`,
      pages: (a, b) => (a === b || b == null ? `s. ${a}` : `s. ${a}–${b}`),
      sources: "Kilder:",
      thinking: "Tværs søger i teksterne …",
      restoring: "Henter samtalen …",
      awaiting: "Svaret på dit sidste spørgsmål er på vej …",
      lost: "Svaret på dit sidste spørgsmål kom ikke frem. Stil det gerne igen.",
      unsent: "Dit sidste spørgsmål nåede ikke frem, før siden blev genindlæst. Send det igen.",
      loading: "Henter passagen …",
      error: "Noget gik galt. Prøv igen.",
      refused: (reason) => `Spørgsmålet kan ikke besvares: ${reason}`,
      noWords: "Spørgsmålet skal have ord i; tegn alene kan ikke søges.",
      tooLong: (max) => `Højst ${max} tegn; resten er skåret af.`,
      count: (n, max) => `${n} af ${max} tegn`,
      newStarted: "Ny samtale startet.",
      noYear: "u.å.",
      copy: "Kopiér svar",
      copied: "Kopieret",
      copyFailed: "Kunne ikke kopiere",
      rateGroup: "Var svaret nyttigt?",
      thumbUp: "Nyttigt svar",
      thumbDown: "Ikke nyttigt svar",
      comment: "Kommentar (valgfri)",
      commentHint: "Tilbagemeldingen gemmes med spørgsmålet, svaret og de citerede tekster.",
      send: "Send tilbagemelding",
      thanks: "Tak for din tilbagemelding",
      allDocuments: "Alle dokumenter",
      outline: "Indhold",
      openSection: (heading) => `Åbn afsnittet ${heading}`,
      passages: (n) => `${n} passager`,
    },
    en: {
      skip: "Skip to the question",
      tagline: "Cited guidance on cross-sector leadership",
      tools: "Tools",
      documents: "Documents",
      newConversation: "New conversation",
      toggle: "Dansk",
      toggleLabel: "Skift til dansk",
      conversation: "Conversation",
      questionLabel: "Your question",
      placeholder: "E.g.: How do we handle a private partner that does not deliver?",
      ask: "Ask",
      hint: "Enter sends, Shift+Enter adds a line.",
      privacy: (days) =>
        `The conversation is kept on this server for ${days} days; “New conversation” deletes it.`,
      disclaimer: "These answers are quoted from the texts, not generated, and are not " +
        "legal advice. Text marked Tværs is written by the Tværs team.",
      close: "Close",
      you: "You",
      byTvaers: "Written by Tværs",
      findings: "What the texts say",
      actions: "What you can do",
      examples: "Examples from practice",
      reflection: "Questions for reflection",
      notCovered: "Not covered by the material",
      nearest: "Nearest passages – they do not answer the question",
      citation: (n) => `Source ${n}`,
      citationLabel: (n, title) => `Show source ${n}: ${title}`,
      pages: (a, b) => (a === b || b == null ? `p. ${a}` : `pp. ${a}–${b}`),
      sources: "Sources:",
      thinking: "Tværs is searching the texts …",
      restoring: "Loading the conversation …",
      awaiting: "The answer to your last question is on its way …",
      lost: "The answer to your last question did not arrive. Please ask it again.",
      unsent: "Your last question was not sent before the page was reloaded. Please send it again.",
      loading: "Loading the passage …",
      error: "Something went wrong. Please try again.",
      refused: (reason) => `The question cannot be answered: ${reason}`,
      noWords: "The question needs words; signs alone cannot be searched.",
      tooLong: (max) => `At most ${max} characters; the rest was cut off.`,
      count: (n, max) => `${n} of ${max} characters`,
      newStarted: "New conversation started.",
      noYear: "n.d.",
      copy: "Copy answer",
      copied: "Copied",
      copyFailed: "Could not copy",
      rateGroup: "Was the answer useful?",
      thumbUp: "Useful answer",
      thumbDown: "Not a useful answer",
      comment: "Comment (optional)",
      commentHint: "Your feedback is stored with the question, the answer and the cited texts.",
      send: "Send feedback",
      thanks: "Thank you for your feedback",
      allDocuments: "All documents",
      outline: "Contents",
      openSection: (heading) => `Open the section ${heading}`,
      passages: (n) => `${n} passages`,
    },
  };

  const $ = (id) => document.getElementById(id);
  let lang = localStorage.getItem(LANG_KEY) === "en" ? "en" : "da";
  const t = (key) => STRINGS[lang][key];
  let uid = 0;

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  // An interface string that follows the language toggle.
  function i18n(node, key, arg) {
    node.dataset.i18n = key;
    if (arg != null) node.dataset.i18nArg = arg;
    else delete node.dataset.i18nArg;
    const value = t(key);
    node.textContent = typeof value === "function" ? value(arg) : value;
    return node;
  }

  // The status line, in the interface language, also after a toggle; no key clears it.
  function setStatus(key, arg) {
    const status = $("status");
    if (key) {
      i18n(status, key, arg);
      return;
    }
    delete status.dataset.i18n;
    delete status.dataset.i18nArg;
    status.textContent = "";
  }

  function i18nLabel(node, key) {
    node.dataset.i18nAria = key;
    node.setAttribute("aria-label", t(key));
    return node;
  }

  function button(className, text) {
    const b = el("button", className, text);
    b.type = "button";
    return b;
  }

  // ---- language ----------------------------------------------------------

  function applyLanguage() {
    document.documentElement.lang = lang;
    document.querySelectorAll("[data-i18n]").forEach((node) => {
      const value = t(node.dataset.i18n);
      node.textContent = typeof value === "function" ? value(node.dataset.i18nArg) : value;
    });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((node) => {
      node.placeholder = t(node.dataset.i18nPlaceholder);
    });
    document.querySelectorAll("[data-i18n-aria]").forEach((node) => {
      node.setAttribute("aria-label", t(node.dataset.i18nAria));
    });
    document.querySelectorAll(".answer-tools").forEach((node) => {
      node.lang = lang;
    });
    const toggle = $("lang-toggle");
    toggle.textContent = t("toggle");
    toggle.lang = lang === "da" ? "en" : "da";
    toggle.setAttribute("aria-label", t("toggleLabel"));
  }

  // ---- references --------------------------------------------------------

  function pageLabel(strings, c) {
    return c.page_start != null ? strings.pages(c.page_start, c.page_end) : "";
  }

  // "[1] Title, Publisher, 2014, s. 21–22 — Heading › Subheading"
  function referenceLine(c, strings) {
    const parts = [c.title, c.publisher, c.year != null ? String(c.year) : strings.noYear,
      pageLabel(strings, c)].filter(Boolean);
    return `[${c.n}] ${parts.join(", ")}${headingSuffix(c)}`;
  }

  function headingSuffix(c) {
    return c.heading_path && c.heading_path.length ? ` — ${c.heading_path.join(" › ")}` : "";
  }

  // Two passages of one section on the same pages would read alike: those lines also
  // name the passage's opening words, as the answer's own text does.
  const OPENING_WORDS = 8;
  function withOpenings(citations, lineOf) {
    const lines = citations.map(lineOf);
    const seen = new Map();
    for (const line of lines) seen.set(line, (seen.get(line) || 0) + 1);
    return lines.map((line, i) => {
      if (seen.get(line) < 2) return line;
      const words = String(citations[i].text || "").split(/\s+/).filter(Boolean);
      const head = words.slice(0, OPENING_WORDS).join(" ");
      return `${line}: »${head}${words.length > OPENING_WORDS ? " …" : ""}«`;
    });
  }

  // The answer's own text, with its short source list replaced by full references.
  function copyableText(answer) {
    const strings = answerStrings(answer);
    const parts = paragraphs(answer.text);
    const citations = answer.citations || [];
    const refs = citations.length
      ? [strings.sources, ...withOpenings(citations, (c) => referenceLine(c, strings))].join("\n")
      : null;
    const at = parts.findIndex((p) => /^(Kilder|Sources):/.test(p));
    if (at >= 0) parts.splice(at, 1, ...(refs ? [refs] : []));
    else if (refs) parts.splice(Math.max(parts.length - 1, 0), 0, refs);
    return parts.join("\n\n");
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try {
        await navigator.clipboard.writeText(text);
        return true;
      } catch (err) {
        console.warn("clipboard API refused; using the fallback", err);
      }
    }
    const area = el("textarea", "copy-buffer");
    area.value = text;
    area.setAttribute("readonly", "");
    area.setAttribute("aria-hidden", "true");
    area.tabIndex = -1;
    document.body.append(area);
    area.select();
    try {
      return document.execCommand("copy");
    } catch (err) {
      return false;
    } finally {
      area.remove();
    }
  }

  // ---- rendering an answer -----------------------------------------------

  function paragraphs(text) {
    return (text || "").split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  }

  function stripMarker(text) {
    return text.replace(/^\[Tværs\]\s*/, "");
  }

  // An answer's headings and labels are in the answer's language, not the page's:
  // an English answer under the Danish interface still reads as English.
  function answerStrings(answer) {
    return STRINGS[answer.lang === "en" ? "en" : "da"];
  }

  function tvaersBlock(text, strings) {
    const block = el("div", "tvaers");
    block.append(el("span", "by", strings.byTvaers));
    block.append(el("p", null, text));
    return block;
  }

  function citationChip(n, citation, line, strings) {
    const chip = button("chip", String(n));
    chip.dataset.n = String(n);
    chip.setAttribute("aria-label", strings.citationLabel(n, citation ? citation.title : ""));
    chip.title = citation ? citation.title : strings.citation(n);
    chip.addEventListener("click", () => openPassage(citation, line, chip, 1));
    return chip;
  }

  function lineList(key, lines, byN, className, strings) {
    const section = el("section", "part " + className);
    section.append(el("h3", null, strings[key]));
    const list = el("ul");
    for (const line of lines) {
      const item = el("li");
      if (line.case) item.append(el("span", "case", `${line.case}: `)); // as in the copied text
      item.append(el("q", null, line.text));
      const chips = el("span", "chips");
      for (const n of line.citations) chips.append(citationChip(n, byN.get(n), line, strings));
      item.append(" ", chips);
      list.append(item);
    }
    section.append(list);
    return section;
  }

  // With a not-covered answer: the passages nearest the question, one click each,
  // so that a reader can see for themselves whether the decision was wrong.
  function nearestList(citations, strings) {
    const section = el("section", "part nearest");
    section.append(el("h3", null, strings.nearest));
    const list = el("ul");
    const lines = withOpenings(citations, (c) =>
      [c.title, pageLabel(strings, c)].filter(Boolean).join(", ") + headingSuffix(c));
    citations.forEach((c, i) => {
      const item = el("li");
      item.append(citationChip(c.n, c, null, strings), " ", el("span", "source", lines[i]));
      list.append(item);
    });
    section.append(list);
    return section;
  }

  const SVG = "http://www.w3.org/2000/svg";
  // Material Design "thumb_up" (Apache 2.0); thumbs down is the same shape turned over.
  const THUMB = "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-" +
    ".44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 " +
    "1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";

  function thumbIcon() {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", THUMB);
    path.setAttribute("fill", "currentColor");
    svg.append(path);
    return svg;
  }

  function copyButton(answer, status) {
    const copy = i18n(button("copy"), "copy");
    copy.addEventListener("click", async () => {
      const ok = await copyText(copyableText(answer));
      copy.focus();
      status.textContent = ok ? t("copied") : t("copyFailed");
      copy.textContent = ok ? t("copied") : t("copy");
      setTimeout(() => {
        copy.textContent = t("copy");
      }, 2500);
    });
    return copy;
  }

  // `rating`: the thumbs given before a reload (1, -1 or null), shown pressed again.
  function feedbackControls(answer, status, rating) {
    const group = el("div", "rate");
    group.setAttribute("role", "group");
    i18nLabel(group, "rateGroup");
    const up = i18nLabel(button("thumb up"), "thumbUp");
    const down = i18nLabel(button("thumb down"), "thumbDown");
    for (const b of [up, down]) {
      b.setAttribute("aria-pressed", "false");
      b.append(thumbIcon());
    }
    up.dataset.rating = "1";
    down.dataset.rating = "-1";
    group.append(up, down);

    const id = `comment-${++uid}`;
    const form = el("form", "feedback");
    form.hidden = true;
    const label = i18n(el("label"), "comment");
    label.htmlFor = id;
    const comment = el("textarea");
    comment.id = id;
    comment.rows = 2;
    comment.maxLength = MAX_COMMENT;
    const hint = i18n(el("p", "hint"), "commentHint");
    hint.id = `${id}-hint`;
    comment.setAttribute("aria-describedby", hint.id);
    const send = i18n(el("button", "send"), "send");
    send.type = "submit";
    form.append(label, comment, hint, send);

    let chosen = rating === 1 || rating === -1 ? rating : null;
    if (chosen != null) (chosen === 1 ? up : down).setAttribute("aria-pressed", "true");
    for (const b of [up, down]) {
      b.addEventListener("click", () => {
        chosen = Number(b.dataset.rating);
        up.setAttribute("aria-pressed", String(b === up));
        down.setAttribute("aria-pressed", String(b === down));
        form.hidden = false;
        status.textContent = "";
        comment.focus();
      });
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (chosen == null || send.disabled) return;
      send.disabled = true;
      try {
        const response = await fetch("/api/feedback", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            conversation_id: answer.conversation_id,
            turn: answer.turn,
            rating: chosen,
            comment: comment.value.trim(),
          }),
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        form.hidden = true;
        comment.value = "";
        (chosen === 1 ? up : down).focus();
        status.textContent = t("thanks");
      } catch (err) {
        status.textContent = t("error");
        console.error(err);
      } finally {
        send.disabled = false;
      }
    });
    return { group, form };
  }

  function answerTools(answer, rating) {
    const wrap = el("div", "answer-tools");
    wrap.lang = lang; // interface controls follow the page's language (applyLanguage)
    const row = el("div", "tool-row");
    const status = el("p", "tool-status");
    status.setAttribute("role", "status");
    row.append(copyButton(answer, status));
    let form = null;
    if (answer.conversation_id && answer.turn) {
      const feedback = feedbackControls(answer, status, rating);
      row.append(feedback.group);
      form = feedback.form;
    }
    wrap.append(row);
    if (form) wrap.append(form);
    wrap.append(status);
    return wrap;
  }

  function renderAnswer(answer, rating = null) {
    const item = el("li", "message answer");
    const strings = answerStrings(answer);
    item.lang = answer.lang;
    if (answer.turn) item.dataset.turn = String(answer.turn);
    const parts = paragraphs(answer.text);
    const disclaimer = parts.length > 1 ? parts[parts.length - 1] : strings.disclaimer;

    if (answer.not_covered) {
      item.classList.add("not-covered");
      item.append(el("h3", "flag", strings.notCovered));
      item.append(tvaersBlock(stripMarker(parts[0] || strings.notCovered), strings));
      if (answer.citations && answer.citations.length) {
        item.append(nearestList(answer.citations, strings));
      }
    } else {
      const advice = answer.advice || {};
      const byN = new Map((answer.citations || []).map((c) => [c.n, c]));
      if (advice.orientation) item.append(tvaersBlock(advice.orientation, strings));
      if (advice.findings && advice.findings.length) {
        item.append(lineList("findings", advice.findings, byN, "findings", strings));
      }
      if (advice.actions && advice.actions.length) {
        item.append(lineList("actions", advice.actions, byN, "actions", strings));
      }
      if (advice.examples && advice.examples.length) {
        item.append(lineList("examples", advice.examples, byN, "examples", strings));
      }
      if (advice.reflection && advice.reflection.length) {
        const section = el("section", "part reflection tvaers");
        section.append(el("span", "by", strings.byTvaers));
        section.append(el("h3", null, strings.reflection));
        const list = el("ul");
        for (const q of advice.reflection) list.append(el("li", null, q));
        section.append(list);
        item.append(section);
      }
    }
    item.append(el("p", "answer-disclaimer", disclaimer));
    item.append(answerTools(answer, rating));
    return item;
  }

  function renderQuestion(question) {
    const you = el("li", "message question");
    you.append(i18n(el("span", "by"), "you"));
    you.append(el("p", null, question));
    return you;
  }

  function addMessage(node, scroll = true) {
    $("messages").append(node);
    if (scroll) node.scrollIntoView({ block: "start", behavior: "smooth" });
  }

  // ---- asking ------------------------------------------------------------

  // The ask in flight; "Ny samtale" discards it (its answer must not land in the new chat).
  let pending = null;
  // Turns of the shown conversation, and which conversation the page shows: "Ny samtale"
  // starts a new epoch, and a restore or wait begun in an older one stops touching the page.
  let turnsShown = 0;
  let epoch = 0;

  function readPending() {
    try {
      const entry = JSON.parse(localStorage.getItem(PENDING_KEY) || "null");
      return entry && typeof entry.question === "string" ? entry : null;
    } catch (err) {
      return null;
    }
  }

  function clearPending(entry) {
    const current = readPending();
    if (current && (!entry || current.conversation_id === entry.conversation_id)) {
      localStorage.removeItem(PENDING_KEY);
    }
  }

  // The server's reason for a 4xx, as one line: FastAPI's 422 lists its errors. The one
  // a user can cause (a question of signs alone, "???") is said in the interface language.
  async function refusal(response) {
    try {
      const body = await response.json();
      if (!Array.isArray(body.detail)) return { text: String(body.detail || "") || null };
      const aboutQuestion = body.detail.every(
        (d) => Array.isArray(d.loc) && d.loc[d.loc.length - 1] === "question");
      const text = body.detail
        .map((d) => String(d.msg || "").replace(/^Value error, /, "")).join("; ");
      return { text: text || null, key: aboutQuestion && body.detail.length ? "noWords" : null };
    } catch (err) {
      return { text: null };
    }
  }

  async function ask(question) {
    const askButton = $("ask-button");
    const ticket = { discarded: false };
    pending = ticket;
    const bubble = renderQuestion(question);
    addMessage(bubble);
    setStatus("thinking");
    askButton.disabled = true;
    // kept from the start: a reload before the conversation is even started gives it back
    ticket.entry = {
      conversation_id: localStorage.getItem(CONVERSATION_KEY),
      question,
      turns: turnsShown + 1,
    };
    localStorage.setItem(PENDING_KEY, JSON.stringify(ticket.entry));
    try {
      let response = null;
      for (let attempt = 0; attempt < 2; attempt += 1) {
        // the id first, so that a reload while this is answered keeps (and can delete) it
        const conversationId =
          localStorage.getItem(CONVERSATION_KEY) || (await startConversation());
        if (ticket.discarded) {
          // "Ny samtale" while the id was being fetched: that conversation goes too
          if (conversationId) {
            forgetLocally(conversationId);
            deleteConversation(conversationId);
          }
          return;
        }
        const body = { question: question };
        if (conversationId) body.conversation_id = conversationId;
        ticket.entry.conversation_id = conversationId;
        localStorage.setItem(PENDING_KEY, JSON.stringify(ticket.entry));
        response = await fetch("/api/ask", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        // the conversation is gone (expired, or deleted in another tab): start afresh once
        if (response.status !== 404 || !conversationId || attempt > 0) break;
        forgetLocally(conversationId);
        if (ticket.discarded) return;
      }
      if (!response.ok) {
        const error = new Error(`HTTP ${response.status}`);
        if (response.status < 500) error.reason = await refusal(response);
        throw error;
      }
      const answer = await response.json();
      if (ticket.discarded) {
        // asked before "Ny samtale": forget it on the server too, now that it is stored
        if (answer.conversation_id) deleteConversation(answer.conversation_id);
        return;
      }
      if (answer.conversation_id) localStorage.setItem(CONVERSATION_KEY, answer.conversation_id);
      turnsShown = answer.turn || turnsShown + 1;
      addMessage(renderAnswer(answer));
      setStatus(null);
    } catch (err) {
      if (ticket.discarded) return;
      // nothing was answered: take the question back so that it can be sent again
      bubble.remove();
      const input = $("question");
      if (!input.value.trim()) input.value = question;
      const why = err.reason || {};
      if (why.key) setStatus(why.key);
      else if (why.text) setStatus("refused", why.text);
      else setStatus("error");
      console.error(err);
    } finally {
      clearPending(ticket.entry);
      if (pending === ticket) {
        pending = null;
        askButton.disabled = false;
      }
    }
  }

  // A new, empty conversation on the server; null when it cannot be had (the
  // question is then asked without one, and the server starts it).
  async function startConversation() {
    try {
      const response = await fetch("/api/conversations", { method: "POST" });
      if (!response.ok) return null;
      const id = (await response.json()).conversation_id;
      localStorage.setItem(CONVERSATION_KEY, id);
      return id;
    } catch (err) {
      console.error(err);
      return null;
    }
  }

  // Forget `id` in this browser, unless another conversation has taken its place.
  function forgetLocally(id) {
    if (localStorage.getItem(CONVERSATION_KEY) === id) localStorage.removeItem(CONVERSATION_KEY);
  }

  async function deleteConversation(id) {
    try {
      await fetch(`/api/conversations/${encodeURIComponent(id)}`, { method: "DELETE" });
    } catch (err) {
      console.error(err); // the id is forgotten locally either way
    }
  }

  // Show the stored conversation again after a reload; a deleted or expired one is forgotten.
  async function restoreConversation() {
    const id = localStorage.getItem(CONVERSATION_KEY);
    const mine = epoch;
    // reloaded before the question was sent (no conversation yet, or not this one's):
    // no server has it, so it goes back into the field
    const entry = readPending();
    const unsent = entry && (!id || entry.conversation_id !== id) ? entry : null;
    const asked = unsent ? null : entry; // asked in this conversation
    if (unsent) clearPending(null);
    if (!id) {
      if (unsent) giveBack(unsent, "unsent");
      document.body.dataset.restored = "true";
      return;
    }
    const askButton = $("ask-button");
    askButton.disabled = true;
    setStatus("restoring");
    let waiting = null;
    let lost = null; // asked in a conversation that is gone: it will not be answered
    try {
      const conversation = await fetchConversation(id);
      if (epoch !== mine) return; // "Ny samtale" meanwhile: the old one is not shown
      if (!conversation) {
        forgetLocally(id);
        lost = asked;
        clearPending(null);
      } else {
        const last = showTurns(conversation.turns, 0);
        if (last) last.scrollIntoView({ block: "start" });
        if (asked && asked.conversation_id === id && conversation.turns.length < asked.turns) {
          waiting = asked;
        } else {
          clearPending(null);
        }
      }
    } catch (err) {
      console.error(err); // the server may be restarting; keep the id and try on the next load
    } finally {
      if (epoch === mine) {
        setStatus(null);
        askButton.disabled = false;
        document.body.dataset.restored = "true";
      }
    }
    if (epoch !== mine) return;
    if (unsent) giveBack(unsent, "unsent");
    else if (lost) giveBack(lost, "lost");
    if (waiting) await awaitAnswer(waiting, mine);
  }

  // A question that will not be answered: back into the field, with why.
  function giveBack(entry, why) {
    clearPending(null);
    const input = $("question");
    if (!input.value.trim()) input.value = entry.question;
    setStatus(why);
  }

  // The conversation as the server has it; null when it is gone (a 4xx).
  async function fetchConversation(id) {
    const response = await fetch(`/api/conversations/${encodeURIComponent(id)}`);
    if (response.status >= 400 && response.status < 500) return null;
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  // Render turns[from:]; returns the last answer rendered.
  function showTurns(turns, from) {
    let last = null;
    for (const turn of turns.slice(from)) {
      addMessage(renderQuestion(turn.question), false);
      if (turn.answer) {
        last = renderAnswer(turn.answer, turn.rating);
        addMessage(last, false);
      }
    }
    turnsShown = turns.length;
    return last;
  }

  // A question asked before the page was reloaded: show it, and its answer once stored.
  async function awaitAnswer(entry, mine) {
    const askButton = $("ask-button");
    const bubble = renderQuestion(entry.question);
    addMessage(bubble);
    setStatus("awaiting");
    askButton.disabled = true;
    const until = Date.now() + PENDING_GIVE_UP_MS;
    let answered = null;
    while (Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, PENDING_POLL_MS));
      if (epoch !== mine) return;
      try {
        const conversation = await fetchConversation(entry.conversation_id);
        if (epoch !== mine) return;
        if (!conversation) break;
        if (conversation.turns.length >= entry.turns) {
          answered = conversation;
          break;
        }
      } catch (err) {
        console.error(err); // try again until we give up
      }
    }
    if (epoch !== mine) return;
    clearPending(entry);
    bubble.remove();
    askButton.disabled = false;
    if (answered) {
      const last = showTurns(answered.turns, turnsShown);
      if (last) last.scrollIntoView({ block: "start", behavior: "smooth" });
      setStatus(null);
    } else {
      giveBack(entry, "lost");
    }
  }

  async function newConversation() {
    const id = localStorage.getItem(CONVERSATION_KEY);
    localStorage.removeItem(CONVERSATION_KEY);
    clearPending(null);
    epoch += 1;
    turnsShown = 0;
    document.body.dataset.restored = "true"; // a restore under way is abandoned
    if (pending) {
      pending.discarded = true; // its answer, when it comes, deletes its conversation
      pending = null;
    }
    $("ask-button").disabled = false; // also when a restore or a wait for an answer held it
    $("messages").replaceChildren();
    setStatus(null);
    if (id) await deleteConversation(id);
    setStatus("newStarted");
    $("question").focus();
  }

  // ---- the passage panel -------------------------------------------------

  function highlighted(text, line) {
    // The quoted sentence is text[sentence_start:sentence_end]; fall back to a search.
    const p = el("p", "highlight");
    if (!line) {
      p.textContent = text;
      return p;
    }
    let start = line.sentence_start;
    let end = line.sentence_end;
    if (text.slice(start, end) !== line.text) {
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

  function openDialog(dialog, opener) {
    dialog.returnFocusTo = opener;
    if (!dialog.open) dialog.showModal();
  }

  // `source` has chunk_id and title (a citation, or a heading of the document browser).
  async function openPassage(source, line, opener, context) {
    const dialog = $("passage");
    const body = $("passage-body");
    $("passage-title").textContent = source ? source.title : "";
    $("passage-meta").textContent = "";
    body.replaceChildren(el("p", "status", t("loading")));
    openDialog(dialog, opener);
    if (!source) return;
    try {
      const url = `/api/passages/${encodeURIComponent(source.chunk_id)}?context=${context}`;
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
      const mark = body.querySelector("mark") || body.querySelector(".highlight");
      if (mark) mark.scrollIntoView({ block: "nearest" });
    } catch (err) {
      body.replaceChildren(el("p", "status", t("error")));
      console.error(err);
    }
  }

  // ---- the document browser ----------------------------------------------

  function documentMeta(doc) {
    return [doc.publisher, doc.year != null ? String(doc.year) : t("noYear")]
      .filter(Boolean).join(" · ");
  }

  async function getJson(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  async function showDocumentList(focusDocId) {
    const body = $("documents-body");
    body.replaceChildren(el("p", "status", t("loading")));
    try {
      const docs = await getJson("/api/documents");
      const list = el("ul", "doc-list");
      let focus = null;
      for (const doc of docs) {
        const item = el("li");
        const open = button("doc");
        open.append(el("span", "doc-title", doc.title), el("span", "doc-meta", documentMeta(doc)));
        open.addEventListener("click", () => showDocument(doc.doc_id));
        if (doc.doc_id === focusDocId) focus = open;
        item.append(open);
        list.append(item);
      }
      body.replaceChildren(list);
      if (focus) focus.focus();
    } catch (err) {
      body.replaceChildren(el("p", "status", t("error")));
      console.error(err);
    }
  }

  async function showDocument(docId) {
    const body = $("documents-body");
    body.replaceChildren(el("p", "status", t("loading")));
    try {
      const doc = await getJson(`/api/documents/${encodeURIComponent(docId)}`);
      const back = i18n(button("back"), "allDocuments");
      back.addEventListener("click", () => showDocumentList(doc.doc_id));
      const title = el("h3", "doc-heading", doc.title);
      title.tabIndex = -1;
      const meta = el("p", "meta", documentMeta(doc));
      const outlineTitle = i18n(el("h4", "outline-title"), "outline");
      const outline = el("ul", "outline");
      for (const heading of doc.outline) {
        const item = el("li");
        item.style.setProperty("--depth", String(heading.path.length - 1));
        const name = heading.path[heading.path.length - 1];
        const page = heading.page != null ? t("pages")(heading.page, heading.page) : "";
        if (heading.chunk_id) {
          const open = button("heading");
          open.append(el("span", null, name));
          if (page) open.append(el("span", "page", page));
          open.addEventListener("click", () =>
            openPassage({ chunk_id: heading.chunk_id, title: doc.title }, null, open, 2));
          item.append(open);
        } else {
          item.append(el("span", "heading", name));
        }
        outline.append(item);
      }
      body.replaceChildren(back, title, meta, outlineTitle, outline);
      body.scrollTop = 0;
      title.focus();
    } catch (err) {
      body.replaceChildren(el("p", "status", t("error")));
      console.error(err);
    }
  }

  // ---- wiring ------------------------------------------------------------

  function wireDialog(dialog, closeButton) {
    closeButton.addEventListener("click", () => dialog.close());
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close(); // a click on the backdrop
    });
    // "close" arrives as a task after close(): by then the browser may have restored
    // focus and the user may have moved on (Tab), so only fill a focus left nowhere.
    dialog.addEventListener("close", () => {
      const active = document.activeElement;
      const lost = !active || active === document.body || dialog.contains(active);
      if (dialog.returnFocusTo && lost) dialog.returnFocusTo.focus();
    });
  }

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
    // The field stops at its maxlength without a word; say so, and count near the end.
    const count = $("count");
    const limit = input.maxLength;
    const showCount = (cut) => {
      const n = input.value.length;
      count.textContent = cut ? t("tooLong")(limit) : n >= limit * 0.9 ? t("count")(n, limit) : "";
    };
    input.addEventListener("input", () => showCount(false));
    input.addEventListener("paste", (event) => {
      const pasted = (event.clipboardData && event.clipboardData.getData("text")) || "";
      const kept = input.value.length - (input.selectionEnd - input.selectionStart);
      if (kept + pasted.length > limit) setTimeout(() => showCount(true), 0);
    });
    form.addEventListener("submit", () => setTimeout(() => showCount(false), 0));
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
    wireDialog($("passage"), $("passage-close"));
    wireDialog($("documents"), $("documents-close"));
    $("documents-open").addEventListener("click", (event) => {
      openDialog($("documents"), event.currentTarget);
      showDocumentList(null);
    });
    restoreConversation();
  });
})();
