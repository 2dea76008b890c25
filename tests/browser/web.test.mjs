// Browser tests of the cinerec web UI: a real `cinerec serve` on a loopback port over a database
// imported from the seed catalog, driven in Debian's headless chromium by playwright-core.
// Every test fails on a console error, an uncaught exception, a failed request or an HTTP error.
// Screenshots go to $CINEREC_SCREENSHOT_DIR (default build/browser-screenshots).
import { test, before, after, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const SOURCE_DIR = process.env.CINEREC_SOURCE_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = process.env.CINEREC_BIN || path.join(SOURCE_DIR, "build", "cinerec");
const SEED_DIR = process.env.CINEREC_SEED_DIR || path.resolve(SOURCE_DIR, "..", "shared", "seed-data");
const SHOTS = process.env.CINEREC_SCREENSHOT_DIR || path.join(SOURCE_DIR, "build", "browser-screenshots");
const CHROMIUM = process.env.CINEREC_CHROMIUM || "/usr/bin/chromium";

let work, server, baseUrl, context, page, problems;

function startServer(db) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, CINEREC_ENV_FILE: path.join(work, "no-such.env") };
    for (const k of Object.keys(env)) if (/^(OPENAI|GEMINI|OLLAMA|TEI)_/.test(k)) delete env[k];
    const proc = spawn(BIN, ["--db", db, "serve", "--host", "127.0.0.1", "--port", "0", "--no-access-log"],
      { cwd: work, env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    const timer = setTimeout(() => reject(new Error("cinerec serve did not start: " + out)), 60000);
    proc.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: `http://127.0.0.1:${m[1]}` });
      }
    });
    proc.on("exit", (code) => reject(new Error(`cinerec serve exited with ${code}: ${out}`)));
  });
}

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), "cinerec-browser-"));
  mkdirSync(SHOTS, { recursive: true });
  const db = path.join(work, "seed.db");
  execFileSync(BIN, ["--db", db, "import", path.join(SEED_DIR, "movie_descriptions.json"), "--quiet"], { stdio: "inherit" });
  execFileSync(BIN, ["--db", db, "add-embeddings", path.join(SEED_DIR, "movie_descriptions_embeddings.json")], { stdio: "ignore" });
  server = await startServer(db);
  baseUrl = server.url;
  // A persistent context is how Playwright takes a fresh --user-data-dir of our own.
  context = await chromium.launchPersistentContext(path.join(work, "profile"), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    viewport: { width: 1280, height: 900 },
    locale: "es-ES",
  });
});

after(async () => {
  if (context) await context.close();
  if (server) {
    const exited = new Promise((resolve) => server.proc.once("exit", resolve));
    server.proc.kill("SIGTERM");
    await exited;
  }
  if (work) rmSync(work, { recursive: true, force: true });
});

