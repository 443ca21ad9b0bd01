// 大字 (large text, high contrast): loaded in <head> without defer, so the class is on <html>
// before the first paint and the page never flashes small. The choice lives on the device
// (localStorage, so it holds offline); the cookie lets the server render the same class.
(function () {
  var KEY = "gj-large-text";
  var root = document.documentElement;
  var stored = null;
  try { stored = window.localStorage.getItem(KEY); } catch (e) { stored = null; }
  if (stored === "1") { root.classList.add("gj-large"); }
  if (stored === "0") { root.classList.remove("gj-large"); }

  function label() {
    var on = root.classList.contains("gj-large");
    document.querySelectorAll("[data-large-text]").forEach(function (el) {
      el.textContent = el.getAttribute(on ? "data-label-on" : "data-label-off");
    });
  }

  document.addEventListener("DOMContentLoaded", label);
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-large-text]");
    if (!el) { return; }
    event.preventDefault();
    var on = !root.classList.contains("gj-large");
    root.classList.toggle("gj-large", on);
    try { window.localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
    document.cookie = "gj_large_text=" + (on ? "1" : "0") + "; path=/; max-age=31536000; SameSite=Lax";
    label();
  });
}());
