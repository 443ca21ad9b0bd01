// The new-document form: the campaign picker only for a kind drafted from a campaign (实施方案, 名单),
// and the period a kind usually has (this year for a report, the next days for a 通知 or 公示) as long
// as she has not typed dates of her own. Without JavaScript both simply stay as the server drew them.
(function () {
  var form = document.querySelector("form[data-needs-campaign]");
  if (!form) { return; }
  var kind = form.querySelector("select[name=kind]");
  if (!kind) { return; }
  var field = document.getElementById("field-campaign_id");
  var start = form.querySelector("input[name=period_from]");
  var end = form.querySelector("input[name=period_to]");
  var needs = form.getAttribute("data-needs-campaign").split(" ");
  var ahead = form.getAttribute("data-ahead-kinds").split(" ");
  var year = form.getAttribute("data-year").split(" ");
  var soon = form.getAttribute("data-ahead").split(" ");
  function isDefault() {
    return start && end && ((start.value === year[0] && end.value === year[1]) ||
                            (start.value === soon[0] && end.value === soon[1]));
  }
  function sync() {
    if (field) { field.hidden = needs.indexOf(kind.value) < 0; }
    if (isDefault()) {
      var period = ahead.indexOf(kind.value) >= 0 ? soon : year;
      start.value = period[0];
      end.value = period[1];
    }
  }
  kind.addEventListener("change", sync);
  sync();
})();
