// newsdex serve: the only script, loaded from this server (the CSP allows no other).
// Every state is a URL: a facet checkbox goes to the URL that ticks or unticks it; the sort
// menu and "one per story" resubmit the search; an article page loads its similar articles
// and copies from their own page (slow to find on a large archive) once the article shows.
// Without this script every link still works.
"use strict";
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches("input[type=checkbox][data-href]")) {
    window.location.assign(el.getAttribute("data-href"));
  } else if (el.matches(".autosubmit") && el.form) {
    el.form.submit();
  }
});

var related = document.querySelector("[data-related]");
if (related) {
  fetch(related.getAttribute("data-related"))
    .then(function (response) { return response.text(); })
    .then(function (html) {
      // A parsed document runs no script; the server escaped every article string in it.
      var found = new DOMParser().parseFromString(html, "text/html").getElementById("related");
      if (found) { related.replaceWith(document.importNode(found, true)); }
    });
}
