// Claim add form: list similar existing claims while the reviewer types, so duplicates are caught.
// Without JavaScript the same list appears after the first save attempt (server-side check).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("fc-similar");
    var list = document.getElementById("fc-similar-list");
    var text = document.getElementById("id_text");
    if (!box || !list || !text) { return; }
    var timer = null;
    var last = "";
    function render(results) {
      list.textContent = "";
      results.forEach(function (item) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = item.url;
        a.textContent = item.text.length > 160 ? item.text.slice(0, 159) + "…" : item.text;
        li.appendChild(a);
        var score = document.createElement("span");
        score.className = "fc-score";
        score.textContent = " (" + item.status + ", similarity " + item.score + ") ";
        li.appendChild(score);
        if (item.likely_duplicate) {
          var dup = document.createElement("span");
          dup.className = "fc-dup";
          dup.textContent = "likely duplicate";
          li.appendChild(dup);
        }
        list.appendChild(li);
      });
      box.hidden = results.length === 0;
    }
    function lookup() {
      var value = text.value.trim();
      if (value === last) { return; }
      last = value;
      if (value.length < 12) { render([]); return; }
      var url = box.dataset.similarUrl + "?text=" + encodeURIComponent(value);
      if (box.dataset.exclude) { url += "&exclude=" + box.dataset.exclude; }
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (text.value.trim() === value) { render(data.results); } })
        .catch(function () {});
    }
    text.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 350);
    });
  });
})();
