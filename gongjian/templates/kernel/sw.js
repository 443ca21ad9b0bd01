// Gongjian's service worker (ADR 0048), written here, no third-party code. It keeps the static
// files every page needs and the last copy of the pages that work without signal (the activity
// form, the public sign-in page), so they open on a phone that lost its connection. Everything is
// asked of the network first; the kept copy is only the answer when the network fails. It never
// touches a POST: a form sent offline is kept by the page itself (offline.js) and sent once later.
"use strict";
var CACHE = "gongjian-" + {{ version|safe }};
var SHELL = {{ shell|safe }};
var PAGES = {{ pages|safe }}.map(function (p) { return new RegExp(p); });

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(SHELL); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf("gongjian-") === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function kept(request) {
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return false; }
  if (SHELL.indexOf(url.pathname) !== -1) { return true; }
  return request.mode === "navigate" && PAGES.some(function (p) { return p.test(url.pathname); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || !kept(request)) { return; }
  event.respondWith(fetch(request).then(function (answer) {
    if (answer.ok && !answer.redirected) {
      var copy = answer.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
    }
    return answer;
  }, function () {
    return caches.match(request, { ignoreSearch: true }).then(function (hit) {
      return hit || Response.error();
    });
  }));
});