beforeEach(async () => {
  problems = [];
  page = await context.newPage();
  page.on("console", (msg) => { if (msg.type() === "error") problems.push(`console error: ${msg.text()}`); });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  // A poster still loading when the page navigates (the language switch reloads it) is cancelled by the
  // browser (net::ERR_ABORTED): not a failure of the site. Every other failed request is; a poster the
  // server cannot give still shows up as an HTTP error below.
  page.on("requestfailed", (req) => {
    const error = req.failure()?.errorText;
    if (req.resourceType() === "image" && error === "net::ERR_ABORTED") return;
    problems.push(`request failed: ${req.url()} ${error}`);
  });
  page.on("response", (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
});

afterEach(async (t) => {
  await page.screenshot({ path: path.join(SHOTS, t.name.replace(/[^a-z0-9]+/gi, "-") + ".png"), fullPage: true });
  await page.close();
  assert.deepEqual(problems, [], "the page had errors");
});

// True when every <img> matched by `selector` finished loading an actual image.
async function imagesLoaded(selector) {
  await page.waitForFunction((sel) => {
    const imgs = [...document.querySelectorAll(sel)];
    return imgs.length > 0 && imgs.every((i) => i.complete);
  }, selector);
  return page.$$eval(selector, (imgs) => imgs.every((i) => i.naturalWidth > 0));
}

test("home page lists the catalog with posters and pages", async () => {
  await page.goto(baseUrl + "/");
  await page.locator("#catalog-results .card").first().waitFor();
  assert.equal(await page.locator("h1").textContent(), "Catálogo");
  assert.equal(await page.locator("html").getAttribute("lang"), "es");
  assert.equal(await page.locator("#catalog-results .card").count(), 12);
  assert.equal(await page.locator("#catalog-count").textContent(), "83 películas");
  for (const img of await page.locator("#catalog-results img").all()) await img.scrollIntoViewIfNeeded();
  assert.ok(await imagesLoaded("#catalog-results img"), "every poster shows");
  const alts = await page.$$eval("#catalog-results img", (imgs) => imgs.map((i) => i.alt));
  assert.ok(alts.every((a) => a.startsWith("Póster de ")), alts.join());
  await page.getByRole("link", { name: "Siguiente" }).click();
  await page.waitForURL(/page=2/);
  await page.locator("#catalog-results .card").first().waitFor();
  assert.equal(await page.locator(".pagination [aria-current=page]").textContent(), "2");
});

test("searching a title ignores accents and case", async () => {
  await page.goto(baseUrl + "/");
  const box = page.getByRole("searchbox", { name: "Buscar por título" });
  await box.fill("PADRINO");
  await page.waitForFunction(() => document.querySelector("#catalog-count")?.textContent === "3 películas");
  const titles = await page.locator("#catalog-results .card-title").allTextContents();
  assert.deepEqual(titles, ["El padrino", "El padrino II", "El padrino III"]);
  await box.fill("senor anillos");
  await page.waitForFunction(() => document.querySelector("#catalog-results .card-title")?.textContent.includes("señor de los anillos"));
  assert.match(page.url(), /q=senor/);
  assert.equal(await box.evaluate((el) => el === document.activeElement), true, "the search box keeps focus");
});

test("Recomendaciones: a pianist prompt gives El pianista first, with score and provider", async () => {
  await page.goto(baseUrl + "/");
  await page.getByRole("link", { name: "Recomendaciones" }).click();
  await page.waitForURL(/\/recomendaciones$/);
  const suggestions = await page.locator(".suggestion").allTextContents();
  assert.ok(suggestions.includes("película de un pianista"), suggestions.join());
  await page.getByLabel("¿Qué te apetece ver?").fill("película de un pianista");
  await page.getByRole("button", { name: "Recomendar" }).click();
  const first = page.locator("#rec-list > li").first();
  await first.waitFor();
  assert.equal(await first.locator(".card-title").textContent(), "El pianista");
  assert.match(await first.locator(".score-value").textContent(), /^(0|1)\.\d{3}$/);
  assert.match(await page.locator("#answered-by").textContent(), /offline/);
  // Each card says why it is there: the first by the prompt's word, the others by what they resemble.
  assert.match(await first.locator(".why").textContent(), /^Por qué: menciona .*«pianista»/);
  const whys = await page.locator("#rec-list .why").allTextContents();
  assert.equal(whys.length, 5, whys.join(" | "));
  assert.ok(whys.every((w) => w.startsWith("Por qué: ")), whys.join(" | "));
  assert.equal(await page.locator("#rec-list > li").count(), 5);
  assert.ok(await imagesLoaded("#rec-list img"));
  // A suggestion runs at once; a genre filter keeps only that genre.
  await page.getByLabel("Género", { exact: true }).selectOption("Bélico");
  await page.getByRole("button", { name: "película de la segunda guerra mundial" }).click();
  await page.waitForFunction(() => document.querySelector("#rec-list .card-title") && !document.querySelector("#rec-results .loading"));
  const chips = await page.$$eval("#rec-list .card", (cards) => cards.map((c) => [...c.querySelectorAll(".chips li")].map((l) => l.textContent)));
  assert.ok(chips.length > 0 && chips.every((c) => c.includes("Bélico")), JSON.stringify(chips));
});

test("Recomendaciones: Variedad breaks up a saga and Mostrar duplicados shows both films of a pair", async () => {
  await page.goto(baseUrl + "/recomendaciones");
  const titles = async () => {
    await page.waitForFunction(() => document.querySelector("#rec-list .card-title") && !document.querySelector("#rec-results .loading"));
    return page.locator("#rec-list .card-title").allTextContents();
  };
  const godfathers = (list) => list.filter((t) => /^El padrino( II| III)?$/.test(t)).length;
  await page.getByLabel("¿Qué te apetece ver?").fill("mafia");
  await page.getByLabel("Cuántas").selectOption("5");
  await page.getByRole("button", { name: "Recomendar" }).click();
  const plain = await titles();
  assert.equal(godfathers(plain), 3, plain.join());
  await page.getByLabel("Variedad").selectOption({ label: "mucha" });
  await page.getByRole("button", { name: "Recomendar" }).click();
  await page.waitForFunction(() => [...document.querySelectorAll("#rec-list .card-title")].filter((e) => e.textContent.startsWith("El padrino")).length < 3);
  const diverse = await titles();
  assert.equal(diverse[0], plain[0]);
  assert.ok(godfathers(diverse) < 3, diverse.join());  // the exact re-ranking is pinned by test_api.py
  assert.equal(diverse.length, 5);

  await page.getByLabel("Variedad").selectOption({ label: "ninguna" });
  const poets = ["El club de los poetas muertos", "La sociedad de los poetas muertos"];
  await page.getByLabel("¿Qué te apetece ver?").fill("un profesor de literatura inspira a sus alumnos con la poesía");
  await page.getByRole("button", { name: "Recomendar" }).click();
  await page.waitForFunction(() => !document.querySelector("#rec-results .loading") && document.querySelector("#rec-list .card-title"));
  const one = await titles();
  assert.equal(one.filter((t) => poets.includes(t)).length, 1, one.join());
  await page.getByLabel("Mostrar duplicados").check();
  await page.getByRole("button", { name: "Recomendar" }).click();
  await page.waitForFunction((p) => p.every((t) => [...document.querySelectorAll("#rec-list .card-title")].some((e) => e.textContent === t)), poets);
  const both = await titles();
  assert.equal(both.filter((t) => poets.includes(t)).length, 2, both.join());
});

test("a movie page shows the full description and similar movies", async () => {
  await page.goto(baseUrl + "/?q=soldado");
  const link = page.locator("#catalog-results .card-title a", { hasText: "Salvar al soldado Ryan" });
  await link.click();
  await page.waitForURL(/\/peliculas\/\d+$/);
  await page.locator("h1", { hasText: "Salvar al soldado Ryan" }).waitFor();
  assert.ok((await page.locator(".description").textContent()).length > 100);
  assert.ok(await imagesLoaded(".movie-poster img"));
  await page.locator("#similar-list > li").first().waitFor();
  assert.equal(await page.locator("#similar-list > li").count(), 6);
  assert.equal(await page.locator("#similar-list .card-title").first().textContent(), "La lista de Schindler");
  assert.equal(await page.title(), "Salvar al soldado Ryan · cinerec");
  // Following a similar movie opens its page; Back returns.
  await page.locator("#similar-list .card-title a").first().click();
  await page.locator("h1", { hasText: "La lista de Schindler" }).waitFor();
  await page.goBack();
  await page.locator("h1", { hasText: "Salvar al soldado Ryan" }).waitFor();
});

test("Estadísticas draws the three bar charts", async () => {
  await page.goto(baseUrl + "/");
  await page.getByRole("link", { name: "Estadísticas" }).click();
  await page.waitForURL(/\/estadisticas$/);
  await page.locator("figure.chart img").first().waitFor();
  assert.equal(await page.locator("figure.chart img").count(), 3);
  assert.ok(await imagesLoaded("figure.chart img"), "every chart image rendered");
  const sizes = await page.$$eval("figure.chart img", (imgs) => imgs.map((i) => [i.naturalWidth, i.naturalHeight]));
  assert.ok(sizes.every(([w, h]) => w >= 300 && h >= 80), JSON.stringify(sizes));
  const alts = await page.$$eval("figure.chart img", (imgs) => imgs.map((i) => i.alt));
  assert.ok(alts.every((a) => a.startsWith("Películas por")), alts.join());
  await page.locator("#chart-genre summary").click();
  assert.ok((await page.locator("#chart-genre tbody tr").count()) >= 10);
});

test("the English switch translates the interface and is kept", async () => {
  await page.goto(baseUrl + "/estadisticas");
  await page.locator("figure.chart img").first().waitFor();
  await page.getByRole("button", { name: "Switch to English" }).click();
  await page.locator("h1", { hasText: "Statistics" }).waitFor();
  assert.equal(await page.locator("html").getAttribute("lang"), "en");
  assert.ok(await imagesLoaded("figure.chart img"));
  assert.match(await page.locator("figure.chart img").first().getAttribute("src"), /lang=en/);
  await page.goto(baseUrl + "/recomendaciones");
  await page.getByLabel("What do you feel like watching?").fill("película de un pianista");
  await page.getByRole("button", { name: "Recommend" }).click();
  await page.locator("#rec-list > li").first().waitFor();
  assert.match(await page.locator("#rec-list .why").first().textContent(), /^Why: mentions .*“pianista”/);
  await page.goto(baseUrl + "/");
  await page.locator("h1", { hasText: "Catalog" }).waitFor();
  await page.getByRole("button", { name: "Cambiar a español" }).click();
  await page.locator("h1", { hasText: "Catálogo" }).waitFor();
});

test("the site is usable with the keyboard", async () => {
  await page.goto(baseUrl + "/recomendaciones");
  await page.locator("#prompt").waitFor();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
  await page.keyboard.press("Enter");
  assert.equal(await page.evaluate(() => document.activeElement.id), "main");
  // Tab into the prompt, type, and submit with Enter.
  for (let i = 0; i < 5 && (await page.evaluate(() => document.activeElement.id)) !== "prompt"; i++) await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "prompt");
  await page.keyboard.type("película de un pianista");
  await page.keyboard.press("Enter");
  await page.locator("#rec-list > li").first().waitFor();
  assert.equal(await page.locator("#rec-list .card-title").first().textContent(), "El pianista");
  // Every image has alt text, except decorative ones marked alt="" next to their text (the logo).
  assert.deepEqual(await page.$$eval("img", (imgs) => imgs.filter((i) => !i.hasAttribute("alt")).map((i) => i.src)), []);
  assert.deepEqual(await page.$$eval("img[alt='']", (imgs) => imgs.map((i) => i.closest("a")?.textContent.trim())), ["cinerec"]);
});

test("Para ti: likes and dislikes kept in the browser give recommendations that say why", async () => {
  const pressed = (loc) => loc.getAttribute("aria-pressed");
  // Nothing liked yet: the page explains how to like movies.
  await page.goto(baseUrl + "/");
  await page.getByRole("link", { name: "Para ti" }).click();
  await page.waitForURL(/\/para-ti$/);
  await page.locator("#foryou-empty").waitFor();
  assert.match(await page.locator("#foryou-empty").textContent(), /Me gusta/);

  // Like El padrino and dislike El padrino III on catalog cards.
  await page.goto(baseUrl + "/?q=padrino");
  await page.waitForFunction(() => document.querySelector("#catalog-count")?.textContent === "3 películas");
  const like = page.getByRole("button", { name: "Me gusta: El padrino", exact: true });
  assert.equal(await pressed(like), "false");
  await like.click();
  assert.equal(await pressed(like), "true");
  const dislike = page.getByRole("button", { name: "No me gusta: El padrino III", exact: true });
  await dislike.click();
  assert.equal(await pressed(dislike), "true");
  // Like Matrix on its movie page, with the keyboard.
  await page.goto(baseUrl + "/?q=matrix");
  await page.locator("#catalog-results .card-title a", { hasText: "Matrix" }).click();
  await page.locator("h1", { hasText: "Matrix" }).waitFor();
  const likeMatrix = page.locator(".movie").getByRole("button", { name: "Me gusta: Matrix", exact: true });
  await likeMatrix.focus();
  await page.keyboard.press("Space");
  assert.equal(await pressed(likeMatrix), "true");

  // Para ti: neither liked nor disliked movies, and each card names the liked movie it is closest to.
  const examples = ["El padrino", "Matrix", "El padrino III"];
  const checkForYou = async () => {
    await page.locator("#foryou-list > li").first().waitFor();
    const titles = await page.locator("#foryou-list .card-title").allTextContents();
    assert.equal(titles.length, 12);
    assert.deepEqual(titles.filter((t) => examples.includes(t)), [], titles.join());
    const because = await page.locator("#foryou-list .because").allTextContents();
    assert.equal(because.length, 12);
    assert.ok(because.every((b) => b === "Porque te gustó El padrino" || b === "Porque te gustó Matrix"), because.join());
    assert.deepEqual(await page.locator("#taste-like li a").allTextContents(), ["El padrino", "Matrix"]);
    assert.deepEqual(await page.locator("#taste-dislike li a").allTextContents(), ["El padrino III"]);
  };
  await page.getByRole("link", { name: "Para ti" }).click();
  await page.waitForURL(/\/para-ti$/);
  await checkForYou();
  // Kept across a reload (localStorage).
  await page.reload();
  await checkForYou();

  // The English switch translates the reason too.
  await page.getByRole("button", { name: "Switch to English" }).click();
  await page.locator("h1", { hasText: "For you" }).waitFor();
  await page.locator("#foryou-list .because").first().waitFor();
  assert.match(await page.locator("#foryou-list .because").first().textContent(), /^Because you liked (El padrino|Matrix)$/);
  await page.getByRole("button", { name: "Cambiar a español" }).click();
  await page.locator("h1", { hasText: "Para ti" }).waitFor();
  await page.locator("#foryou-list > li").first().waitFor();
  await page.screenshot({ path: path.join(SHOTS, "para-ti.png"), fullPage: true });

  // Liking a recommended card marks the list out of date instead of reshuffling it.
  const second = page.locator("#foryou-list > li").nth(1);
  const secondTitle = await second.locator(".card-title").textContent();
  await second.getByRole("button", { name: `Me gusta: ${secondTitle}`, exact: true }).click();
  assert.equal(await page.locator("#foryou-changed").isVisible(), true);
  await page.getByRole("button", { name: "Actualizar" }).click();
  await page.locator("#taste-like li a", { hasText: secondTitle }).waitFor();
  await page.locator("#foryou-list > li").first().waitFor();
  assert.ok(!(await page.locator("#foryou-list .card-title").allTextContents()).includes(secondTitle));

  // Forgetting everything brings the empty state back; later tests start from no likes.
  await page.getByRole("button", { name: "Olvidar todos mis gustos" }).click();
  await page.locator("#foryou-empty").waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem("cinerec-taste")), JSON.stringify({ like: [], dislike: [] }));
});
