// 信息报送: one photo slot at a time ("再加一张照片"), the chosen file's name shown under its
// button, a confirmation before withdrawing. Without JavaScript every slot shows and works.
(function () {
  var slots = Array.prototype.slice.call(document.querySelectorAll(".nw-slot:not(.nw-kept)"));
  var more = document.querySelector(".nw-more");
  function used(slot) {
    var input = slot.querySelector("input[type=file]");
    return input && input.files && input.files.length > 0;
  }
  function refresh() {
    var hidden = slots.filter(function (s) { return s.hidden; });
    if (more) { more.hidden = hidden.length === 0 || !slots.filter(function (s) { return !s.hidden; }).every(used); }
  }
  slots.forEach(function (slot, i) {
    var input = slot.querySelector("input[type=file]");
    if (i > 0) { slot.hidden = true; }
    if (input) {
      input.classList.add("nw-file");
      input.addEventListener("change", function () {
        var shown = slot.querySelector(".nw-picked");
        var pick = slot.querySelector(".nw-pick");
        var old = slot.querySelector(".nw-preview");
        if (old) { old.remove(); }
        if (input.files && input.files.length) {
          shown.textContent = "已选：" + input.files[0].name;
          if (pick) { pick.textContent = "换一张"; }
          // A look at the photo before sending it (a data: URL: the CSP allows no blob: images).
          if (window.FileReader && /^image\/(jpeg|png)$/.test(input.files[0].type)) {
            var reader = new FileReader();
            reader.onload = function () {
              var img = document.createElement("img");
              img.className = "nw-preview";
              img.alt = "所选照片";
              img.src = reader.result;
              shown.after(img);
            };
            reader.readAsDataURL(input.files[0]);
          }
        } else {
          shown.textContent = "";
        }
        refresh();
      });
    }
  });
  if (more) {
    more.addEventListener("click", function () {
      var next = slots.filter(function (s) { return s.hidden; })[0];
      if (next) { next.hidden = false; var input = next.querySelector("input[type=file]"); if (input) { input.click(); } }
      refresh();
    });
  }
  refresh();
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
})();
