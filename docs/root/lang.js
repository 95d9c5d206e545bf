// Send the reader to the language their browser prefers; the page links both for readers without JavaScript.
(function () {
  var langs = navigator.languages || [navigator.language || "en"];
  for (var i = 0; i < langs.length; i++) {
    var l = String(langs[i]).toLowerCase();
    if (l.indexOf("zh") === 0) { location.replace("zh/"); return; }
    if (l.indexOf("en") === 0) { location.replace("en/"); return; }
  }
  location.replace("en/");
})();
