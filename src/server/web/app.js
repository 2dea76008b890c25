// The cinerec front end: a small client over the JSON API (/api/openapi.json). Pages are rendered
// from the API with DOM calls (never innerHTML with data), links use the History API, and every
// page works with the keyboard alone.
"use strict";
(() => {
  const I18N = window.CINEREC_I18N;
  let lang = initialLanguage();
  let health = null; // /api/health, fetched once: genres and providers for the forms
  let renderToken = 0; // drops answers that arrive after the user moved on

  const t = (key, ...args) => {
    const v = I18N[lang][key];
    return typeof v === "function" ? v(...args) : v;
  };
  const genreName = (g) => (lang === "en" ? I18N.genres_en[g] || g : g);

  function initialLanguage() {
    const fromUrl = new URLSearchParams(location.search).get("lang");
    if (fromUrl === "es" || fromUrl === "en") return fromUrl;
    try {
      const saved = localStorage.getItem("cinerec-lang");
      if (saved === "es" || saved === "en") return saved;
    } catch (_) { /* storage may be disabled */ }
    return "es";
  }

  // el("p", {class: "x", text: "hi"}, child, …): a DOM element; text is set as text, never parsed.
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "text") node.textContent = v;
      else if (k === "on") for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c);
    return node;
  }

  class ApiError extends Error {
    constructor(status, code, message, id) {
      super(message);
      this.status = status;
      this.code = code;
      this.id = id; // the movie id the error is about, when it is about one
    }
  }

  async function api(path, options = {}) {
    let res;
    try {
      res = await fetch(path, { headers: { Accept: "application/json" }, ...options });
    } catch (_) {
      throw new ApiError(0, "network", t("error_network"));
    }
    let body = null;
    try {
      body = await res.json();
    } catch (_) { /* not JSON */ }
    if (!res.ok) {
      const e = body && body.error ? body.error : { code: "http_" + res.status, message: res.statusText };
      throw new ApiError(res.status, e.code, e.message, e.id);
    }
    return body;
  }

  async function getHealth() {
    if (!health) health = await api("/api/health");
    return health;
  }

  const main = () => document.getElementById("main");

  function setPage(titleText, ...content) {
    const m = main();
    m.replaceChildren(...content);
    document.title = titleText ? `${titleText} · cinerec` : "cinerec";
  }

  function errorBox(err) {
    return el("div", { class: "alert", role: "alert" },
      el("strong", { text: t("error_generic") + ": " }), err && err.message ? err.message : String(err));
  }

  // Likes and dislikes ----------------------------------------------------------------------------
  // Kept in this browser only (localStorage, no account): {like: [{id, title}], dislike: [...]}, oldest
  // first. A movie is in at most one list. Sent with every recommendation request.

  const TASTE_KEY = "cinerec-taste";
  const MAX_EXAMPLES = 100; // the API's limit on like + dislike ids together
  let taste = loadTaste();
  let onTasteChange = null; // set by the page that wants to hear of changes (Para ti)

  function loadTaste() {
    const list = (v) => (Array.isArray(v) ? v.filter((m) => m && Number.isInteger(m.id) && typeof m.title === "string") : []);
    try {
      const saved = JSON.parse(localStorage.getItem(TASTE_KEY) || "null");
      if (saved && typeof saved === "object") return { like: list(saved.like), dislike: list(saved.dislike) };
    } catch (_) { /* storage disabled or corrupt: start empty */ }
    return { like: [], dislike: [] };
  }

  function saveTaste() {
    try { localStorage.setItem(TASTE_KEY, JSON.stringify(taste)); } catch (_) { /* kept for this page only */ }
  }

  function opinionOf(id) {
    if (taste.like.some((m) => m.id === id)) return "like";
    if (taste.dislike.some((m) => m.id === id)) return "dislike";
    return null;
  }

  // opinion: "like", "dislike" or null (neither).
  function setOpinion(movie, opinion) {
    taste.like = taste.like.filter((m) => m.id !== movie.id);
    taste.dislike = taste.dislike.filter((m) => m.id !== movie.id);
    if (opinion) taste[opinion].push({ id: movie.id, title: movie.title });
    saveTaste();
    for (const b of document.querySelectorAll(`button[data-opinion][data-movie-id="${movie.id}"]`))
      b.setAttribute("aria-pressed", String(b.dataset.opinion === opinion));
    if (onTasteChange) onTasteChange();
  }

  // The newest likes and dislikes within the API's limit (dislikes keep at least 30 places when there are
  // that many), as the request body's fields.
  function tasteForRequest() {
    const dislikes = Math.min(taste.dislike.length, Math.max(30, MAX_EXAMPLES - taste.like.length));
    const likes = Math.min(taste.like.length, MAX_EXAMPLES - dislikes);
    return { like: taste.like.slice(taste.like.length - likes).map((m) => m.id),
      dislike: taste.dislike.slice(taste.dislike.length - dislikes).map((m) => m.id) };
  }

  // POST /api/recommend with the stored likes; a stored movie the catalog no longer has is forgotten and
  // the request sent again, so an old list never breaks the page.
  async function recommendWithTaste(body) {
    for (let attempt = 0; ; attempt++) {
      const request = { ...body, ...tasteForRequest() };
      try {
        return await api("/api/recommend", { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify(request) });
      } catch (err) {
        if (err.code !== "unknown_movie" || !Number.isInteger(err.id) || attempt >= 5) throw err;
        taste.like = taste.like.filter((m) => m.id !== err.id);
        taste.dislike = taste.dislike.filter((m) => m.id !== err.id);
        saveTaste();
      }
    }
  }

  // The like / dislike toggle pair of a movie: buttons with aria-pressed, named with the title.
  function opinionButtons(movie) {
    const current = opinionOf(movie.id);
    return el("div", { class: "opinion", role: "group", "aria-label": t("opinion_group", movie.title) },
      ["like", "dislike"].map((kind) => el("button", {
        type: "button", class: `opinion-${kind}`, "data-opinion": kind, "data-movie-id": String(movie.id),
        "aria-pressed": String(current === kind), "aria-label": t(`${kind}_label`, movie.title),
        on: { click: () => setOpinion(movie, opinionOf(movie.id) === kind ? null : kind) },
      }, el("span", { class: "opinion-icon", "aria-hidden": "true", text: kind === "like" ? "+" : "−" }), t(kind))));
  }

  // Navigation ------------------------------------------------------------------------------------

  function navigate(url, { replace = false } = {}) {
    if (replace) history.replaceState(null, "", url);
    else history.pushState(null, "", url);
    render({ focus: !replace });
  }

  document.addEventListener("click", (ev) => {
    const a = ev.target.closest("a[data-link]");
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    navigate(a.getAttribute("href"));
  });
  window.addEventListener("popstate", () => render({ focus: true }));

  function applyChrome() {
    document.documentElement.lang = lang;
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const node of document.querySelectorAll("[data-i18n-aria]")) node.setAttribute("aria-label", t(node.dataset.i18nAria));
    const toggle = document.getElementById("lang-toggle");
    toggle.textContent = t("lang_switch");
    toggle.setAttribute("lang", lang === "es" ? "en" : "es");
    toggle.setAttribute("aria-label", t("lang_switch_label"));
    const page = pageOf(location.pathname).name;
    for (const a of document.querySelectorAll("[data-nav]")) {
      if (a.dataset.nav === page) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
  }

  function pageOf(path) {
    const p = path.replace(/\/+$/, "") || "/";
    if (p === "/") return { name: "home" };
    if (p === "/recomendaciones") return { name: "recommend" };
    if (p === "/para-ti") return { name: "foryou" };
    if (p === "/estadisticas") return { name: "stats" };
    const m = p.match(/^\/peliculas\/(\d+)$/);
    if (m) return { name: "movie", id: m[1] };
    return { name: "notfound" };
  }

  async function render({ focus = false } = {}) {
    const token = ++renderToken;
    onTasteChange = null;
    applyChrome();
    const page = pageOf(location.pathname);
    const params = new URLSearchParams(location.search);
    setPage(null, el("p", { class: "loading", role: "status", text: t("loading") }));
    try {
      if (page.name === "home") await renderHome(params, token);
      else if (page.name === "recommend") await renderRecommend(params, token);
      else if (page.name === "foryou") await renderForYou(token);
      else if (page.name === "movie") await renderMovie(page.id, token);
      else if (page.name === "stats") await renderStats(token);
      else renderNotFound();
    } catch (err) {
      if (token === renderToken) setPage(t("error_generic"), errorBox(err));
    }
    if (focus && token === renderToken) main().focus();
  }

  const stale = (token) => token !== renderToken;

  // Shared pieces ---------------------------------------------------------------------------------

  function genreChips(genres) {
    return el("ul", { class: "chips", "aria-label": t("genres") }, genres.map((g) => el("li", { text: genreName(g) })));
  }

  function shortText(text, max = 160) {
    if (!text || text.length <= max) return text || "";
    const cut = text.slice(0, max);
    return cut.slice(0, Math.max(cut.lastIndexOf(" "), max - 20)) + "…";
  }

  function posterImg(movie, cls) {
    return el("img", {
      class: cls, src: movie.poster, alt: t("poster_alt", movie.title), loading: "lazy", decoding: "async",
      width: "200", height: "300",
    });
  }

  // One short line saying why a recommendation is there, from the API's "explain": the prompt's words
  // it matched, the clearest match it is close to, and whether it fits the genre / era asked for.
  function whyText(explain) {
    if (!explain) return "";
    const parts = [];
    const words = (explain.matched_words || []).slice(0, 4);
    if (words.length) parts.push(t("why_words", words));
    if (explain.near) parts.push(t("why_near", explain.near));
    if (explain.intent > 0) parts.push(t("why_intent"));
    if (!parts.length && explain.vector > 0) parts.push(t("why_meaning"));
    return parts.length ? `${t("why")}: ${parts.join(" · ")}` : "";
  }

  // A movie card; with `rank` and a score it shows both (recommendations and similar movies).
  function movieCard(movie, { rank = null, headingLevel = "h3" } = {}) {
    const href = `/peliculas/${movie.id}`;
    const body = el("div", { class: "card-body" },
      el(headingLevel, { class: "card-title" }, el("a", { href, "data-link": true, text: movie.title })),
      el("p", { class: "meta", text: movie.year ?? t("no_year") }),
      genreChips(movie.genres));
    if (typeof movie.score === "number") {
      const pct = Math.max(0, Math.min(1, movie.score)) * 100;
      const bar = el("span", { class: "score-fill" });
      bar.style.width = pct.toFixed(1) + "%";
      body.append(el("p", { class: "score" },
        el("span", { class: "score-label", text: `${t("score")}: ` }),
        el("strong", { class: "score-value", text: movie.score.toFixed(3) }),
        el("span", { class: "score-bar", "aria-hidden": "true" }, bar)));
    }
    if (movie.closest_liked) body.append(el("p", { class: "because", text: t("because_liked", movie.closest_liked.title) }));
    // "Because you liked …" already says why; otherwise the explanation of a prompt's match.
    const why = movie.closest_liked ? "" : whyText(movie.explain);
    if (why) body.append(el("p", { class: "why", text: why }));
    if (movie.description) body.append(el("p", { class: "desc", text: shortText(movie.description) }));
    body.append(opinionButtons(movie));
    const card = el("article", { class: "card", "data-movie-id": String(movie.id) },
      el("a", { href, "data-link": true, tabindex: "-1", "aria-hidden": "true", class: "card-poster" }, posterImg(movie, "poster")),
      body);
    if (rank !== null) card.prepend(el("span", { class: "rank", "aria-label": `#${rank}`, text: String(rank) }));
    return card;
  }

  function genreSelect(id, selected) {
    return el("select", { id, name: "genre" },
      el("option", { value: "", text: t("genre_any") }),
      health.genres.map((g) => el("option", { value: g, selected: g === selected, text: genreName(g) })));
  }

  function field(label, control) {
    return el("div", { class: "field" }, el("label", { for: control.id, text: label }), control);
  }

  function yearInput(id, value) {
    return el("input", { id, name: id.replace(/^.*?-/, ""), type: "number", inputmode: "numeric", min: "1880", max: "2100",
      step: "1", value: value || "", class: "year" });
  }

  // Inicio / catalog ------------------------------------------------------------------------------

  async function renderHome(params, token) {
    await getHealth();
    if (stale(token)) return;
    const search = el("input", { id: "search-q", name: "q", type: "search", value: params.get("q") || "",
      placeholder: t("search_placeholder"), autocomplete: "off" });
    const genreSel = genreSelect("search-genre", params.get("genre") || "");
    const from = yearInput("search-year_from", params.get("year_from"));
    const to = yearInput("search-year_to", params.get("year_to"));
    const form = el("form", { class: "filters", role: "search", "aria-label": t("search_form_label") },
      field(t("search_label"), search), field(t("genre_label"), genreSel),
      field(t("year_from_label"), from), field(t("year_to_label"), to),
      el("button", { type: "submit", class: "primary", text: t("search_button") }));
    const count = el("p", { class: "count", role: "status", id: "catalog-count" });
    const results = el("div", { id: "catalog-results" });
    const pager = el("div", {});

    // Only the results change while typing, so the search box keeps focus and caret.
    let loadSeq = 0;
    const load = async (page) => {
      const seq = ++loadSeq;
      const query = new URLSearchParams();
      if (search.value.trim()) query.set("q", search.value.trim());
      if (genreSel.value) query.set("genre", genreSel.value);
      if (from.value) query.set("year_from", from.value);
      if (to.value) query.set("year_to", to.value);
      if (page > 1) query.set("page", String(page));
      const shown = query.toString();
      history.replaceState(null, "", "/" + (shown ? "?" + shown : ""));
      query.set("per_page", "12");
      let data;
      try {
        data = await api("/api/movies?" + query.toString());
      } catch (err) {
        if (seq === loadSeq && !stale(token)) { count.textContent = ""; results.replaceChildren(errorBox(err)); pager.replaceChildren(); }
        return;
      }
      if (seq !== loadSeq || stale(token)) return;
      count.textContent = t("results_count", data.total);
      results.replaceChildren(data.results.length
        ? el("div", { class: "grid" }, data.results.map((m) => movieCard(m)))
        : el("p", { class: "empty", text: t("no_results") }));
      pager.replaceChildren(pagination(data, query) || "");
    };
    form.addEventListener("submit", (ev) => { ev.preventDefault(); load(1); });
    genreSel.addEventListener("change", () => load(1));
    from.addEventListener("change", () => load(1));
    to.addEventListener("change", () => load(1));
    let timer = null;
    search.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => load(1), 300); });

    setPage(t("home_title"),
      el("h1", { text: t("home_title") }),
      el("p", { class: "intro", text: t("home_intro") }),
      form, count, results, pager);
    await load(Math.max(1, parseInt(params.get("page") || "1", 10) || 1));
  }

  function pagination(data, query) {
    if (data.pages <= 1) return null;
    const link = (p, text, attrs = {}) => {
      const qs = new URLSearchParams(query);
      qs.delete("per_page");
      if (p === 1) qs.delete("page"); else qs.set("page", String(p));
      const s = qs.toString();
      return el("a", { href: "/" + (s ? "?" + s : ""), "data-link": true, ...attrs, text });
    };
    const items = [];
    items.push(el("li", {}, data.page > 1 ? link(data.page - 1, t("prev"), { rel: "prev" }) : el("span", { class: "disabled", text: t("prev") })));
    for (let p = 1; p <= data.pages; p++) {
      items.push(el("li", {}, p === data.page
        ? el("span", { class: "current", "aria-current": "page", text: String(p) })
        : link(p, String(p), { "aria-label": t("page_n", p, data.pages) })));
    }
    items.push(el("li", {}, data.page < data.pages ? link(data.page + 1, t("next"), { rel: "next" }) : el("span", { class: "disabled", text: t("next") })));
    return el("nav", { class: "pagination", "aria-label": t("pagination_label") }, el("ul", {}, items));
  }

  // Recomendaciones -------------------------------------------------------------------------------

  async function renderRecommend(params, token) {
    await getHealth();
    if (stale(token)) return;
    const prompt = el("textarea", { id: "prompt", name: "prompt", rows: "3", maxlength: "4000", required: true,
      placeholder: t("prompt_placeholder") });
    prompt.value = params.get("prompt") || "";
    const k = el("select", { id: "rec-k", name: "k" }, [3, 5, 10, 20].map((n) => el("option", { value: String(n), selected: n === 5, text: String(n) })));
    const genreSel = genreSelect("rec-genre", params.get("genre") || "");
    const from = yearInput("rec-year_from", params.get("year_from"));
    const to = yearInput("rec-year_to", params.get("year_to"));
    const provider = el("select", { id: "rec-provider", name: "provider" }, health.providers.map((p) =>
      el("option", { value: p.name, disabled: !p.configured,
        text: p.name === "offline" ? t("provider_offline") : p.configured ? p.name : `${p.name} (${t("provider_unconfigured")})` })));
    // MMR diversity (0: plain ranking) and whether both films of a near-duplicate pair may show.
    const diversity = el("select", { id: "rec-diversity", name: "diversity" },
      [["0", "diversity_off"], ["0.3", "diversity_some"], ["0.6", "diversity_high"]].map(([v, label]) =>
        el("option", { value: v, selected: v === (params.get("diversity") || "0"), text: t(label) })));
    const duplicates = el("input", { id: "rec-all-duplicates", type: "checkbox", checked: params.get("all_duplicates") === "true" });
    const out = el("section", { id: "rec-results", "aria-live": "polite", "aria-busy": "false" });
    // The stored likes join the prompt unless the visitor unticks this (shown only when there are any).
    const useTaste = el("input", { id: "rec-use-taste", type: "checkbox", checked: true });
    const tasteField = taste.like.length || taste.dislike.length
      ? el("div", { class: "field checkbox" }, useTaste,
        el("label", { for: "rec-use-taste", text: t("use_taste", taste.like.length, taste.dislike.length) }))
      : null;

    const run = async () => {
      const text = prompt.value.trim();
      if (!text) { prompt.focus(); return; }
      const body = { prompt: text, k: Number(k.value), provider: provider.value };
      if (genreSel.value) body.genre = genreSel.value;
      if (from.value) body.year_from = Number(from.value);
      if (to.value) body.year_to = Number(to.value);
      if (Number(diversity.value) > 0) body.diversity = Number(diversity.value);
      if (duplicates.checked) body.all_duplicates = true;
      out.setAttribute("aria-busy", "true");
      out.replaceChildren(el("p", { class: "loading", role: "status", text: t("loading") }));
      try {
        const recs = tasteField && useTaste.checked ? await recommendWithTaste(body)
          : await api("/api/recommend", { method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: JSON.stringify(body) });
        if (stale(token)) return;
        const next = new URLSearchParams({ prompt: text });
        history.replaceState(null, "", "/recomendaciones?" + next.toString());
        out.replaceChildren(
          el("p", { class: "answered-by", id: "answered-by", text: recs.fallback
            ? t("answered_by_fallback", recs.fallback.from, recs.provider, recs.model)
            : t("answered_by", recs.provider, recs.model) }),
          recs.notices.map((n) => el("p", { class: "notice", text: n })),
          recs.results.length
            ? el("ol", { class: "grid ranked", id: "rec-list" }, recs.results.map((m, i) => el("li", {}, movieCard(m, { rank: i + 1 }))))
            : el("p", { class: "empty", text: t("no_recs") }));
      } catch (err) {
        if (!stale(token)) out.replaceChildren(errorBox(err));
      } finally {
        out.setAttribute("aria-busy", "false");
      }
    };

    const form = el("form", { class: "recommend-form", id: "recommend-form" },
      field(t("prompt_label"), prompt),
      el("div", { class: "suggestions" },
        el("span", { class: "suggestions-label", id: "suggestions-label", text: t("suggestions") + ":" }),
        el("ul", { "aria-labelledby": "suggestions-label" }, I18N.examples.map((ex) => el("li", {},
          el("button", { type: "button", class: "suggestion", text: ex, on: { click: () => { prompt.value = ex; run(); } } }))))),
      el("div", { class: "filters" }, field(t("k_label"), k), field(t("genre_label"), genreSel),
        field(t("year_from_label"), from), field(t("year_to_label"), to), field(t("provider_label"), provider),
        field(t("diversity_label"), diversity),
        el("div", { class: "field checkbox" }, duplicates, el("label", { for: "rec-all-duplicates", text: t("duplicates_label") })),
        tasteField,
        el("button", { type: "submit", class: "primary", id: "recommend-button", text: t("recommend_button") })));
    form.addEventListener("submit", (ev) => { ev.preventDefault(); run(); });
    prompt.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); run(); }
    });
    setPage(t("rec_title"), el("h1", { text: t("rec_title") }), el("p", { class: "intro", text: t("rec_intro") }), form, out);
    if (prompt.value) run();
  }

  // Movie page ------------------------------------------------------------------------------------

  async function renderMovie(id, token) {
    let movie;
    try {
      movie = await api(`/api/movies/${id}`);
    } catch (err) {
      if (err.status === 404) {
        if (!stale(token)) setPage(t("movie_not_found"), el("h1", { text: t("movie_not_found") }),
          el("p", {}, el("a", { href: "/", "data-link": true, text: t("back_to_catalog") })));
        return;
      }
      throw err;
    }
    let similar = null, similarError = null;
    try {
      similar = await api(`/api/movies/${id}/similar?k=6`);
    } catch (err) {
      similarError = err;
    }
    if (stale(token)) return;
    const details = el("div", { class: "movie-details" },
      el("h1", { text: movie.title }),
      movie.tagline ? el("p", { class: "tagline", text: movie.tagline }) : null,
      el("dl", { class: "facts" },
        el("dt", { text: t("year") }), el("dd", { text: movie.year ?? t("no_year") }),
        el("dt", { text: t("genres") }), el("dd", {}, genreChips(movie.genres)),
        movie.keywords?.length ? [el("dt", { text: t("keywords") }), el("dd", { class: "keywords", text: movie.keywords.join(", ") })] : null),
      opinionButtons(movie),
      el("h2", { class: "visually-hidden", text: t("description") }),
      el("p", { class: "description", text: movie.description }));
    const similarSection = el("section", { class: "similar", "aria-labelledby": "similar-title" },
      el("h2", { id: "similar-title", text: t("similar_title") }),
      similarError ? errorBox(similarError)
        : similar.results.length
          ? el("ol", { class: "grid ranked", id: "similar-list" }, similar.results.map((m, i) => el("li", {}, movieCard(m, { rank: i + 1 }))))
          : el("p", { class: "empty", text: t("similar_none") }));
    setPage(movie.title,
      el("p", { class: "breadcrumb" }, el("a", { href: "/", "data-link": true, text: "← " + t("back_to_catalog") })),
      el("article", { class: "movie" }, el("div", { class: "movie-poster" }, posterImg(movie, "poster-large")), details),
      similarSection);
  }

  // Para ti ---------------------------------------------------------------------------------------

  async function renderForYou(token) {
    const strategy = el("select", { id: "foryou-strategy", name: "strategy" },
      el("option", { value: "average", text: t("strategy_average") }),
      el("option", { value: "best-score", text: t("strategy_best") }));
    const refresh = el("button", { type: "button", class: "primary", id: "foryou-refresh", text: t("foryou_refresh") });
    const changed = el("p", { class: "notice", id: "foryou-changed", role: "status", hidden: true, text: t("foryou_changed") });
    const summary = el("div", { class: "taste", id: "taste-summary" });
    const out = el("section", { id: "foryou-results", "aria-live": "polite", "aria-busy": "false" });

    // What is stored, each title with a button that forgets it.
    const tasteList = (kind, heading) => el("div", { class: "taste-list" },
      el("h2", { id: `taste-${kind}-title`, text: t(heading, taste[kind].length) }),
      el("ul", { class: "chips removable", id: `taste-${kind}`, "aria-labelledby": `taste-${kind}-title` }, taste[kind].map((m) =>
        el("li", {}, el("a", { href: `/peliculas/${m.id}`, "data-link": true, text: m.title }),
          el("button", { type: "button", class: "remove", "aria-label": t("remove_opinion", m.title), text: "×",
            on: { click: () => { setOpinion(m, null); load(); } } })))));

    const load = async () => {
      changed.hidden = true;
      summary.replaceChildren(
        taste.like.length ? tasteList("like", "foryou_liked") : "",
        taste.dislike.length ? tasteList("dislike", "foryou_disliked") : "",
        taste.like.length || taste.dislike.length
          ? el("button", { type: "button", class: "link-button", id: "taste-clear", text: t("foryou_clear"),
            on: { click: () => { taste = { like: [], dislike: [] }; saveTaste(); load(); } } })
          : "");
      if (!taste.like.length) {
        out.replaceChildren(el("div", { class: "empty-state", id: "foryou-empty" },
          el("h2", { text: t("foryou_empty_title") }),
          el("p", { text: t("foryou_empty") }),
          el("p", {}, el("a", { href: "/", "data-link": true, text: t("foryou_to_catalog") }))));
        return;
      }
      out.setAttribute("aria-busy", "true");
      out.replaceChildren(el("p", { class: "loading", role: "status", text: t("loading") }));
      try {
        const recs = await recommendWithTaste({ k: 12, strategy: strategy.value });
        if (stale(token)) return;
        out.replaceChildren(recs.results.length
          ? el("ol", { class: "grid ranked", id: "foryou-list" }, recs.results.map((m, i) => el("li", {}, movieCard(m, { rank: i + 1 }))))
          : el("p", { class: "empty", text: t("no_recs") }));
      } catch (err) {
        if (!stale(token)) out.replaceChildren(errorBox(err));
      } finally {
        out.setAttribute("aria-busy", "false");
      }
    };
    // Toggling a card here does not reshuffle the list under the pointer or focus: the list is marked out
    // of date and redrawn on request.
    onTasteChange = () => { changed.hidden = false; };
    refresh.addEventListener("click", load);
    strategy.addEventListener("change", load);

    setPage(t("foryou_title"),
      el("h1", { text: t("foryou_title") }),
      el("p", { class: "intro", text: t("foryou_intro") }),
      summary,
      el("div", { class: "toolbar" }, field(t("strategy_label"), strategy), refresh),
      changed, out);
    await load();
  }

  // Estadísticas ----------------------------------------------------------------------------------

  async function renderStats(token) {
    const stats = await api("/api/stats");
    if (stale(token)) return;
    const table = (rows, col, key, label) => el("details", { class: "chart-data" },
      el("summary", { text: t("chart_data") }),
      el("table", {},
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: t(col) }), el("th", { scope: "col", text: t("col_count") }))),
        el("tbody", {}, rows.map((r) => el("tr", {}, el("th", { scope: "row", text: label(r[key]) }), el("td", { text: String(r.count) }))))));
    const figure = (name, titleKey, rows, col, key, label) => {
      const top = [...rows].sort((a, b) => b.count - a.count).slice(0, 3)
        .map((r) => `${label(r[key])}: ${r.count}`).join(", ");
      return el("figure", { class: "chart", id: `chart-${name}` },
        el("figcaption", {}, el("h2", { text: t(titleKey) })),
        el("img", { src: `/charts/${name}.svg?lang=${lang}`, alt: `${t(titleKey)}. ${top}…`, class: "chart-img" }),
        table(rows, col, key, label));
    };
    setPage(t("stats_title"),
      el("h1", { text: t("stats_title") }),
      el("p", { class: "intro", text: t("stats_summary", stats.total, stats.without_year) }),
      el("div", { class: "charts" },
        figure("genre", "chart_genre", stats.per_genre, "col_genre", "genre", genreName),
        figure("decade", "chart_decade", stats.per_decade, "col_decade", "decade", (d) => `${d}s`),
        figure("year", "chart_year", stats.per_year, "col_year", "year", String)));
  }

  function renderNotFound() {
    setPage(t("not_found_title"), el("h1", { text: t("not_found_title") }), el("p", { text: t("not_found_text") }),
      el("p", {}, el("a", { href: "/", "data-link": true, text: t("back_to_catalog") })));
  }

  // Start -----------------------------------------------------------------------------------------

  document.getElementById("lang-toggle").addEventListener("click", () => {
    lang = lang === "es" ? "en" : "es";
    try { localStorage.setItem("cinerec-lang", lang); } catch (_) { /* ignore */ }
    const url = new URL(location.href);
    url.searchParams.delete("lang");
    history.replaceState(null, "", url.pathname + url.search);
    render();
  });
  render();
})();
