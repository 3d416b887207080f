// Small behaviours of Rapport's pages, kept in a file so that the Content-Security-Policy can
// refuse every inline script. Each is wired by a data- attribute.
document.addEventListener("click", function (event) {
  var print = event.target.closest("[data-print]");
  if (print) {
    event.preventDefault();
    window.print();
  }
});
