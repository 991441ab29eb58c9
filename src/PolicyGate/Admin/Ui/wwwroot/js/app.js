// The admin UI shell: sign-in, hash routing between pages, error and status reporting.
import { api, ApiError, token, setToken, clearToken } from "./api.js";
import { tickClocks } from "./dom.js";
import * as instances from "./pages/instances.js";
import * as egress from "./pages/egress.js";
import * as inspection from "./pages/inspection.js";
import * as audit from "./pages/audit.js";
import * as bundles from "./pages/bundles.js";

const pages = { instances, egress, inspection, audit, bundles };
const $ = id => document.getElementById(id);
let renderSerial = 0;

function showError(error) {
  const box = $("error");
  box.textContent = error instanceof ApiError ? error.describe() : String(error?.message ?? error);
  box.hidden = false;
}

function clearMessages() {
  $("error").hidden = true;
  $("error").textContent = "";
  $("status").textContent = "";
}

function say(text) {
  $("status").textContent = text;
}

function showLogin(error) {
  clearToken();
  $("page").replaceChildren();
  $("page").hidden = true;
  $("nav").hidden = true;
  $("logout").hidden = true;
  $("login").hidden = false;
  clearMessages();
  if (error) showError(error);
  $("token").value = "";
  $("token").focus();
}

// Everything a page needs: run an API action (errors shown verbatim, 401 goes back to sign-in), then re-render.
const ctx = {
  api,
  say,
  showError,
  async run(action, doneText) {
    clearMessages();
    try {
      await action();
      await render(false);
      if (doneText) say(doneText);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) showLogin(e);
      else showError(e);
      return false;
    }
  },
};

async function render(moveFocus) {
  const name = location.hash.replace(/^#/, "") || "instances";
  const page = pages[name] ?? pages.instances;
  for (const link of document.querySelectorAll("#nav a")) {
    if (link.dataset.page === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const serial = ++renderSerial;
  const container = document.createElement("div");
  try {
    await page.render(container, ctx);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      showLogin(e);
      return;
    }
    throw e;
  }
  if (serial !== renderSerial) return; // a newer navigation won
  $("page").replaceChildren(container);
  $("page").hidden = false;
  if (moveFocus) container.querySelector("h1")?.focus();
}

async function navigate(moveFocus) {
  clearMessages();
  try {
    await render(moveFocus);
  } catch (e) {
    $("page").replaceChildren();
    showError(e);
  }
}

function signedIn() {
  $("login").hidden = true;
  $("nav").hidden = false;
  $("logout").hidden = false;
}

async function signIn(event) {
  event.preventDefault();
  const candidate = $("token").value.trim();
  clearMessages();
  try {
    await api("GET", "/instances", undefined, candidate); // proves the token before it is kept
  } catch (e) {
    showError(e);
    $("token").select();
    return;
  }
  setToken(candidate);
  $("token").value = "";
  signedIn();
  if (!location.hash) history.replaceState(null, "", "#instances");
  await navigate(true);
}

function start() {
  $("login-form").addEventListener("submit", signIn);
  $("logout").addEventListener("click", () => showLogin());
  window.addEventListener("hashchange", () => { if (token()) navigate(true); });
  setInterval(() => tickClocks(document), 1000);
  if (token()) {
    signedIn();
    navigate(false);
  } else {
    showLogin();
  }
}

start();
