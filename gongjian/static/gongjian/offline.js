// Weak signal (ADR 0048). A form marked data-offline that is submitted while the phone has no
// connection (or while a small request to the server gets no answer) is kept on the phone (localStorage, without its files and its CSRF token) and the
// banner #gj-outbox says 待发送. When the connection comes back — or the next time any page of the
// site opens with one — it is sent once: a fresh CSRF token is read from the form's page, and the
// hidden submission_key makes a second arrival the same record on the server. What is typed into
// such a form is also kept while typing, so a page reopened without signal still has it.
// The service worker (/sw.js) keeps a copy of these pages and the static files for opening offline.
(function () {
  "use strict";

  var OUTBOX = "gj-outbox-v1";
  var DRAFT = "gj-draft-v1:";
  var banner = document.getElementById("gj-outbox");
  var sending = false;

  function read(name, fallback) {
    try { return JSON.parse(window.localStorage.getItem(name)) || fallback; } catch (e) { return fallback; }
  }
  function write(name, value) {
    try { window.localStorage.setItem(name, JSON.stringify(value)); return true; } catch (e) { return false; }
  }
  function forget(name) {
    try { window.localStorage.removeItem(name); } catch (e) { /* storage blocked: nothing kept */ }
  }

  // Text fields only: files are not kept offline (the page says so), nor the CSRF token.
  function fields(form) {
    var out = [];
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") { out.push([name, value]); }
    });
    return out;
  }

  function draftName(form) {
    return DRAFT + window.location.pathname + "#" + (form.id || form.getAttribute("action") || "");
  }

  function restore(form, pairs) {
    pairs.forEach(function (pair) {
      var els = form.elements.namedItem(pair[0]);
      if (!els || pair[0] === "submission_key") { return; }
      var list = els.length !== undefined && !els.tagName ? Array.prototype.slice.call(els) : [els];
      list.forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === pair[1]) { el.checked = true; }
        } else if (el.tagName === "SELECT" && el.multiple) {
          Array.prototype.forEach.call(el.options, function (o) { if (o.value === pair[1]) { o.selected = true; } });
        } else if (el.type !== "file" && el.type !== "hidden") {
          el.value = pair[1];
        }
      });
    });
  }

  function say(state, count, link) {
    if (!banner) { return; }
    var text = banner.getAttribute("data-msg-" + state) || "";
    // Its own classes, not Bootstrap's .alert: the page's messages are the only .alert on it.
    banner.className = "gj-outbox gj-outbox-" + (state === "waiting" || state === "login" ? "warning" :
      state === "refused" ? "danger" : state === "sending" ? "info" : "success");
    banner.textContent = text.replace("{n}", String(count));
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.className = "gj-outbox-link ms-2";
      a.textContent = banner.getAttribute("data-msg-" + state + "-link") || "";
      banner.appendChild(a);
    }
    banner.hidden = false;
    banner.setAttribute("data-state", state);
  }

  function showWaiting() {
    var box = read(OUTBOX, []);
    if (box.length) { say("waiting", box.length); }
  }

  function queue(form) {
    var box = read(OUTBOX, []);
    var entry = {
      action: form.action || window.location.href,
      page: window.location.pathname + window.location.search,
      fields: fields(form),
      at: new Date().toISOString()
    };
    entry.formId = form.id || form.getAttribute("action") || "";
    var key = form.elements.namedItem("submission_key");
    entry.key = key ? key.value : "";
    box = box.filter(function (e) { return !entry.key || e.key !== entry.key; });
    box.push(entry);
    if (!write(OUTBOX, box)) { return false; }
    forget(draftName(form));
    showWaiting();
    return true;
  }

  function csrfFrom(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var meta = doc.querySelector("meta[name=csrf-token]");
    var input = doc.querySelector("input[name=csrfmiddlewaretoken]");
    return (input && input.value) || (meta && meta.getAttribute("content")) || "";
  }

  function loginPage(url) {
    var login = banner && banner.getAttribute("data-login");
    return login && new URL(url, window.location.href).pathname.indexOf(login) === 0;
  }

  // One entry: a fresh token from its page, then the form itself. Resolves to what happened.
  function sendOne(entry) {
    return fetch(entry.page, { credentials: "same-origin", cache: "no-store" }).then(function (page) {
      if (loginPage(page.url)) { return "login"; }
      return page.text().then(function (html) {
        var body = new URLSearchParams();
        body.append("csrfmiddlewaretoken", csrfFrom(html));
        entry.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
        return fetch(entry.action, {
          method: "POST", body: body, credentials: "same-origin",
          headers: { "X-Gongjian-Resend": "1" }
        }).then(function (answer) {
          if (loginPage(answer.url)) { return "login"; }
          if (answer.ok) {
            entry.done = answer.redirected ? answer.url : "";
            return answer.text().then(function (text) { entry.answer = text; return "sent"; });
          }
          if (answer.status === 400) { return "refused"; }
          return "later";  // 403 (a token the server no longer takes), 429, 5xx: try again later
        });
      });
    });
  }

  // What the server answered, where she is waiting for it: the page it led to (a new record), or
  // the answer itself in place of the form (the sign-in's 签到成功); elsewhere, a note and a link.
  function shown(entry) {
    var here = window.location.pathname + window.location.search === entry.page;
    if (here && entry.done) {
      try { window.sessionStorage.setItem("gj-sent", "1"); } catch (e) { /* the note is a nicety */ }
      window.location.assign(entry.done);
      return;
    }
    if (here && entry.answer) {
      var main = new DOMParser().parseFromString(entry.answer, "text/html").querySelector("main");
      var mine = document.querySelector("main");
      if (main && mine) {
        mine.innerHTML = main.innerHTML;
        banner = document.getElementById("gj-outbox");
      }
    }
    say("sent", 1, entry.done);
  }

  function flush() {
    if (sending || navigator.onLine === false) { return; }
    var box = read(OUTBOX, []);
    if (!box.length) { return; }
    sending = true;
    say("sending", box.length);
    var entry = box[0];
    sendOne(entry).then(function (outcome) {
      var rest = read(OUTBOX, []).filter(function (e) { return e.key !== entry.key || e.at !== entry.at; });
      if (outcome === "sent" || outcome === "refused") { write(OUTBOX, rest); }
      sending = false;
      if (outcome === "sent") {
        if (rest.length) { flush(); } else { shown(entry); }
      } else if (outcome === "refused") {
        // Something to correct: back into the form's draft, and a link to the form.
        write(DRAFT + entry.page.split("?")[0] + "#" + (entry.formId || ""), entry.fields);
        say("refused", 1, entry.page);
      } else if (outcome === "login") {
        say("login", box.length, banner.getAttribute("data-login"));
      } else {
        say("waiting", box.length);
      }
    }, function () {
      sending = false;  // the connection dropped again: still waiting
      showWaiting();
    });
  }

  function offlineForm(el) {
    return el && el.hasAttribute && el.hasAttribute("data-offline") ? el : null;
  }

  function keep(form) {
    if (!queue(form)) { return; }
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (button) { button.disabled = true; }
  }

  // A phone can say it is online while nothing gets through (one bar, a dead cell): a small
  // request to the server first, and only if it answers is the form sent the ordinary way.
  function reachable() {
    var probe = banner && banner.getAttribute("data-probe");
    if (!probe || !window.fetch) { return Promise.resolve(true); }
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? window.setTimeout(function () { controller.abort(); }, 8000) : 0;
    return fetch(probe, { method: "HEAD", cache: "no-store", credentials: "same-origin",
                          signal: controller ? controller.signal : undefined })
      .then(function (answer) { return answer.status < 500; }, function () { return false; })
      .then(function (ok) { window.clearTimeout(timer); return ok; });
  }

  document.addEventListener("submit", function (event) {
    var form = offlineForm(event.target);
    if (!form || event.defaultPrevented) { return; }
    event.preventDefault();
    if (navigator.onLine === false) { keep(form); return; }
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (button) { button.disabled = true; }
    reachable().then(function (ok) {
      if (button) { button.disabled = false; }
      if (!ok) { keep(form); return; }
      forget(draftName(form));
      HTMLFormElement.prototype.submit.call(form);
    });
  });

  document.addEventListener("input", function (event) {
    var form = event.target && event.target.form;
    if (offlineForm(form)) { write(draftName(form), fields(form)); }
  });

  var forms = document.querySelectorAll("form[data-offline]");
  Array.prototype.forEach.call(forms, function (form) {
    // A form shown again by the server (with its errors) already holds what was sent.
    if (!form.querySelector(".is-invalid")) {
      var kept = read(draftName(form), null);
      if (kept) { restore(form, kept); }
    }
  });

  if (forms.length && "serviceWorker" in navigator && banner && banner.getAttribute("data-sw")) {
    navigator.serviceWorker.register(banner.getAttribute("data-sw"), { scope: "/" }).catch(function () {
      /* not allowed here (private mode, blocked): pages still work online, the outbox still works */
    });
  }

  try {
    if (window.sessionStorage.getItem("gj-sent")) {
      window.sessionStorage.removeItem("gj-sent");
      say("sent", 1);
    }
  } catch (e) { /* storage blocked */ }

  window.addEventListener("online", flush);
  window.addEventListener("offline", showWaiting);
  showWaiting();
  flush();
}());
