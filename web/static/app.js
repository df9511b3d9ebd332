// newsdex serve: the only script, loaded from this server (the CSP allows no other).
// Every state is a URL: a facet checkbox goes to the URL that ticks or unticks it; the sort
// menu and "one per story" resubmit the search. Without this script the links still work.
"use strict";
document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches("input[type=checkbox][data-href]")) {
    window.location.assign(el.getAttribute("data-href"));
  } else if (el.matches(".autosubmit") && el.form) {
    el.form.submit();
  }
});
